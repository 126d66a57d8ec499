"""The fragment convention of docs/architecture.md holds: an `_x.html` is a file of macros
(markup repeated per row) or a widget that templates of several features include.

A piece of one page is a block of that page (`render_page(template, block)`), so the page
and its htmx answer cannot drift. This reads the templates and names each `_x.html` that
is neither, with the features that use it.
"""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

COMMENT = re.compile(r"\{#.*?#\}", re.S)
MACRO = re.compile(r"\{%-?\s*macro\b.*?\{%-?\s*endmacro\s*-?%\}", re.S)
IMPORT = re.compile(r"\{%-?\s*(?:from|import)\s.*?-?%\}", re.S)
# `{% include "x" %}`, `{% extends "x" %}`, `{% from "x" import …%}`, `{% import "x" as …%}`
USES = re.compile(r"""\{%-?\s*(?:include|extends|from|import)\s+["']([^"']+)["']""")


def _name(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


def _feature(name: str) -> str:
    """The feature a template belongs to: its folder (the root's templates are everyone's)."""
    return name.split("/")[0] if "/" in name else "(shared)"


def _only_macros(path: Path) -> bool:
    text = COMMENT.sub("", path.read_text())
    return MACRO.search(text) is not None and not IMPORT.sub("", MACRO.sub("", text)).strip()


def test_every_underscore_template_is_a_macro_file_or_a_widget_of_several_features():
    templates = sorted(TEMPLATES.rglob("*.html"))
    users: dict[str, set[str]] = {}
    for path in templates:
        for used in USES.findall(path.read_text()):
            users.setdefault(used, set()).add(_feature(_name(path)))
    lonely = [f"{_name(path)} (used by: {', '.join(sorted(users.get(_name(path), ()))) or 'no template'})"
              for path in templates
              if path.name.startswith("_") and not _only_macros(path) and len(users.get(_name(path), ())) < 2]
    assert lonely == [], "one feature's piece is a block of its page or a macro: " + "; ".join(lonely)
