"""A signed body that is not a valid event is a 400 in JSON naming the field that is wrong, and
records nothing: not the event (a corrected copy with the same id is then applied), no entry."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.internal.conftest import body_of, completed, redeem


@pytest.fixture
def people(make_user, give_credit):
    buyer, seller = make_user("member", name="Bea Buyer"), make_user("provider", name="Pia Portrait")
    give_credit(buyer, 5_000)
    return buyer, seller


def booking(people, **changes) -> bytes:
    event = completed(*people)
    event.update(changes)
    return body_of({k: v for k, v in event.items() if v is not None})


MALFORMED = {
    "not JSON": (lambda p: b"{'id': 'evt_1', 'type': 'credit.redeem'}", "body"),
    "a JSON array": (lambda p: body_of([redeem(p[0], 100)]), "body"),
    "a JSON string": (lambda p: b'"credit.redeem"', "body"),
    "no type": (lambda p: booking(p, type=None), "type"),
    "an unknown type": (lambda p: booking(p, type="booking.cancelled"), "type"),
    "a missing field": (lambda p: booking(p, buyer_fee_cents=None), "buyer_fee_cents"),
    "a missing id": (lambda p: booking(p, id=None), "id"),
    "cents as a string": (lambda p: booking(p, buyer_fee_cents="10000"), "buyer_fee_cents"),
    "cents as a decimal": (lambda p: booking(p, buyer_fee_cents=100.5), "buyer_fee_cents"),
    "cents as a boolean": (lambda p: booking(p, buyer_fee_cents=True), "buyer_fee_cents"),
    "a negative fee": (lambda p: booking(p, buyer_fee_cents=-1), "buyer_fee_cents"),
    "an absurd fee": (lambda p: booking(p, buyer_fee_cents=2**40), "buyer_fee_cents"),
    "a negative redeem": (lambda p: body_of(redeem(p[0], -100)), "max_cents"),
    "a user id as a number": (lambda p: booking(p, buyer_user_id=42), "buyer_user_id"),
    "a time without its zone": (lambda p: booking(p, occurred_at="2026-01-20T15:30:00"), "occurred_at"),
    "a date, not a time": (lambda p: booking(p, occurred_at="yesterday"), "occurred_at"),
    "a booking in the future": (lambda p: booking(p, occurred_at="2999-01-01T00:00:00Z"), "occurred_at"),
    "a time before any booking": (lambda p: booking(p, occurred_at="0001-01-01T00:00:00+05:00"), "occurred_at"),
    "an oversize id": (lambda p: booking(p, id="evt_" + "x" * 200), "id"),
    "an empty id": (lambda p: booking(p, id=""), "id"),
    "an id with a NUL": (lambda p: booking(p, id="evt_\u0000"), "id"),
    "an id with spaces and markup": (lambda p: booking(p, booking_id="<b> 1"), "booking_id"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_event_is_a_400_naming_the_field_and_records_nothing(send, people, recorded, case):
    make, field = MALFORMED[case]
    before = recorded()
    response = send(make(people))
    assert response.status_code == 400 and response.is_json
    assert field in response.json["fields"], response.json
    assert field in response.json["message"]
    assert recorded() == before


def test_the_answer_says_what_is_wrong_with_each_field(send, people):
    response = send(booking(people, buyer_fee_cents=-5, occurred_at="2026-01-20T15:30:00"))
    assert response.json["fields"] == {
        "buyer_fee_cents": "Must be 0 or more.",
        "occurred_at": "Must be an ISO 8601 time with its time zone (2026-03-18T10:00:00Z, or +01:00).",
    }


def test_an_unknown_type_is_named_with_the_types_there_are(send, people):
    response = send(booking(people, type="booking.cancelled"))
    assert response.json["fields"] == {
        "type": "Unknown type: use one of booking.completed, booking.refunded, credit.redeem."}


def test_a_refused_body_leaves_its_id_free_for_the_corrected_event(send, people, entries):
    buyer, _ = people
    event = redeem(buyer, 300)
    assert send({**event, "max_cents": "300"}).status_code == 400
    response = send(event)
    assert response.status_code == 200 and response.json == {"redeemed_cents": 300, "balance_cents": 4_700}
    assert ("redeem", 300, event["booking_id"]) in entries(buyer)


def test_fields_the_endpoint_does_not_know_are_ignored(send, people):
    """The marketplace may add a field before this app reads it."""
    buyer, _ = people
    response = send({**redeem(buyer, 100), "currency": "USD", "checkout": {"step": 3}})
    assert response.status_code == 200 and response.json["redeemed_cents"] == 100


def test_times_in_any_zone_mean_the_same_moment(send, referrals, provider, db_conn):
    world = referrals()
    nora = world.invitee()
    assert send(completed(nora, provider) | {"occurred_at": "2026-01-31T23:30:00-05:00"}).status_code == 200
    month = db_conn.execute("select month from referral_cap_use").fetchone()[0]
    assert month.isoformat() == "2026-02-01"  # 04:30 UTC on 1 February: February's cap


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["id", "type", "booking_id", "buyer_user_id", "provider_user_id", "buyer_fee_cents",
                              "occurred_at", "user_id", "max_cents"]),
       value=JSON_VALUES, raw=st.binary(max_size=60))
def test_no_signed_body_breaks_the_endpoint(send, people, recorded, field, value, raw):
    """Any value in any field, or any bytes at all: a 200 or a 400 naming something, never a 500,
    and a refusal records nothing."""
    buyer, _ = people
    for body in (body_of({**completed(*people), field: value}), body_of({**redeem(buyer, 10), field: value}), raw):
        before = recorded()
        response = send(body)
        assert response.status_code in (200, 400), (body, response.status_code)
        if response.status_code == 400:
            assert response.json["fields"] and recorded() == before, json.dumps(response.json)
