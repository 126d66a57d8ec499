"""Test helpers shared by the directory and saved-search tests."""
import re
from urllib.parse import urlencode

from tests.conftest import page_text

HX = {"HX-Request": "true"}


def visible(response) -> str:
    """The text a reader sees: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def url(path="/people", **groups):
    """/people?city=..&all_field=..&all_op=..&all_value=.. from (field, op, value) tuples."""
    pairs = [("city", groups.pop("city", "berlin"))]
    for group in ("all", "any"):
        for field, op, value in groups.pop(group, []):
            pairs += [(f"{group}_field", field), (f"{group}_op", op), (f"{group}_value", value)]
    pairs += list(groups.items())
    return f"{path}?{urlencode(pairs)}"


def chosen(html: str, select_id: str) -> str | None:
    """The value the select of that id shows chosen (None: no such select)."""
    select = re.search(rf'<select id="{re.escape(select_id)}"[^>]*>(.*?)</select>', html, re.S)
    if select is None:
        return None
    option = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return option.group(1) if option else None
