"""The share card: the 1200×630 PNG link previews show for /r/<code> (its og:image).

Drawn with Pillow in the site's look (static/css/app.css: the page background, white cards with
a hairline border, the brand violet): the "◆ Growth desk" header, the inviter's avatar (the
gradient and initials of the site's generated avatar, webapp/art/svg.py: the product has no
uploaded profile pictures), their display name, the offer in words (offers.offer) and the short
link without its scheme. Long names and offers shrink, then wrap, then end in "…"; the link
shrinks and, failing that, breaks between characters (it is never shortened).

Type is Roboto from the pinned `font-roboto` package (the site's font stack names Roboto; a
package, so a fresh machine has it without a system font). Everything is drawn at twice the
size and halved at the end, which smooths the edges of circles and rounded corners that
Pillow draws without anti-aliasing.

Rendered cards are kept per process (`cards`), keyed by what they show: the code, the program's
version (+1 on every edit of its terms, migration 060), the inviter's name and the link (so
PUBLIC_URL, or the host in development). The ETag is a digest of that key, so a client's copy
is revalidated without drawing anything.
"""
from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

import font_roboto
from PIL import Image, ImageDraw, ImageFont

from ..art.svg import _hues as avatar_hues  # the avatar's own colours, so the card matches the site
from ..art.svg import initials
from ..core.cache import FragmentCache
from . import offers

WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at 2400×1260, halved at the end
SITE_NAME = "Growth desk"
# Bump when the drawing changes: every ETag changes with it, so no client keeps an old design.
DESIGN = 1
# Browsers and link-preview crawlers may keep a card a day; a changed offer or name is a new
# ETag (and so a 200 on revalidation) at once.
CACHE_CONTROL = "public, max-age=86400"

# static/css/app.css :root
INK = "#1d1b2c"
INK_SOFT = "#5d5a72"
LINE = "#e6e3f0"
BG = "#f7f6fb"
CARD = "#ffffff"
BRAND = "#5b3df5"
BRAND_SOFT = "#efeafe"

# Measured (bench/bench_invites.py; docs/benchmarks.md, "Invites"; 2 cores): drawing a card takes
# ≈ 40 ms on a quiet core (77–105 ms while the machine was busy), once per process and key; a request
# for a cached card then costs 2–4 ms in-process on the busy machine, nearly all of it the code lookup
# and Flask, and over HTTP it reached 17–27% of hello world's req/s. A card is ≈ 60 kB, so 256 ≈ 15 MB.
cards = FragmentCache(maxsize=256)


@lru_cache(maxsize=64)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_roboto.font_files[weight], size)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def _break_word(word: str, font, max_width: float) -> list[str]:
    """A word too wide for a line, cut between characters (a long link, a name without spaces)."""
    pieces, piece = [], ""
    for char in word:
        if piece and _width(font, piece + char) > max_width:
            pieces.append(piece)
            piece = char
        else:
            piece += char
    return [*pieces, piece] if piece else pieces


def wrap(text: str, font, max_width: float) -> list[str]:
    """`text` in lines no wider than `max_width`: between words, and inside a word only when the
    word alone is too wide."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _width(font, candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if _width(font, word) <= max_width:
            line = word
        else:
            *whole, line = _break_word(word, font, max_width)
            lines += whole
    return [*lines, line] if line else lines


def _ellipsize(line: str, font, max_width: float) -> str:
    while line and _width(font, line.rstrip() + "…") > max_width:
        line = line[:-1]
    return line.rstrip() + "…"


@dataclass(frozen=True)
class Fitted:
    font: ImageFont.FreeTypeFont
    lines: list[str]
    line_height: int


def fit(text: str, weight: str, sizes: range, max_width: float, max_lines: int, *,
        shorten: bool = True) -> Fitted:
    """The largest of `sizes` (descending) at which `text` wraps into `max_lines` lines of
    `max_width`; at the smallest, the lines that fit, the last ending in "…" (`shorten`), or
    every line (`shorten=False`: for the link, which must stay whole)."""
    for size in sizes:
        font = _font(weight, size)
        lines = wrap(text, font, max_width)
        if len(lines) <= max_lines:
            return Fitted(font, lines, round(size * 1.18))
    if shorten and len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], _ellipsize(" ".join(lines[max_lines - 1:]), font, max_width)]
    return Fitted(font, lines, round(size * 1.18))


def _hsl(hue: int, saturation: float, lightness: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def _avatar(seed: str, name: str, size: int) -> Image.Image:
    """The site's generated avatar (art/svg.py avatar_svg) as a picture: a diagonal gradient
    between two hues drawn from the seed, the initials in white, cut to a circle."""
    h1, h2 = avatar_hues(seed)
    start, end = Image.new("RGB", (size, size), _hsl(h1, .65, .55)), Image.new("RGB", (size, size), _hsl(h2, .70, .40))
    diagonal = Image.linear_gradient("L").rotate(45, expand=True)  # 0 at the top left, 255 at the bottom right
    margin = (diagonal.width - 256) // 2 + 1
    mask = diagonal.crop((margin, margin, diagonal.width - margin, diagonal.height - margin)).resize((size, size))
    disc = Image.composite(end, start, mask)
    draw = ImageDraw.Draw(disc)
    draw.text((size / 2, size / 2), initials(name), font=_font("RobotoBold", round(size * 34 / 96)),
              fill="#ffffff", anchor="mm")
    return disc


def _diamond(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: str) -> None:
    draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=fill)


def draw_card(*, seed: str, name: str, offer: str, link: str) -> bytes:
    """The card as PNG bytes. `seed` picks the avatar's colours (the invite code, as on the public
    invite page, which never shows an account id); `link` is shown as given (pass it without its scheme)."""
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), BG)
    draw = ImageDraw.Draw(image)
    pad = 64 * s

    # The header, as the site's: a white bar with a hairline under it, the mark and the name.
    header = 88 * s
    draw.rectangle((0, 0, WIDTH * s, header), fill=CARD)
    draw.rectangle((0, header - 2 * s, WIDTH * s, header), fill=LINE)
    _diamond(draw, pad + 14 * s, header / 2, 15 * s, BRAND)
    draw.text((pad + 42 * s, header / 2), SITE_NAME, font=_font("RobotoBold", 38 * s), fill=INK, anchor="lm")
    draw.text((WIDTH * s - pad, header / 2), "Invitation", font=_font("RobotoMedium", 28 * s), fill=INK_SOFT,
              anchor="rm")

    # The card: white, hairline border, rounded as .card.
    box = (pad - 16 * s, header + 32 * s, WIDTH * s - pad + 16 * s, HEIGHT * s - 32 * s)
    draw.rounded_rectangle((box[0], box[1] + 4 * s, box[2], box[3] + 4 * s), radius=28 * s, fill=LINE)  # shadow
    draw.rounded_rectangle(box, radius=28 * s, fill=CARD, outline=LINE, width=2 * s)
    left, right, top, bottom = box[0] + 48 * s, box[2] - 48 * s, box[1] + 40 * s, box[3] - 36 * s

    # Who invites: the avatar in a soft ring, the name (up to two lines) and what they do.
    disc, ring = 140 * s, 6 * s
    draw.ellipse((left, top, left + disc, top + disc), fill=BRAND_SOFT)
    inner = disc - 2 * ring
    mask = Image.new("L", (inner, inner), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, inner - 1, inner - 1), fill=255)
    image.paste(_avatar(seed, name, inner), (left + ring, top + ring), mask)
    text_left = left + disc + 36 * s
    who = fit(name, "RobotoBold", range(56 * s, 31 * s, -2 * s), right - text_left, 2)
    lead_size = 30 * s
    y = top + (disc - (who.line_height * len(who.lines) + 10 * s + lead_size)) / 2
    for line in who.lines:
        draw.text((text_left, y), line, font=who.font, fill=INK, anchor="la")
        y += who.line_height
    draw.text((text_left, y + 10 * s), f"invites you to join {SITE_NAME}", font=_font("Roboto", lead_size),
              fill=INK_SOFT, anchor="la")

    # The link in a soft pill at the bottom, never shortened.
    url = fit(link, "RobotoMedium", range(30 * s, 17 * s, -1 * s), right - left - 56 * s, 1, shorten=False)
    pill_height = url.line_height * len(url.lines) + 26 * s
    pill_width = max(_width(url.font, line) for line in url.lines) + 56 * s
    pill_top = bottom - pill_height
    draw.rounded_rectangle((left, pill_top, left + pill_width, bottom),
                           radius=pill_height / 2 if len(url.lines) == 1 else 20 * s, fill=BRAND_SOFT)
    y = pill_top + 13 * s
    for line in url.lines:
        draw.text((left + 28 * s, y + url.line_height / 2), line, font=url.font, fill=BRAND, anchor="lm")
        y += url.line_height

    # The offer, the card's headline, in the brand colour (up to two lines), centred between the two.
    what = fit(offer, "RobotoBold", range(50 * s, 29 * s, -2 * s), right - left, 2)
    y = top + disc + (pill_top - top - disc - what.line_height * len(what.lines)) / 2
    for line in what.lines:
        draw.text((left, y), line, font=what.font, fill=BRAND, anchor="la")
        y += what.line_height

    out = BytesIO()
    image.reduce(s).save(out, "PNG")
    return out.getvalue()


def shown_link(link: str) -> str:
    """The link as the card prints it: without its scheme."""
    return link.split("://", 1)[-1]


@dataclass(frozen=True)
class ShareCard:
    """What the view needs: the ETag, and the PNG (from the cache, or drawn and kept)."""

    key: tuple
    etag: str
    landing: Mapping
    link: str

    def png(self) -> bytes:
        return cards.get_or_render(self.key, lambda: draw_card(
            seed=self.landing["code"], name=self.landing["inviter_name"],
            offer=offers.offer(self.landing), link=shown_link(self.link)))


def share_card(landing: Mapping, link: str) -> ShareCard:
    """The card of a code's landing row (queries.landing) whose link is `link` (absolute)."""
    key = ("sharecard", DESIGN, landing["code"], landing["version"], landing["inviter_name"], link)
    etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return ShareCard(key, etag, landing, link)
