"""What a feed post can be: kinds, bands, limits. Forms, validation, filters and SQL read these."""
from __future__ import annotations

from ..core.taxonomy import ROLE_TAGS, STUDIO_ROLE_TAGS

KINDS = {
    "case_study": "Case study",
    "availability": "Availability",
    "touring": "Touring",
    "studio_slot": "Studio slot",
    "influence": "Influence",
}
POST_ROLE_TAGS = ROLE_TAGS + STUDIO_ROLE_TAGS

BAND_SAFE, BAND_BLUR, BAND_BLOCK = 0, 1, 2
BANDS = {
    BAND_SAFE: "Safe for everyone",
    BAND_BLUR: "Sensitive: shown blurred until a viewer who opted in reveals it",
    BAND_BLOCK: "Explicit: never shown to anyone",
}
AUTHOR_BANDS = (BAND_SAFE, BAND_BLUR)  # band 2 is a growth-team decision

MAX_TITLE_CHARS = 140
MAX_BODY_CHARS = 10_000
MAX_ALT_CHARS = 300
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 1600          # stored images are scaled down to fit this
ALLOWED_IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
# How the limits above read to people, and the file picker's filter: said once, here.
MAX_IMAGE_MB = MAX_IMAGE_BYTES // (1024 * 1024)
_FORMAT_NAMES = list(ALLOWED_IMAGE_FORMATS.values())
IMAGE_FORMATS_TEXT = ", ".join(_FORMAT_NAMES[:-1]) + " or " + _FORMAT_NAMES[-1]   # "JPEG, PNG, WebP or GIF"
IMAGE_ACCEPT = ",".join(f"image/{name.lower()}" for name in ALLOWED_IMAGE_FORMATS)

PAGE_SIZE = 20


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)
