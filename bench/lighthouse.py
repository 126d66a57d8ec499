"""Lighthouse (npm `lighthouse`, the system Chromium, mobile preset) on the key pages of a served demo.

    make lighthouse             # or: .venv/bin/python bench/lighthouse.py

Serves a fresh demo database (LIGHTHOUSE_DB names it, on BENCH_DATABASE_URL's server) with gunicorn
as `make run` does, logs in through the real form for the pages behind the log-in
(the session cookie goes to Lighthouse as an extra header), runs Lighthouse once per page and writes
the performance, accessibility and best-practices scores, with the audits that cost points, into the
"Lighthouse" section of docs/benchmarks.md. Targets (issue 15): accessibility 100, best practices 100,
performance at least 95. The full JSON reports stay in bench/results/lighthouse/.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PROJECT_ROOT,
    bench_database,
    gunicorn,
    login,
    machine,
    port_taken,
    table,
    write_section,
)

LIGHTHOUSE = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = PROJECT_ROOT / "bench" / "results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
# (the page, who looks at it: None for nobody logged in)
PAGES = [
    ("/login", None),
    ("/feed", "buyer@demo.test"),
    ("/people", "buyer@demo.test"),
    ("/searches", "buyer@demo.test"),
    ("/invites", "provider@demo.test"),
    ("/growth", "growth@demo.test"),
]


def audit(base: str, path: str, cookie: str | None) -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / (path.strip("/").replace("/", "-") + ".json")
    command = [str(LIGHTHOUSE), base + path, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH",
                                                                                          "/usr/bin/chromium")})
    report = json.loads(out.read_text())
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    if path != "/login" and "/login" in final:
        raise RuntimeError(f"Lighthouse saw the log-in page instead of {path}: the session cookie was refused")
    return report


def failing(report: dict, category: str) -> list[str]:
    """The audits of a category that lost points, heaviest first (with Lighthouse's figure), then
    for performance the unweighted opportunities it flags (compression, render-blocking files…)."""
    audits = report["audits"]
    refs = report["categories"][category]["auditRefs"]

    def named(audit_id: str) -> str:
        shown = (audits[audit_id].get("displayValue") or "").replace("\xa0", " ")
        return f"{audit_id} ({shown})" if shown else audit_id

    def lost(ref) -> bool:
        score = audits[ref["id"]]["score"]
        return audits[ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings") \
            and score is not None and score < (1 if ref["weight"] else .9)

    weighted = sorted((r for r in refs if r["weight"] and lost(r)),
                      key=lambda r: r["weight"] * (1 - audits[r["id"]]["score"]), reverse=True)
    # The "-insight" audits restate the classic ones in Lighthouse 12: one line per finding.
    hints = [r for r in refs if not r["weight"] and lost(r) and not r["id"].endswith("-insight")]
    return [named(r["id"]) for r in weighted + hints]


def main() -> None:
    port = int(os.environ["LIGHTHOUSE_PORT"]) if os.environ.get("LIGHTHOUSE_PORT") else None  # else a free one
    if port and port_taken(port):  # gunicorn would fail to bind, and we would audit whatever answers there
        sys.exit(f"port {port} is already taken: set LIGHTHOUSE_PORT to a free one, or leave it unset")
    url = bench_database(os.environ.get("LIGHTHOUSE_DB", "growthdesk_lighthouse"))
    rows, notes, m = [], [], machine()
    with gunicorn("wsgi:app", env={"DATABASE_URL": url, "APP_ENV": "development"}, ready_path="/login",
                  port=port) as server:
        cookies = {user: login(server.url, user) for user in {u for _p, u in PAGES if u}}
        for path, user in PAGES:
            report = audit(server.url, path, cookies.get(user))
            scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
            rows.append([f"`{path}`", user or "—", *(
                f"{scores[c]}" + ("" if scores[c] >= TARGETS[c] else " ✗") for c in CATEGORIES)])
            for c in CATEGORIES:
                if scores[c] < 100 and (lost := failing(report, c)):
                    notes.append(f"- `{path}` {c}: {', '.join(lost[:7])}")
            print(path, scores, flush=True)
    version = json.loads((PROJECT_ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    body = "\n".join([
        f"Measured {m['date']} with Lighthouse {version}, mobile preset (its simulated "
        "slow 4G and 4× CPU slowdown), the system Chromium headless, against gunicorn as `make run` serves "
        "the app (gunicorn.conf.py), compressed pages and hashed static files included, on a fresh demo "
        "database. Rerun: `make lighthouse` (bench/lighthouse.py).",
        "",
        f"Machine: {m['nproc']} CPU(s) ({m['cpu']}), load average {m['load']:.1f} when the run started "
        "(performance is simulated throttling on top of this machine, so a busy machine costs points).",
        "",
        "Targets: accessibility 100, best practices 100, performance ≥ 95 (✗ marks a miss).",
        "",
        table(["page", "logged in as", "performance", "accessibility", "best practices"], rows),
        "",
        "Audits that cost points (heaviest first):" if notes else "Every audit passed.",
        "",
        *notes,
    ])
    write_section("Lighthouse", body)
    print("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
