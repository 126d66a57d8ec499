"""Uploaded pictures: checked, re-encoded with Pillow, stored under .data/uploads/.

Re-encoding means what we store and serve is pixels we wrote ourselves: no
EXIF (location!), no embedded scripts or polyglot payloads, a known format.
"""
from __future__ import annotations

import contextlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from ..core.config import DATA_DIR
from ..core.errors import Invalid
from .catalogue import (
    ALLOWED_IMAGE_FORMATS,
    IMAGE_FORMATS_TEXT,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_MB,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
)

STORED_MIME = "image/webp"


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    width: int
    height: int
    mime: str = STORED_MIME


def upload_dir() -> Path:
    return Path(current_app.config.get("UPLOAD_DIR") or DATA_DIR / "uploads")


def reencode(raw: bytes, filename: str = "the file") -> StoredImage:
    """Check size and type, then decode and write a fresh WebP no larger than MAX_IMAGE_SIDE.

    A file we don't take is Invalid, with a message that names it.
    """
    if not raw:
        raise Invalid(f"{filename} is empty.")
    if len(raw) > MAX_IMAGE_BYTES:
        raise Invalid(f"{filename} is larger than {MAX_IMAGE_MB} MB. Choose a smaller image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()
            if fmt not in ALLOWED_IMAGE_FORMATS:
                raise Invalid(f"{filename} is not a {IMAGE_FORMATS_TEXT} image.")
            if width * height > MAX_IMAGE_PIXELS:
                raise Invalid(f"{filename} has too many pixels ({width}×{height}).")
            with Image.open(io.BytesIO(raw)) as image:
                image.seek(0)
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
                image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                out = io.BytesIO()
                image.save(out, "WEBP", quality=82, method=4)
                return StoredImage(out.getvalue(), image.width, image.height)
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as exc:
        raise Invalid(f"{filename} is not an image we can read. Upload a {IMAGE_FORMATS_TEXT}.") from exc


def save(storage_key: str, image: StoredImage) -> None:
    """Write atomically: a half-written file is never served."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{storage_key}.tmp"
    tmp.write_bytes(image.data)
    os.replace(tmp, folder / storage_key)


def remove(storage_keys: list[str]) -> None:
    for key in storage_keys:
        with contextlib.suppress(FileNotFoundError):
            (upload_dir() / key).unlink()
