"""Static files under names that change with their content, compressed, kept by browsers for a year.

At app start every file under static/ gets a copy named after its content (css/app.css →
css/app.3f2a9c1b0d4e.css) in STATIC_BUILD_DIR, with .br and .gz siblings made by WhiteNoise's
compressor. WhiteNoise serves those names before Flask sees the request: the encoding the browser
accepts, `Vary: Accept-Encoding`, an ETag, and far-future immutable caching (a name never changes
content, so nothing is ever revalidated). `url_for('static', filename=...)` gives the hashed name,
so templates keep the one way they build static URLs.

An unhashed name (css/app.css) still works, through Flask's own static route: revalidated on every
use (no-cache and an ETag), never stale. A hashed name stays served while its copy is in the
folder (a page open across a restart still gets its CSS); one never built there is a 404.

The copies are named by their content, so one that exists is current: only new or edited files
cost anything at start (about 130 ms for all of them, brotli at its highest level, once). Editing a
static file shows after a restart, like editing Python.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path, PurePosixPath

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

DIGEST_CHARS = 12
# What WhiteNoise marks immutable: the build folder holds nothing else, but say what a hashed name is.
HASHED_NAME = rf"\.[0-9a-f]{{{DIGEST_CHARS}}}(\.[^./]+)?$"


def hashed_name(relative: str, data: bytes) -> str:
    """css/app.css + its bytes → css/app.<first 12 hex of its SHA-256>.css."""
    path = PurePosixPath(relative)
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy each file of `source` to its hashed name under `target` (with .br/.gz siblings) unless
    that copy exists; return {name: hashed name}.

    Each copy is made in a scratch folder beside `target` and moved in, compressed siblings first:
    a process starting at the same moment (gunicorn's, a test's) sees a whole copy or none."""
    compressor = Compressor(quiet=True)
    names: dict[str, str] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source).as_posix()
        data = path.read_bytes()
        names[relative] = hashed = hashed_name(relative, data)
        if (target / hashed).exists():
            continue
        (target / hashed).parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
        try:
            made = scratch / PurePosixPath(hashed).name
            made.write_bytes(data)
            variants = compressor.compress(str(made)) if compressor.should_compress(made.name) else []
            for variant in (*variants, str(made)):
                os.replace(variant, target / PurePosixPath(hashed).parent / Path(variant).name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return names


class _StaticFiles(WhiteNoise):
    FOREVER = 365 * 24 * 3600  # a year, as the generated art says (WhiteNoise's own is ten)


def _nosniff(headers, path, url) -> None:
    """Talisman's header for Flask's answers; WhiteNoise answers before Flask does."""
    headers["X-Content-Type-Options"] = "nosniff"


def _to_hashed(names: dict[str, str], endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = names.get(values["filename"], values["filename"])


def init_app(app) -> None:
    """Build the hashed copies, put WhiteNoise in front of the app for them, and make
    url_for('static', ...) name them."""
    target = Path(app.config["STATIC_BUILD_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    names = build(Path(app.static_folder), target)
    app.wsgi_app = _StaticFiles(app.wsgi_app, root=str(target), prefix=app.static_url_path, max_age=None,
                                immutable_file_test=HASHED_NAME, add_headers_function=_nosniff)
    app.url_defaults(partial(_to_hashed, names))
    app.extensions["static_names"] = names
