"""Full-page screenshots of every page at 375 and 1280 px: docs/screenshots/<page>-<width>.png.

    make screenshots            # or: .venv/bin/python tools/screenshots.py [page ...]

Serves a fresh demo database (SCREENSHOTS_DB names it, on BENCH_DATABASE_URL's server) with
gunicorn, or the database DATABASE_URL points at when it is set, and visits each page as the
demo user who sees it best. Pages whose address holds an id (a profile, a search's alerts, the
public invite page) are found by following the link the app itself shows. The PNGs are
reduced to a 256-colour palette (Pillow) so that committing them keeps the repository small.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEMO_PASSWORD, bench_database, gunicorn, port_taken  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = (375, 1280)
MAX_HEIGHT = 6000
CHROMIUM = "/usr/bin/chromium"
BUYER, PROVIDER, GROWTH, NOBODY = "buyer@demo.test", "provider@demo.test", "growth@demo.test", None

# (file name, who looks, the address — or (a page, the CSS selector of the link or field that gives it)).
PAGES = [
    ("dashboard", BUYER, "/"),
    ("people", BUYER, "/people"),
    ("studios", BUYER, "/studios"),
    ("person", BUYER, ("/people", "a[href^='/people/']")),
    ("studio", BUYER, ("/studios", "a[href^='/studios/']")),
    ("creator", BUYER, ("/feed", "a[href^='/creators/']")),
    ("feed", BUYER, "/feed"),
    ("feed-composer", PROVIDER, "/feed/new"),
    ("following", BUYER, "/following"),
    ("searches", BUYER, "/searches"),
    ("search-alerts", BUYER, ("/searches", "a[href$='/alerts']")),
    ("notifications", BUYER, "/notifications"),
    ("invites", PROVIDER, "/invites"),
    ("public-invite", NOBODY, ("/invites", "textarea.invite-link__field")),
    ("credits", PROVIDER, "/credits"),
    ("growth-overview", GROWTH, "/growth"),
    ("growth-programs", GROWTH, "/growth/programs"),
    ("growth-review", GROWTH, "/growth/review"),
    ("reader-links", GROWTH, "/growth/readers"),
    ("settings", BUYER, "/settings"),
    ("login", NOBODY, "/login"),
    ("signup", NOBODY, "/signup"),
    ("error-404", BUYER, "/people/no-such-person"),
]


def log_in(context, base: str, email: str) -> None:
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")
    page.close()


def resolve(base: str, contexts: dict, address) -> str:
    """A fixed address, or the first link matching a selector on a page (as the person sees it)."""
    if isinstance(address, str):
        return address
    where, selector = address
    # The public invite page: its link is on the provider's own invites page.
    page = contexts[PROVIDER if where == "/invites" else BUYER].new_page()
    page.goto(base + where)
    found = page.locator(selector).first
    # A link's address, or the one a field shows (the invite link is a read-only textarea).
    href = found.get_attribute("href") or found.input_value()
    page.close()
    return "/" + href.split("://", 1)[-1].split("/", 1)[1]


def shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(base: str, only: set[str]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            options = {"viewport": {"width": width, "height": 812 if width < 600 else 900},
                       "is_mobile": width < 600, "has_touch": width < 600, "reduced_motion": "reduce"}
            contexts = {}
            for user in (BUYER, PROVIDER, GROWTH, NOBODY):
                contexts[user] = browser.new_context(**options)
                if user:
                    log_in(contexts[user], base, user)
            for name, user, address in PAGES:
                if only and name not in only:
                    continue
                path = resolve(base, contexts, address)
                page = contexts[user].new_page()
                page.goto(base + path, wait_until="networkidle")
                # A full-page shot does not scroll, so lazy pictures below the fold would stay blank.
                page.evaluate("""() => Promise.all([...document.images].map((img) => {
                    img.loading = "eager";
                    return img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; });
                }))""")
                out = OUT / f"{name}-{width}.png"
                # Full length, up to MAX_HEIGHT: the feed runs to 19,000 px at 1280 (850 KB) for one page of posts.
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                page.screenshot(path=str(out), full_page=True, caret="initial", animations="disabled",
                                clip={"x": 0, "y": 0, "width": width, "height": height})
                page.close()
                shrink(out)
                print(f"{out.relative_to(OUT.parent.parent)}  {path}  ({out.stat().st_size // 1024} KB)")
            if width == WIDTHS[-1] and (not only or "share-card" in only):
                # The share card a link preview shows (1200×630, drawn by the server): not a page, but
                # the README shows it, and it changes with the invite page.
                invite = resolve(base, contexts, dict((n, a) for n, _u, a in PAGES)["public-invite"])
                card = contexts[NOBODY].request.get(base + invite.split("?")[0] + "/card.png")
                (OUT / "share-card.png").write_bytes(card.body())
                print("docs/screenshots/share-card.png")
            for context in contexts.values():
                context.close()
        browser.close()


def main() -> None:
    only = set(sys.argv[1:])
    port = int(os.environ["SCREENSHOTS_PORT"]) if os.environ.get("SCREENSHOTS_PORT") else None  # else a free one
    if port and port_taken(port):  # gunicorn would fail to bind, and we would shoot whatever answers there
        sys.exit(f"port {port} is already taken: set SCREENSHOTS_PORT to a free one, or leave it unset")
    url = os.environ.get("DATABASE_URL") or bench_database(os.environ.get("SCREENSHOTS_DB", "growthdesk_screenshots"))
    with gunicorn("wsgi:app", env={"DATABASE_URL": url, "APP_ENV": "development"}, ready_path="/login",
                  port=port) as server:
        shoot(server.url, only)


if __name__ == "__main__":
    main()
