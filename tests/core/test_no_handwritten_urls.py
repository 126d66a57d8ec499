"""Every link the app writes comes from url_for (or profile_url): none is typed by hand.

A hand-typed path drifts from its route the day the route moves, and skips the route's
own escaping. This reads the templates and the Python sources and names each file and
line that writes one.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The one module that has to spell out what a path looks like.
URL_RULES = {"webapp/core/urls.py"}

# In a template: a quoted string that starts with a single slash ("/feed", '/', "/x/" ~ id),
# whether an attribute's value (href="/people") or a Jinja literal. "/>" closes a tag.
TEMPLATE_URL = re.compile(r"""["']/(?![/>])""")
# Calls whose string arguments declare routes rather than link to them.
ROUTE_DECLARATIONS = {"route", "get", "post", "put", "patch", "delete", "add_url_rule", "Blueprint"}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _template_findings() -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if TEMPLATE_URL.search(line):
                found.append(f"{_relative(path)}:{number}: {line.strip()}")
    return found


def _looks_like_a_path(text: str) -> bool:
    return text == "/" or bool(re.match(r"/[\w<{-]", text))


def _python_findings() -> list[str]:
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        if _relative(path) in URL_RULES:
            continue
        tree = ast.parse(path.read_text())
        allowed = set()  # ids of string nodes that are docstrings or route declarations
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                    and isinstance(body[0].value, ast.Constant):
                allowed.add(id(body[0].value))
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ROUTE_DECLARATIONS:
                    allowed |= {id(n) for arg in [*node.args, *node.keywords] for n in ast.walk(arg)}
        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed:
                text = node.value
            elif isinstance(node, ast.JoinedStr) and id(node) not in allowed and node.values \
                    and isinstance(node.values[0], ast.Constant):
                text = node.values[0].value  # an f-string: its leading literal part
                allowed.add(id(node.values[0]))
            if text is not None and _looks_like_a_path(text):
                found.append(f"{_relative(path)}:{node.lineno}: {text!r}")
    return found


def test_templates_link_through_url_for():
    assert _template_findings() == []


def test_python_links_through_url_for():
    assert _python_findings() == []
