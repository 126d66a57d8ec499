"""What the marketplace's events do to credits, through the endpoint: a referral reward on an
invitee's first booking, held ones, refunds clawing back exactly what a booking paid, and
redeems taking what there is."""
from __future__ import annotations

from tests.internal.conftest import completed, redeem, refunded


def test_an_invitee_s_first_booking_earns_the_inviter_the_program_s_reward(send, referrals, provider, entries, balance):
    world = referrals(fixed=2_000, bips=500)
    nora = world.invitee()
    response = send(completed(nora, provider, fee=1_999))
    # 2,000 + 5% of 1,999 cents (99.95, rounded down to 99)
    assert response.status_code == 200
    assert response.json == {"awarded": [{"user_id": world.ada["user_id"], "amount_cents": 2_099}]}
    assert entries(world.ada) == [("award", 2_099, nora["invite_id"])]
    assert balance(world.ada) == 2_099
    assert world.invite(nora)["status"] == "rewarded"


def test_the_invitee_counts_as_the_provider_of_a_booking_too(send, referrals, make_user):
    world = referrals(fixed=1_500, bips=0)
    pia = world.invitee(name="Pia Provider")
    buyer = make_user("member", name="Bea Buyer")
    response = send(completed(buyer, pia))
    assert response.json == {"awarded": [{"user_id": world.ada["user_id"], "amount_cents": 1_500}]}


def test_a_double_sided_program_pays_the_invitee_s_welcome_credit_on_the_same_booking(send, referrals, provider,
                                                                                      entries):
    world = referrals(fixed=2_000, bips=0, invitee=1_000)
    nora = world.invitee()
    response = send(completed(nora, provider))
    assert response.json == {"awarded": [{"user_id": world.ada["user_id"], "amount_cents": 2_000},
                                         {"user_id": nora["user_id"], "amount_cents": 1_000}]}
    assert entries(nora) == [("award", 1_000, nora["invite_id"])]


def test_a_second_booking_of_the_same_invitee_earns_nothing(send, referrals, provider, entries):
    world = referrals()
    nora = world.invitee()
    send(completed(nora, provider))
    response = send(completed(nora, provider, fee=50_000))
    assert response.status_code == 200 and response.json == {"awarded": []}
    assert len(entries(world.ada)) == 1


def test_a_booking_of_someone_no_invite_brought_earns_nothing(send, make_user, provider, recorded):
    buyer = make_user("member")
    response = send(completed(buyer, provider))
    assert response.json == {"awarded": []}
    assert recorded()["credit_ledger"] == 0 and recorded()["internal_event"] == 1


def test_a_booking_between_inviter_and_invitee_is_held_as_collusion(send, referrals, entries):
    world = referrals(invitee=1_000)
    nora = world.invitee()
    response = send(completed(nora, world.ada))
    assert response.json == {"awarded": []}
    assert entries(world.ada) == [] and entries(nora) == []
    assert world.invite(nora) == {"status": "held", "flags": ["collusion"]}


def test_a_flagged_invite_earns_nothing_until_the_growth_team_decides(send, referrals, provider, entries, db_conn):
    world = referrals(invitee=1_000)
    nora = world.invitee(flags=("self_referral",))
    response = send(completed(nora, provider))
    assert response.json == {"awarded": []}
    assert entries(world.ada) == [] and entries(nora) == []
    assert world.invite(nora) == {"status": "held", "flags": ["self_referral"]}
    # the booking is remembered for the review: approving it pays this booking's reward
    assert db_conn.execute("select count(*) from referral_reward where invite_id = %s",
                           (nora["invite_id"],)).fetchone()[0] == 1


def test_past_the_monthly_cap_the_inviter_earns_nothing_and_the_invite_shows_it(send, referrals, provider, entries):
    world = referrals(cap=1)
    first, second = world.invitee(name="First"), world.invitee(name="Second")
    send(completed(first, provider))
    response = send(completed(second, provider))
    assert response.json == {"awarded": []}
    assert len(entries(world.ada)) == 1
    assert world.invite(second)["status"] == "capped"


def test_a_refund_claws_back_exactly_that_booking_s_awards_once(send, referrals, provider, db_conn, balance):
    world = referrals(fixed=2_000, bips=0, invitee=1_000)
    nora, otto = world.invitee(name="Nora"), world.invitee(name="Otto")
    refunded_booking = completed(nora, provider)
    send(refunded_booking)
    send(completed(otto, provider))  # another booking's awards stay
    response = send(refunded(refunded_booking["booking_id"]))
    assert response.status_code == 200
    assert response.json == {"clawed_back": [{"user_id": world.ada["user_id"], "amount_cents": 2_000},
                                             {"user_id": nora["user_id"], "amount_cents": 1_000}]}
    clawbacks = db_conn.execute(
        "select c.user_id, c.amount_cents, a.kind, a.related_id from credit_ledger c"
        " join credit_ledger a on a.entry_id = c.related_id where c.kind = 'clawback' order by c.amount_cents desc"
    ).fetchall()
    assert clawbacks == [(world.ada["user_id"], 2_000, "award", nora["invite_id"]),
                         (nora["user_id"], 1_000, "award", nora["invite_id"])]
    assert balance(world.ada) == 2_000 and balance(nora) == 0 and balance(otto) == 1_000
    assert world.invite(nora)["status"] == "clawed_back"
    # the same refund reported again (a new event) claws back nothing more
    assert send(refunded(refunded_booking["booking_id"])).json == {"clawed_back": []}
    assert db_conn.execute("select count(*) from credit_ledger where kind = 'clawback'").fetchone()[0] == 2


def test_a_refund_after_the_credit_was_spent_is_recorded_in_full_and_owed(send, referrals, provider, db_conn):
    world = referrals(fixed=2_000, bips=0)
    nora = world.invitee()
    booking = completed(nora, provider)
    send(booking)
    send(redeem(world.ada, 1_500))
    assert send(refunded(booking["booking_id"])).json == {"clawed_back": [
        {"user_id": world.ada["user_id"], "amount_cents": 2_000}]}
    assert db_conn.execute("select balance_cents, owed_cents from credit_balance where user_id = %s",
                           (world.ada["user_id"],)).fetchone() == (0, 1_500)


def test_a_refund_of_a_booking_that_earned_nothing_claws_back_nothing(send, recorded):
    response = send(refunded("bkg_never_seen"))
    assert response.status_code == 200 and response.json == {"clawed_back": []}
    assert recorded()["credit_ledger"] == 0


def test_a_redeem_takes_what_the_checkout_asks_up_to_the_balance(send, make_user, give_credit, entries, balance):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 3_000)
    first = redeem(bea, 1_200)
    assert send(first).json == {"redeemed_cents": 1_200, "balance_cents": 1_800}
    assert send(redeem(bea, 5_000)).json == {"redeemed_cents": 1_800, "balance_cents": 0}
    assert send(redeem(bea, 500)).json == {"redeemed_cents": 0, "balance_cents": 0}
    assert [e for e in entries(bea) if e[0] == "redeem"] == [("redeem", 1_200, first["booking_id"]),
                                                             ("redeem", 1_800, entries(bea)[2][2])]
    assert balance(bea) == 0


def test_a_redeem_for_someone_without_credit_takes_nothing(send, make_user, recorded):
    response = send(redeem(make_user("member"), 500))
    assert response.json == {"redeemed_cents": 0, "balance_cents": 0}
    assert recorded()["credit_ledger"] == 0


def test_a_redeem_for_an_id_no_account_has_takes_nothing_and_leaves_nothing_behind(send, recorded):
    response = send(redeem({"user_id": "usr_nobody_has_this_id"}, 500))
    assert response.json == {"redeemed_cents": 0, "balance_cents": 0}
    assert recorded()["credit_balance"] == 0 and recorded()["internal_event"] == 1


def test_a_booking_refunded_before_it_is_reported_completed_never_pays(send, referrals, provider, entries):
    world = referrals()
    nora = world.invitee()
    booking = completed(nora, provider)
    assert send(refunded(booking["booking_id"])).json == {"clawed_back": []}
    assert send(booking).json == {"awarded": []}
    assert entries(world.ada) == []
    assert world.invite(nora)["status"] == "signed_up"  # her next booking can still earn


def test_a_share_of_a_zero_fee_is_not_a_qualifying_booking(send, referrals, provider, entries, db_conn):
    world = referrals(fixed=0, bips=1_000, cap=1)
    nora = world.invitee()
    assert send(completed(nora, provider, fee=0)).json == {"awarded": []}
    assert db_conn.execute("select count(*) from referral_cap_use").fetchone()[0] == 0  # no slot taken
    assert send(completed(nora, provider, fee=5_000)).json == {"awarded": [
        {"user_id": world.ada["user_id"], "amount_cents": 500}]}


def test_redeems_for_one_booking_together_never_take_more_than_its_fee(send, make_user, give_credit, balance):
    bea = make_user("member", name="Bea Buyer")
    give_credit(bea, 5_000)
    first = send(redeem(bea, 1_500, booking_id="bkg_checkout1"))
    retried = send(redeem(bea, 1_500, booking_id="bkg_checkout1"))  # the checkout retried under a new id
    assert first.json == {"redeemed_cents": 1_500, "balance_cents": 3_500}
    assert retried.json == {"redeemed_cents": 0, "balance_cents": 3_500}
    assert balance(bea) == 3_500
