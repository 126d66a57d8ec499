"""Deterministic SVG art: the same seed always draws the same picture."""
from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape


def _hues(seed: str) -> tuple[int, int]:
    digest = hashlib.sha256(seed.encode()).digest()
    return digest[0] * 360 // 256, digest[1] * 360 // 256


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def avatar_svg(seed: str, name: str, size: int = 96) -> str:
    h1, h2 = _hues(seed)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 96 96" role="img">'
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="hsl({h1},65%,55%)"/><stop offset="1" stop-color="hsl({h2},70%,40%)"/>'
        f'</linearGradient></defs><rect width="96" height="96" rx="48" fill="url(#g)"/>'
        f'<text x="48" y="58" font-family="system-ui,sans-serif" font-size="34" font-weight="600" '
        f'text-anchor="middle" fill="#fff">{escape(initials(name))}</text></svg>'
    )


def scene_svg(seed: str, label: str, width: int = 640, height: int = 400) -> str:
    """A soft abstract 'photo' with a caption, for demo media previews."""
    h1, h2 = _hues(seed)
    digest = hashlib.sha256(seed.encode()).digest()
    circles = "".join(
        f'<circle cx="{digest[i] * width // 256}" cy="{digest[i + 1] * height // 256}" '
        f'r="{40 + digest[i + 2] % 120}" fill="hsl({(h1 + i * 23) % 360},70%,70%)" fill-opacity="0.45"/>'
        for i in range(2, 20, 3)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f'<defs><linearGradient id="b" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="hsl({h1},45%,30%)"/><stop offset="1" stop-color="hsl({h2},55%,55%)"/>'
        f'</linearGradient></defs><rect width="{width}" height="{height}" fill="url(#b)"/>{circles}'
        f'<text x="24" y="{height - 28}" font-family="system-ui,sans-serif" font-size="28" fill="#fff" '
        f'fill-opacity="0.9">{escape(label[:40])}</text></svg>'
    )
