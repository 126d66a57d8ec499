"""Markdown for post bodies: the one place that says what HTML a post may contain.

markdown-it-py's `js-default` preset (raw HTML off, unsafe link schemes
refused) turns Markdown into HTML; nh3 then keeps only the allow-list below.
No attribute outside it survives, so no event handler (`on*`), no `style`, no
htmx attribute (`hx-*`, `data-hx-*`) and no `javascript:`/`data:` URL can
reach a page. Images are not allowed in bodies at all: pictures go through
uploads, where the sensitive-media bands apply. The rendered block is also
placed inside an `hx-disable` container by the templates (belt and braces).
"""
from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

MAX_BODY_CHARS = 10_000

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"

_markdown = MarkdownIt("js-default").enable(["table", "strikethrough"])


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                            "select", "svg", "math"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(body_md: str | None) -> Markup:
    """Sanitized HTML for Markdown text, safe to place in a page as is.

    Rendering costs about 0.3–0.8 ms for a paragraph or two (markdown-it-py's inline rules), so
    what pages show again and again is rendered once: a post's body is stored rendered
    (feed_post.body_html, at each save), and profile text goes through `cached_markdown`.
    The editor's preview renders each keystroke's text once, uncached.
    """
    if not body_md:
        return Markup("")
    html = _markdown.render(body_md[:MAX_BODY_CHARS])
    # A post's headings sit under the card's own title: h1 is not allowed, so
    # nh3 keeps the text and drops the tag; shift it to h2 first.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(sanitize(html))


@lru_cache(maxsize=4096)
def cached_markdown(text: str | None) -> Markup:
    """`render_markdown`, remembered per process: for the Markdown of profile pages (bios, studio
    descriptions), which is stored as written and shown on every view. Without it a profile page
    measured about 30% more CPU (docs/decisions.md, Performance)."""
    return render_markdown(text)
