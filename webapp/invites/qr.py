"""QR codes of invite links (segno): an SVG drawn inline in /invites and a PNG to download.

Error correction M (15% of the symbol may be lost): enough for a printed or screen-shot code,
and a link of about 50 characters still fits a small symbol (version 3 or 4). segno writes
PNG itself (zlib, no Pillow) and the SVG as plain markup, so neither waits on an image library.
"""
from __future__ import annotations

import io
from functools import lru_cache

import segno
from markupsafe import Markup, escape

ERROR = "m"
PNG_SCALE = 10  # pixels per module: ~330 px for a version-3 code with its quiet zone, crisp in print
# Encoding picks the best of eight masks, about 6 ms a code: more than the rest of /invites together.
# A link never changes (its code is for good), so each process keeps the drawings of the links it
# served last; 2,048 SVGs of ~4 KB are a few MB.
CACHED = 2048


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR, micro=False)


@lru_cache(maxsize=CACHED)
def svg(url: str, title: str) -> Markup:
    """An inline <svg> of the QR code for `url`, sized by CSS (class "qr"), announced as an
    image named `title` (the <title> element and role="img" with aria-label: screen readers
    differ in which of the two they read)."""
    markup = _code(url).svg_inline(scale=1, border=4, title=title, svgclass="qr", lineclass="qr__modules",
                                   dark="#1d1b2c", light="#fff", omitsize=True)
    # segno escapes the title inside <title>; the attribute gets the same text, escaped for an attribute.
    return Markup(markup.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1))


@lru_cache(maxsize=256)
def png(url: str) -> bytes:
    """The QR code for `url` as a PNG, black on white with the standard four-module quiet zone."""
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=PNG_SCALE, border=4)
    return out.getvalue()
