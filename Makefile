# Two commands on a fresh machine with Python 3.11+ and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000
export PORT

.PHONY: run worker test lint install install-dev browser npm migrate seed bench screenshots lighthouse clean vendor-htmx

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Test and lint tools on top, in a stamp of their own: `make run` never installs them.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Serve the app with gunicorn on http://127.0.0.1:$(PORT), demo data included.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed --if-empty
	@echo ""
	@echo "  Growth desk: http://127.0.0.1:$(PORT)"
	@echo "  Demo logins: buyer@demo.test, provider@demo.test, growth@demo.test"
	@echo "  Password:    growthdesk-demo"
	@echo ""
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

## A job-queue worker beside `make run` (optional: `flask alerts run` delivers inline without one).
worker: install
	$(FLASK) db upgrade
	$(FLASK) worker


## Run the whole test suite (browser journeys need Chromium: installed here when we can).
test: install-dev browser npm
	$(BIN)/pytest

## Lint (ruff, configured in pyproject.toml).
lint: install-dev
	$(BIN)/ruff check .

## The system Chromium for Playwright (apt as root; otherwise the journeys say how).
browser:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## The npm tools of the tests (axe-core for the journeys, lighthouse), as package-lock.json pins them.
npm: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@command -v npm >/dev/null || { echo "npm is missing: the browser journeys run axe-core from npm." \
		"Install Node.js 18+ with npm (apt-get install -y nodejs npm), then run make again." >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed

## Benchmarks; results go to docs/benchmarks.md (see bench/README.md).
bench: install
	$(BIN)/python bench/run.py

## Full-page PNGs of every page at 375 and 1280 px into docs/screenshots/ (a fresh demo database).
screenshots: install-dev browser
	$(BIN)/python tools/screenshots.py

## Lighthouse (mobile preset) on the key pages of a served demo; scores go to docs/benchmarks.md.
lighthouse: install browser npm
	$(BIN)/python bench/lighthouse.py

## Re-vendor htmx from the npm package (2.0 line) into static/js/.
HTMX_VERSION ?= 2.0.11
vendor-htmx:
	cd /tmp && npm pack htmx.org@$(HTMX_VERSION) >/dev/null && tar xzf htmx.org-$(HTMX_VERSION).tgz
	cp /tmp/package/dist/htmx.min.js static/js/htmx-$(HTMX_VERSION).min.js

clean:
	rm -rf $(VENV) .data .pytest_cache artifacts node_modules
