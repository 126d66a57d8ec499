"""The field catalogue: the one place that says what each directory can be filtered by.

The builder (which inputs to draw), validation (which operators and values are
allowed), the SQL compiler (which column and which operator) and docs/fields.md
all read these declarations. Adding a filterable field is one `Field(...)` line
here (plus an index in a migration when the column needs one).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.taxonomy import AMENITY_TAGS, CITIES, LANGUAGES, ROLE_TAGS, STYLE_TAGS, tag_label

# Operators and how they read in the builder.
OPERATOR_LABELS = {
    "has": "includes",
    "lte": "at most",
    "gte": "at least",
    "is": "is",
}
KIND_OPERATORS = {"tags": ("has",), "int": ("lte", "gte"), "bool": ("is",)}


@dataclass(frozen=True)
class Field:
    """One filterable column.

    kind: "tags" (a text[] column, values from `values`), "int" (an integer column
    within [minimum, maximum]) or "bool". `input_scale` converts what a person
    types into what is stored: rates are typed in dollars and stored in cents.
    `phrases` say how a condition reads in a search's description, per operator;
    `{v}` is the formatted value.
    """

    name: str
    label: str
    kind: str
    column: str
    ops: tuple[str, ...]
    help: str
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    input_scale: int = 1
    unit: str = ""          # shown beside number inputs ("$ per hour", "people", "m²")
    money: bool = False     # format values as money in descriptions
    phrases: dict = field(default_factory=dict)
    default_value: object = None

    @property
    def input_range(self) -> str:
        """The range a person may type, in the units typed ("0–10,000" dollars for a rate in cents)."""
        return f"{self.minimum // self.input_scale:,}–{self.maximum // self.input_scale:,}"

    def value_label(self, value) -> str:
        """How a stored value reads to a person."""
        if self.kind == "tags":
            return tag_label(value)
        if self.kind == "bool":
            return "yes" if value else "no"
        if self.money:
            from ..core.templating import money

            return money(value)
        return f"{value:,}"

    def phrase(self, op: str, value) -> str:
        template = self.phrases.get((op, value)) or self.phrases.get(op) or "{label} {op} {v}"
        shown = self.value_label(value)
        if self.kind == "tags" and "{v_lower}" in template:
            shown = shown.lower()
        return template.format(v=shown, v_lower=shown, label=self.label.lower(), op=OPERATOR_LABELS[op])


@dataclass(frozen=True)
class Scope:
    """A directory: its table, key, ordering columns and filterable fields."""

    name: str                 # "people" | "studios"
    title: str                # page title
    noun: str                 # "people" / "studios" in counts
    noun_one: str
    table: str
    key: str                  # primary key column, the keyset tie-breaker
    key_prefix: str           # the prefix of its ids (webapp/ids.py), checked in page cursors
    subject_field: str | None  # a tags field whose "all" values name the subject
    fields: tuple[Field, ...]
    card_columns: tuple[str, ...] = ()  # text columns the directory card shows besides the fields

    @property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


PEOPLE = Scope(
    name="people", title="People", noun="people", noun_one="person", table="service_profile", key="user_id",
    key_prefix="usr_",
    subject_field="role_tags", card_columns=("display_name", "headline"),
    fields=(
        Field("role_tags", "Role", "tags", "role_tags", ("has",), "What they do.", values=ROLE_TAGS,
              phrases={"has": "{v_lower}"}),
        Field("style_tags", "Style", "tags", "style_tags", ("has",), "The kinds of work they do.", values=STYLE_TAGS,
              phrases={"has": "{v_lower}"}),
        Field("languages", "Language", "tags", "languages", ("has",), "Languages they work in.", values=LANGUAGES,
              phrases={"has": "speaks {v}"}),
        Field("rate_cents", "Hourly rate", "int", "rate_cents", ("lte", "gte"),
              "Their rate per hour; typed in dollars, stored in cents.", minimum=0, maximum=1_000_000,
              input_scale=100, unit="$ per hour", money=True,
              phrases={"lte": "up to {v}/h", "gte": "from {v}/h"}, default_value=20000),
        Field("verified", "Verified", "bool", "verified", ("is",), "Identity and portfolio checked by us.",
              phrases={("is", True): "verified", ("is", False): "not verified"}, default_value=True),
        Field("travels", "Open to travel", "bool", "travels", ("is",), "Willing to tour to other cities.",
              phrases={("is", True): "open to travel", ("is", False): "stays local"}, default_value=True),
    ),
)

STUDIOS = Scope(
    name="studios", title="Studios", noun="studios", noun_one="studio", table="studio", key="studio_id",
    key_prefix="std_",
    subject_field=None, card_columns=("name",),
    fields=(
        Field("amenity_tags", "Amenity", "tags", "amenity_tags", ("has",), "What the studio offers.",
              values=AMENITY_TAGS, phrases={"has": "with {v_lower}"}),
        Field("hourly_rate_cents", "Hourly rate", "int", "hourly_rate_cents", ("lte", "gte"),
              "Rent per hour; typed in dollars, stored in cents.", minimum=0, maximum=1_000_000,
              input_scale=100, unit="$ per hour", money=True,
              phrases={"lte": "up to {v}/h", "gte": "from {v}/h"}, default_value=10000),
        Field("capacity", "Capacity", "int", "capacity", ("gte", "lte"), "How many people fit.",
              minimum=1, maximum=1000, unit="people",
              phrases={"gte": "room for {v}+", "lte": "up to {v} people"}, default_value=10),
        Field("size_sqm", "Size", "int", "size_sqm", ("gte", "lte"), "Floor area in square metres.",
              minimum=1, maximum=100_000, unit="m²",
              phrases={"gte": "at least {v} m²", "lte": "up to {v} m²"}, default_value=50),
        Field("verified", "Verified", "bool", "verified", ("is",), "Checked by us.",
              phrases={("is", True): "verified", ("is", False): "not verified"}, default_value=True),
    ),
)

SCOPES: dict[str, Scope] = {s.name: s for s in (PEOPLE, STUDIOS)}
CITY_SLUGS = tuple(c.slug for c in CITIES)
MAX_CONDITIONS = 20
MAX_QUERY_BYTES = 8 * 1024


def fields_markdown() -> str:
    """docs/fields.md, generated from the catalogue (`flask --app wsgi directory fields-doc`)."""
    lines = [
        "# Directory fields",
        "",
        "Generated from `webapp/directory/catalogue.py` by `flask --app wsgi directory fields-doc`;"
        " do not edit by hand.",
        "",
        "A saved search stores `{\"all\": [...], \"any\": [...]}`, each condition"
        " `{\"field\", \"op\", \"value\"}`. A row matches when every `all` condition holds and,"
        " if `any` is not empty, at least one `any` condition holds.",
        f"At most {MAX_CONDITIONS} conditions and {MAX_QUERY_BYTES // 1024} KB of JSON per search.",
        "",
        "Operators: " + ", ".join(f"`{op}` ({label})" for op, label in OPERATOR_LABELS.items()) + ".",
        "",
        "Cities (`city`, required): " + ", ".join(f"`{c.slug}`" for c in CITIES) + ".",
        "",
    ]
    for scope in SCOPES.values():
        lines += [f"## {scope.title} (`scope = \"{scope.name}\"`, table `{scope.table}`)", "",
                  "| Field | Label | Operators | Value | Allowed | Meaning |",
                  "|---|---|---|---|---|---|"]
        for f in scope.fields:
            if f.kind == "tags":
                value, allowed = "text (trimmed, lower-cased)", ", ".join(f"`{v}`" for v in f.values)
            elif f.kind == "int":
                value = "integer" + (" (cents)" if f.money else "")
                allowed = f"{f.minimum:,} – {f.maximum:,}"
            else:
                value, allowed = "boolean", "`true`, `false`"
            ops = ", ".join(f"`{op}`" for op in f.ops)
            lines.append(f"| `{f.name}` | {f.label} | {ops} | {value} | {allowed} | {f.help} |")
        lines.append("")
    return "\n".join(lines)
