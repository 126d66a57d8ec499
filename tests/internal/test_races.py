"""The database, not Python, keeps money right when events arrive at the same moment: 64 requests
at once, each in its own thread, its own test client and its own PostgreSQL connection."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg

from tests.internal.conftest import at_once, body_of, completed, redeem, refunded

AT_ONCE = 64


def test_64_first_bookings_at_once_never_pay_past_the_monthly_cap(race_app, referrals, provider, db_conn, entries):
    world = referrals(fixed=1_000, bips=0, cap=5)
    invitees = [world.invitee(name=f"Invitee {n}") for n in range(AT_ONCE)]
    responses = at_once(race_app, [body_of(completed(invitee, provider)) for invitee in invitees])
    assert {r.status_code for r in responses} == {200}
    paid = [r.json["awarded"] for r in responses if r.json["awarded"]]
    assert paid == [[{"user_id": world.ada["user_id"], "amount_cents": 1_000}]] * 5
    assert [e[:2] for e in entries(world.ada)] == [("award", 1_000)] * 5
    assert db_conn.execute("select used, cap from referral_cap_use").fetchall() == [(5, 5)]
    statuses = dict(db_conn.execute("select status, count(*) from referral_invite group by status").fetchall())
    assert statuses == {"rewarded": 5, "capped": AT_ONCE - 5}


def test_64_redeems_at_once_take_exactly_the_balance_and_never_go_below_zero(race_app, make_user, give_credit,
                                                                            db_conn, balance):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 5_000)
    responses = at_once(race_app, [body_of(redeem(bea, 300)) for _ in range(AT_ONCE)])
    assert {r.status_code for r in responses} == {200}
    answers = [r.json for r in responses]
    assert sum(a["redeemed_cents"] for a in answers) == 5_000
    assert all(a["balance_cents"] >= 0 for a in answers)
    # each answer's balance is what that redeem left: together they count down from 5,000 without a gap
    assert sorted((a["balance_cents"] for a in answers if a["redeemed_cents"]), reverse=True) == \
        [5_000 - 300 * n for n in range(1, 17)] + [0]
    assert balance(bea) == 0
    assert db_conn.execute("select sum(amount_cents), count(*) from credit_ledger where kind = 'redeem'"
                           ).fetchone() == (5_000, 17)


def test_bookings_between_the_same_people_in_both_roles_at_once_all_go_through(race_app, referrals, db_conn):
    """Two invitees book each other at the same moment (a buys from b, b buys from a), sixteen pairs
    at once: each event locks both invites, in invite-id order whatever the roles, so the two never
    wait on each other in a cycle. Every answer is a 200 and each invite earns once."""
    world = referrals(fixed=1_000, bips=0, cap=100)
    pairs = [(world.invitee(name=f"A {n}"), world.invitee(name=f"B {n}")) for n in range(16)]
    bodies = [body_of(completed(a, b)) for a, b in pairs] + [body_of(completed(b, a)) for a, b in pairs]
    responses = at_once(race_app, bodies)
    assert [r.status_code for r in responses] == [200] * len(bodies)
    assert db_conn.execute("select count(*) from credit_ledger where kind = 'award'").fetchone()[0] == 32
    assert sum(len(r.json["awarded"]) for r in responses) == 32


def test_an_event_the_database_aborts_to_break_a_deadlock_is_applied_again(send, referrals, provider, give_credit,
                                                                          database_url, caplog):
    """Another transaction holds Ada's balance row, the event waits for it while holding Nora's
    invite, and the other then asks for that invite: a cycle. PostgreSQL aborts the event (it has
    waited longest); the endpoint applies it again once the other is done, and answers 200."""
    world = referrals(fixed=1_000, bips=0)
    nora = world.invitee()
    give_credit(world.ada, 1)  # Ada's balance row exists: the award below updates it
    with psycopg.connect(database_url) as other:
        other.execute("set deadlock_timeout = '30s'")  # the event's session finds the cycle first
        other.execute("select 1 from credit_balance where user_id = %s for update", (world.ada["user_id"],))
        with ThreadPoolExecutor(1) as pool, caplog.at_level(logging.INFO, logger="webapp.core.transactions"):
            answer = pool.submit(send, completed(nora, provider))
            waiting_for_a_lock(database_url, other)
            other.execute("select 1 from referral_invite where invite_id = %s for update", (nora["invite_id"],))
            other.rollback()
            response = answer.result(timeout=60)
    assert response.status_code == 200
    assert response.json == {"awarded": [{"user_id": world.ada["user_id"], "amount_cents": 1_000}]}
    assert any("running the transaction again (attempt 2)" in r.getMessage() for r in caplog.records)


def waiting_for_a_lock(database_url: str, besides) -> None:
    """Returns once a session other than `besides` waits for a row lock (bounded: 30 s)."""
    other_pid = besides.info.backend_pid
    with psycopg.connect(database_url, autocommit=True) as watcher:
        for _ in range(3_000):
            if watcher.execute("select count(*) from pg_stat_activity where datname = current_database()"
                               " and wait_event_type = 'Lock' and pid <> %s", (other_pid,)).fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the event never waited for the lock")


def test_a_refund_racing_its_booking_s_completion_never_leaves_the_reward_paid(race_app, referrals, provider,
                                                                               db_conn):
    world = referrals(fixed=1_000, bips=0)
    for n in range(8):
        nora = world.invitee(name=f"Nora {n}")
        booking = completed(nora, provider)
        at_once(race_app, [body_of(booking), body_of(refunded(booking["booking_id"]))])
        net = db_conn.execute(
            "select coalesce(sum(case kind when 'award' then amount_cents else -amount_cents end), 0)"
            " from credit_ledger where user_id = %s", (world.ada["user_id"],)).fetchone()[0]
        assert net == 0, f"round {n}: a refunded booking left {net} cents paid"
