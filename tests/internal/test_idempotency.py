"""An event's id is its idempotency key: a repeat, one after the other or at the same moment,
gets the first answer byte for byte and records nothing new."""
from __future__ import annotations

import logging

from tests.internal.conftest import at_once, body_of, completed, redeem


def test_a_repeated_event_gets_the_first_answer_byte_for_byte_and_records_nothing(send, make_user, give_credit,
                                                                                   recorded):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 1_000)
    event = redeem(bea, 400)
    first = send(event)
    after_first = recorded()
    again = send(event)
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert first.get_data() == b'{"redeemed_cents":400,"balance_cents":600}'
    assert recorded() == after_first
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers


def test_a_repeat_answers_as_the_first_time_even_after_the_balance_moved_on(send, make_user, give_credit):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 1_000)
    event = redeem(bea, 400)
    first = send(event).get_data()
    send(redeem(bea, 100))
    assert send(event).get_data() == first  # balance 600 then, 500 now: the answer is the first one


def test_a_repeated_booking_earns_once(send, referrals, provider, entries):
    world = referrals()
    nora = world.invitee()
    event = completed(nora, provider)
    first = send(event)
    assert send(event).get_data() == first.get_data()
    assert len(entries(world.ada)) == 1


def test_a_repeat_with_a_different_body_is_logged_and_still_gets_the_first_answer(send, make_user, give_credit,
                                                                                   recorded, caplog):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 1_000)
    event = redeem(bea, 400)
    first = send(event)
    before = recorded()
    with caplog.at_level(logging.WARNING, logger="webapp.internal.service"):
        changed = send({**event, "max_cents": 900})
    assert changed.get_data() == first.get_data() and changed.status_code == 200
    assert recorded() == before
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert event["id"] in warning.getMessage() and "different body" in warning.getMessage()


def test_a_repeat_with_the_same_bytes_is_not_logged_as_different(send, make_user, caplog):
    event = redeem(make_user("member"), 100)
    send(event)
    with caplog.at_level(logging.WARNING, logger="webapp.internal.service"):
        send(event)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_copies_of_one_redeem_arriving_at_once_redeem_once(race_app, make_user, give_credit, entries, balance,
                                                          db_conn):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 1_000)
    body = body_of(redeem(bea, 300))
    responses = at_once(race_app, [body] * 16)
    assert {r.status_code for r in responses} == {200}
    assert {r.get_data() for r in responses} == {b'{"redeemed_cents":300,"balance_cents":700}'}
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 15
    assert [e[:2] for e in entries(bea)] == [("award", 1_000), ("redeem", 300)]
    assert balance(bea) == 700
    assert db_conn.execute("select count(*) from internal_event").fetchone()[0] == 1


def test_copies_of_one_booking_arriving_at_once_earn_once(race_app, referrals, provider, entries, db_conn):
    world = referrals(invitee=500)
    nora = world.invitee()
    body = body_of(completed(nora, provider))
    responses = at_once(race_app, [body] * 16)
    assert {r.status_code for r in responses} == {200}
    assert len({r.get_data() for r in responses}) == 1
    assert responses[0].json["awarded"] == [{"user_id": world.ada["user_id"], "amount_cents": 2_500},
                                            {"user_id": nora["user_id"], "amount_cents": 500}]
    assert len(entries(world.ada)) == 1 and len(entries(nora)) == 1
    assert db_conn.execute("select used from referral_cap_use").fetchall() == [(1,)]


def test_past_600_events_a_minute_from_one_address_the_answer_is_429_and_nothing_is_applied(send, make_user,
                                                                                              give_credit, recorded):
    """core/limits.EVENTS; a 429 is safe to retry later with the same id."""
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 1_000)
    first = redeem(bea, 100)
    statuses = {send(first).status_code for _ in range(600)}  # one applied, 599 repeats
    assert statuses == {200}
    before = recorded()
    refused = send(redeem(bea, 100))
    assert refused.status_code == 429 and refused.is_json and "Retry-After" in refused.headers
    assert recorded() == before
