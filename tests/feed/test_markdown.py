"""Post bodies are Markdown rendered and sanitized: formatting survives, nothing can run."""
import re

from tests.feed.factories import make_post
from tests.feed.xss_corpus import PAYLOADS
from webapp.feed.markdown import render_markdown


def _tags_and_attributes(html: str) -> list[str]:
    """Every real tag in the output (text like '&lt;script&gt;' is harmless and ignored)."""
    return re.findall(r"<[a-zA-Z][^>]*>", html)


def _problems(payload: str) -> list[str]:
    html = str(render_markdown(payload))
    problems = []
    for tag in _tags_and_attributes(html):
        name = re.match(r"<([a-zA-Z0-9]+)", tag).group(1).lower()
        if name not in {"p", "a", "code", "pre", "strong", "em", "br"}:
            problems.append(f"<{name}> kept from {payload!r}: {html}")
        attrs = set(re.findall(r"\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)=", tag))
        if not attrs <= {"href", "rel", "title"}:
            problems.append(f"{attrs} kept from {payload!r}: {html}")
        href = re.search(r'href="([^"]*)"', tag)
        if href and not re.match(r"^(https?:|mailto:)", href.group(1)):
            problems.append(f"unsafe link from {payload!r}: {html}")
    return problems


def test_no_xss_payload_survives_as_markup():
    """One test over the whole corpus (each payload is named in the failure)."""
    problems = [p for payload in PAYLOADS for p in _problems(payload)]
    assert not problems, "\n".join(problems)


def test_ordinary_markdown_keeps_its_formatting():
    html = str(render_markdown("# Shoot day\n\n**Bold** and *soft* light, see [portfolio](https://example.com).\n\n"
                               "- hair\n- make-up\n"))
    assert "<h2>Shoot day</h2>" in html
    assert "<strong>Bold</strong>" in html and "<em>soft</em>" in html
    assert '<a href="https://example.com" rel="nofollow noopener noreferrer ugc">portfolio</a>' in html
    assert "<li>hair</li>" in html


def test_hostile_text_is_shown_as_text(client, signed_in, make_user, db_conn):
    signed_in()
    author = make_user("provider")
    make_post(db_conn, author["user_id"], title="<script>alert(1)</script>",
              body_md="<div hx-get=\"/logout\" hx-trigger=\"load\">x</div> [x](javascript:alert(1))")
    body = client.get("/feed").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    article = body.split('<article ')[1]
    assert '<div hx-get="/logout"' not in article and 'href="javascript:' not in article
    assert "&lt;div hx-get=" in article  # shown as the text it is
    assert 'class="post__body prose" hx-disable' in article


def test_the_editor_preview_is_sanitized_the_same_way(client, signed_in, auth):
    signed_in("provider")
    response = auth.post("/feed/preview", {"body_md": "**hi** <img src=x onerror=alert(1)>"}, page="/feed/new",
                         headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<strong>hi</strong>" in body and "<img" not in body and "<html" not in body
