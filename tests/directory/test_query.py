"""Validation, canonical form and descriptions of directory queries (no database)."""
import json

import pytest

from webapp.core.errors import Invalid
from webapp.directory.catalogue import PEOPLE, STUDIOS
from webapp.directory.query import Condition, Query, canonical, canonical_json, describe, parse_json


def cond(field, op, value):
    return {"field": field, "op": op, "value": value}


def test_the_spec_example_is_already_canonical():
    doc = {"all": [cond("rate_cents", "lte", 20000), cond("role_tags", "has", "photographer")],
           "any": [cond("style_tags", "has", "editorial"), cond("style_tags", "has", "fashion")]}
    assert canonical_json(doc, PEOPLE) == doc


def test_tags_are_trimmed_and_lower_cased():
    assert canonical_json({"all": [cond("role_tags", "has", "  Photographer ")]}, PEOPLE) == {
        "all": [cond("role_tags", "has", "photographer")], "any": []}


def test_a_label_typed_with_spaces_is_the_tag():
    assert canonical_json({"all": [cond("role_tags", "has", "Makeup artist")]}, PEOPLE)["all"][0]["value"] == \
        "makeup-artist"


def test_both_keys_are_always_present():
    assert canonical_json({}, PEOPLE) == {"all": [], "any": []}


def test_duplicates_go_and_conditions_sort_by_field_op_value():
    doc = {"all": [cond("style_tags", "has", "fashion"), cond("rate_cents", "lte", 5000),
                   cond("style_tags", "has", "Fashion"), cond("rate_cents", "gte", 1000)], "any": []}
    assert canonical_json(doc, PEOPLE)["all"] == [
        cond("rate_cents", "gte", 1000), cond("rate_cents", "lte", 5000), cond("style_tags", "has", "fashion")]


def test_an_any_group_of_one_folds_into_all():
    doc = {"all": [cond("role_tags", "has", "model")], "any": [cond("verified", "is", True)]}
    assert canonical_json(doc, PEOPLE) == {"all": [cond("role_tags", "has", "model"), cond("verified", "is", True)],
                                           "any": []}


def test_an_any_group_of_one_repeated_condition_folds_too():
    doc = {"any": [cond("travels", "is", True), cond("travels", "is", True)]}
    assert canonical_json(doc, PEOPLE) == {"all": [cond("travels", "is", True)], "any": []}


@pytest.mark.parametrize("doc, message", [
    ({"all": [cond("height", "lte", 3)]}, "Unknown field “height”"),
    ({"all": [cond("role_tags", "lte", "model")]}, "can't use the operator “lte”"),
    ({"all": [cond("rate_cents", "lte", "cheap")]}, "Hourly rate needs a whole number"),
    ({"all": [cond("rate_cents", "lte", 1.5)]}, "Hourly rate needs a whole number"),
    ({"all": [cond("verified", "is", "yes")]}, "Verified needs yes or no"),
    ({"all": [cond("role_tags", "has", 7)]}, "Role needs a word"),
    ({"all": [cond("role_tags", "has", "astronaut")]}, "“astronaut” is not a known role"),
    ({"all": [cond("rate_cents", "gte", -1)]}, "Hourly rate must be between"),
    ({"all": [cond("role_tags", "has", "model")] * 21}, "Too many conditions (21)"),
    ({"all": [], "none": []}, "Unknown key “none”"),
    ({"all": {"field": "role_tags"}}, "“all” must be a list"),
    ({"all": [{"field": "role_tags", "op": "has"}]}, "exactly a field, an op and a value"),
    ([], "must be an object"),
])
def test_bad_queries_are_refused_with_a_clear_message(doc, message):
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_json(doc, PEOPLE)


def test_json_over_8_kb_is_refused():
    doc = json.dumps({"all": [cond("role_tags", "has", "x" * 9000)]})
    with pytest.raises(Invalid, match="too large"):
        parse_json(doc, PEOPLE)


def test_text_that_is_not_json_is_refused():
    with pytest.raises(Invalid, match="not valid JSON"):
        parse_json("{all: [", PEOPLE)


def test_studio_fields_are_their_own():
    with pytest.raises(Invalid, match="Unknown field “role_tags” for studios"):
        parse_json({"all": [cond("role_tags", "has", "model")]}, STUDIOS)


def test_a_search_reads_like_a_sentence():
    q = canonical(parse_json({"all": [cond("role_tags", "has", "photographer"), cond("rate_cents", "lte", 20000)],
                              "any": [cond("style_tags", "has", "editorial"), cond("style_tags", "has", "fashion")]},
                             PEOPLE))
    assert describe(PEOPLE, "berlin", q) == "Photographers in Berlin · editorial or fashion · up to $200/h"


def test_studio_descriptions_name_amenities_and_room():
    q = Query(all=(Condition("amenity_tags", "has", "cyclorama"), Condition("capacity", "gte", 12)))
    assert describe(STUDIOS, "paris", q) == "Studios in Paris · with cyclorama · room for 12+"


def test_an_empty_search_describes_the_city():
    assert describe(PEOPLE, "new-york", Query()) == "People in New York"
