"""Queries as data: parse and validate against the catalogue, canonicalise, describe.

A query is `{"all": [...], "any": [...]}` of conditions `{"field", "op", "value"}`.
`parse_json` and `parse_rows` validate (unknown field/operator, wrong value type,
out-of-range values, too many conditions, oversized JSON all raise core.errors.Invalid
with a message written for the user) and normalise each value, but keep the
order and duplicates. `canonical` then gives the one stored form: both keys,
de-duplicated, sorted by field, op, value, and a one-condition `any` folded into
`all`, so two searches that mean the same thing store the same JSON.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..core.errors import Invalid
from ..core.taxonomy import CITY_BY_SLUG, city_name, tag_label
from .catalogue import MAX_CONDITIONS, MAX_QUERY_BYTES, OPERATOR_LABELS, SCOPES, Field, Scope

GROUPS = ("all", "any")


class Condition(NamedTuple):
    field: str
    op: str
    value: object

    def as_json(self) -> dict:
        return {"field": self.field, "op": self.op, "value": self.value}


class Query(NamedTuple):
    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return self.all + self.any

    def as_json(self) -> dict:
        return {"all": [c.as_json() for c in self.all], "any": [c.as_json() for c in self.any]}


def get_scope(name: str | None) -> Scope:
    scope = SCOPES.get(name or "")
    if scope is None:
        raise Invalid(f"Unknown directory “{name}”: choose people or studios.")
    return scope


def check_city(slug: str | None) -> str:
    if not slug or slug not in CITY_BY_SLUG:
        raise Invalid(f"Unknown city “{slug or ''}”: choose one from the list." if slug else "Choose a city.")
    return slug


# --- values -----------------------------------------------------------------

def _tag_value(f: Field, value) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{f.label} needs a word such as “{f.values[0]}”.")
    tag = value.strip().lower()
    if tag not in f.values:
        hyphenated = "-".join(tag.split())  # "Makeup artist" as typed from the label
        if hyphenated not in f.values:
            raise Invalid(f"“{value.strip()}” is not a known {f.label.lower()}. Choose one of: "
                             + ", ".join(tag_label(v) for v in f.values) + ".")
        tag = hyphenated
    return tag


def _int_value(f: Field, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise Invalid(f"{f.label} needs a whole number.")
    if not f.minimum <= value <= f.maximum:
        lo, hi = f.value_label(f.minimum), f.value_label(f.maximum)
        raise Invalid(f"{f.label} must be between {lo} and {hi}.")
    return value


def _bool_value(f: Field, value) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{f.label} needs yes or no (true or false).")
    return value


def validate_condition(scope: Scope, field_name, op, value) -> Condition:
    f = scope.by_name.get(field_name) if isinstance(field_name, str) else None
    if f is None:
        known = ", ".join(x.name for x in scope.fields)
        raise Invalid(f"Unknown field “{field_name}” for {scope.noun}. Known fields: {known}.")
    if op not in f.ops:
        allowed = " or ".join(f"“{OPERATOR_LABELS[o]}” ({o})" for o in f.ops)
        raise Invalid(f"{f.label} can't use the operator “{op}”: use {allowed}.")
    checker = {"tags": _tag_value, "int": _int_value, "bool": _bool_value}[f.kind]
    return Condition(f.name, op, checker(f, value))


# --- parsing ----------------------------------------------------------------

def parse_json(raw, scope: Scope) -> Query:
    """Validate a query_json document (text or already decoded)."""
    if isinstance(raw, (str, bytes)):
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > MAX_QUERY_BYTES:
            raise Invalid(f"The search is too large ({size:,} bytes; at most {MAX_QUERY_BYTES:,}).")
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise Invalid("The search is not valid JSON.") from exc
    elif len(json.dumps(raw, separators=(",", ":")).encode()) > MAX_QUERY_BYTES:
        raise Invalid(f"The search is too large (at most {MAX_QUERY_BYTES:,} bytes).")
    if not isinstance(raw, dict):
        raise Invalid("The search must be an object with “all” and “any” lists.")
    unknown = set(raw) - set(GROUPS)
    if unknown:
        raise Invalid(f"Unknown key “{sorted(unknown)[0]}”: a search has only “all” and “any”.")
    groups = {}
    for group in GROUPS:
        items = raw.get(group, [])
        if not isinstance(items, list):
            raise Invalid(f"“{group}” must be a list of conditions.")
        groups[group] = items
    total = sum(len(v) for v in groups.values())
    if total > MAX_CONDITIONS:
        raise Invalid(f"Too many conditions ({total}); a search can have at most {MAX_CONDITIONS}.")
    parsed = {}
    for group, items in groups.items():
        conditions = []
        for item in items:
            if not isinstance(item, dict) or set(item) != {"field", "op", "value"}:
                raise Invalid("Each condition needs exactly a field, an op and a value.")
            conditions.append(validate_condition(scope, item["field"], item["op"], item["value"]))
        parsed[group] = tuple(conditions)
    return Query(**parsed)


class Row(NamedTuple):
    """One builder row as the form holds it: the value as typed (text)."""

    field: str
    op: str
    value: str


def form_value_to_json(f: Field, text: str):
    """What a person typed into a row -> the stored value (dollars -> cents, yes -> true)."""
    text = text.strip()
    if f.kind == "tags":
        return text
    if f.kind == "bool":
        if text.lower() in ("true", "yes", "1", "on"):
            return True
        if text.lower() in ("false", "no", "0", "off"):
            return False
        raise Invalid(f"{f.label} needs yes or no.")
    try:
        number = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation as exc:
        raise Invalid(f"{f.label} needs a number, not “{text}”.") from exc
    scaled = number * f.input_scale
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise Invalid(f"{f.label} goes to the cent at most: “{text}” has too many decimals." if f.input_scale > 1
                      else f"{f.label} needs a whole number, not “{text}”.")
    return int(scaled)


def json_value_to_form(f: Field, value) -> str:
    if f.kind == "bool":
        return "true" if value else "false"
    if f.kind == "int" and f.input_scale != 1:
        dollars = Decimal(value) / f.input_scale
        return str(dollars.quantize(Decimal(1)) if dollars == dollars.to_integral_value() else dollars)
    return str(value)


def rows_from_args(args, scope: Scope, *, lenient: bool = False) -> dict[str, list[Row]]:
    """The builder's rows from a form or query string (all_field/all_op/all_value lists, same for any).

    Lenient mode (drawing the builder after a field changed) quietly fixes an
    operator or value that doesn't suit the row's field instead of refusing it.
    """
    rows: dict[str, list[Row]] = {}
    for group in GROUPS:
        fields, ops, values = (args.getlist(f"{group}_{part}") for part in ("field", "op", "value"))
        if len(fields) > MAX_CONDITIONS * 2:
            raise Invalid(f"Too many conditions; a search can have at most {MAX_CONDITIONS}.")
        group_rows = []
        for i, field_name in enumerate(fields):
            op = ops[i] if i < len(ops) else ""
            value = values[i] if i < len(values) else ""
            f = scope.by_name.get(field_name)
            if lenient:
                if f is None:
                    continue
                if op not in f.ops:
                    op = f.ops[0]
                if value.strip():
                    try:
                        validate_condition(scope, f.name, op, form_value_to_json(f, value))
                    except Invalid:
                        value = json_value_to_form(f, f.default_value) if f.kind == "bool" else ""
                elif f.kind == "bool":
                    value = "true"
            group_rows.append(Row(field_name, op, value))
        rows[group] = group_rows
    return rows


def query_from_rows(rows: dict[str, list[Row]], scope: Scope) -> Query:
    """Strictly validate the complete rows (rows with no value yet are not conditions)."""
    complete = {g: [r for r in rows.get(g, []) if r.value.strip()] for g in GROUPS}
    total = sum(len(v) for v in complete.values())
    if total > MAX_CONDITIONS:
        raise Invalid(f"Too many conditions ({total}); a search can have at most {MAX_CONDITIONS}.")
    parsed = {}
    for group, group_rows in complete.items():
        conditions = []
        for r in group_rows:
            f = scope.by_name.get(r.field)
            if f is None:
                validate_condition(scope, r.field, r.op, None)  # raises the unknown-field message
            conditions.append(validate_condition(scope, r.field, r.op, form_value_to_json(f, r.value)))
        parsed[group] = tuple(conditions)
    query = Query(**parsed)
    check_size(query)
    return query


def row_problems(rows: dict[str, list[Row]], scope: Scope) -> dict[str, str]:
    """What is wrong with each complete row's value, by the row's id ("all-0"): the hint drawn beside
    it while someone is still typing (a half-typed or out-of-range number), so the builder can say
    which field is at fault instead of dropping the results."""
    problems = {}
    for group in GROUPS:
        for i, r in enumerate(rows.get(group, [])):
            f = scope.by_name.get(r.field)
            if f is None or not r.value.strip():
                continue
            try:
                validate_condition(scope, r.field, r.op, form_value_to_json(f, r.value))
            except Invalid as exc:
                problems[f"{group}-{i}"] = str(exc)
    return problems


def rows_from_query(query: Query, scope: Scope) -> dict[str, list[Row]]:
    return {g: [Row(c.field, c.op, json_value_to_form(scope.by_name[c.field], c.value)) for c in getattr(query, g)]
            for g in GROUPS}


def check_size(query: Query) -> None:
    size = len(dumps(query).encode())
    if size > MAX_QUERY_BYTES:
        raise Invalid(f"The search is too large ({size:,} bytes; at most {MAX_QUERY_BYTES:,}).")


# --- canonical form ---------------------------------------------------------

def _sorted_unique(conditions) -> tuple[Condition, ...]:
    return tuple(sorted(set(conditions), key=lambda c: (c.field, c.op, c.value)))


def canonical(query: Query) -> Query:
    """The one stored form of a (validated) query; canonical(canonical(q)) == canonical(q)."""
    any_ = _sorted_unique(query.any)
    all_ = list(query.all)
    if len(any_) == 1:
        all_ += any_
        any_ = ()
    return Query(all=_sorted_unique(all_), any=any_)


def dumps(query: Query) -> str:
    return json.dumps(query.as_json(), separators=(",", ":"), ensure_ascii=False)


def canonical_json(raw, scope: Scope) -> dict:
    """Validate and canonicalise a query_json document in one step."""
    return canonical(parse_json(raw, scope)).as_json()


# --- descriptions -------------------------------------------------------------

def _plural(label: str) -> str:
    return label if label.endswith("s") else label + "s"


def describe(scope: Scope, city: str, query: Query) -> str:
    """“Photographers in Berlin · editorial or fashion · up to $200/h”."""
    fields = scope.by_name
    all_ = list(query.all)
    subject = scope.title
    if scope.subject_field:
        roles = [c for c in all_ if c.field == scope.subject_field and c.op == "has"]
        if roles:
            names = [_plural(tag_label(c.value)) for c in roles]
            subject = names[0] + "".join(" & " + n.lower() for n in names[1:])
            all_ = [c for c in all_ if c not in roles]
    # Who, then what kind (tags), then the either-or group, then numbers and flags.
    parts = [f"{subject} in {city_name(city)}"]
    parts += [fields[c.field].phrase(c.op, c.value) for c in all_ if fields[c.field].kind == "tags"]
    if query.any:
        parts.append(" or ".join(fields[c.field].phrase(c.op, c.value) for c in query.any))
    parts += [fields[c.field].phrase(c.op, c.value) for c in all_ if fields[c.field].kind != "tags"]
    return " · ".join(parts)
