"""The database, not Python, keeps money right when events arrive at the same moment: 64 requests
at once, each in its own thread, its own test client and its own PostgreSQL connection."""
from __future__ import annotations

from tests.internal.conftest import at_once, body_of, completed, redeem

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
