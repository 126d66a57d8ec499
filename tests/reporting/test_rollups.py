"""The rollups the writers keep equal those rebuilt from the facts: after a mix of writes through the
real features (sign-ups through the forms, bookings, refunds, redeems and a review through the
credits service, alerts, follows and posts through their queries), and after `flask growth
rebuild-rollups` from nothing."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.growth.factories import complete_booking, refund_booking
from tests.referrals.signups import browser, email_invite, make_code, make_program, sign_up, user_id_of
from webapp.alerts import queries as alerts
from webapp.core.extensions import db
from webapp.core.ids import new_id
from webapp.credits import service as credits
from webapp.feed import queries as feed
from webapp.follows import queries as follows

from . import facts

NOW = datetime.now(UTC)


def _in_transaction(app, write):
    with app.app_context():
        write()
        db.session.commit()


@pytest.fixture
def busy_day(app, db_conn, make_user):
    """Sign-ups through a link and an e-mail invite, bookings that pay, one over the cap, one refunded,
    a collusion held then approved, a redeem, alerts delivered, follows made and undone, posts
    published and withdrawn."""
    program = make_program(db_conn, fixed=2_000, welcome=500)
    db_conn.execute("update referral_program set monthly_cap = 2 where program_id = %s", (program,))
    ada = make_user("provider", name="Ada Lens", email="ada@example.com", city="berlin")
    code = make_code(db_conn, ada, program)
    email_invite(db_conn, app, ada, program, "erin@example.com", created_at=NOW - timedelta(days=1))
    buyers = []
    for n, (address, source) in enumerate((("nora@example.com", "qr"), ("omar@example.com", "copy"),
                                           ("pia@example.com", "sharecard"), ("erin@example.com", None))):
        visitor = browser(app, f"203.0.113.{10 + n}")
        if source:
            visitor.get(f"/r/{code}?s={source}")
        assert sign_up(visitor, address, name=f"Buyer {n}").status_code == 303
        buyers.append({"user_id": user_id_of(db_conn, address)})
    provider = make_user("provider", city="paris")
    booked = datetime.now(UTC)  # after the sign-ups: a booking before one does not qualify
    first = new_id("bkg")
    complete_booking(app, buyer=buyers[0], provider=provider, at=booked, booking_id=first)
    complete_booking(app, buyer=buyers[1], provider=provider, at=booked)
    complete_booking(app, buyer=buyers[2], provider=provider, at=booked)  # over the cap of 2
    complete_booking(app, buyer=buyers[3], provider=ada, at=booked)        # with the inviter: held
    refund_booking(app, first)
    growth = make_user("growth")
    held = db_conn.execute("select invite_id from referral_invite where status = 'held'").fetchone()[0]
    _in_transaction(app, lambda: credits.approve(held, actor_user_id=growth["user_id"], reason="Real booking"))
    _in_transaction(app, lambda: credits.redeem(user_id=buyers[1]["user_id"], booking_id=new_id("bkg"),
                                                max_cents=300))

    search = facts.search(db_conn, ada, "berlin")
    alert_id = new_id("ssa")
    _in_transaction(app, lambda: alerts.record_alerts(date.today(), [(alert_id, search, 3)]))
    _in_transaction(app, lambda: alerts.mark_inapp_created([alert_id]))
    _in_transaction(app, lambda: alerts.mark_email_sent(db.session, alert_id))
    _in_transaction(app, lambda: follows.add_follow(ada["user_id"], "spr_1", "service_profile"))
    _in_transaction(app, lambda: follows.add_follow(ada["user_id"], "spr_2", "service_profile"))
    _in_transaction(app, lambda: follows.remove_follow(ada["user_id"], "spr_2", "service_profile"))
    posts = [new_id("fdp") for _ in range(2)]
    for feed_id in posts:
        _in_transaction(app, lambda feed_id=feed_id: feed.insert_post(
            feed_id=feed_id, author_id=provider["user_id"], role_tags=["photographer"], kind="case_study",
            title="A shoot", body_md="", body_html="", nsfw_band=0, city="paris", verified_chip=False))
        _in_transaction(app, lambda feed_id=feed_id: feed.publish(feed_id, False))
    _in_transaction(app, lambda: feed.unpublish(posts[1]))
    return {"ada": ada, "buyers": buyers}


def test_the_writers_rollups_equal_a_rebuild_from_the_facts(app, db_conn, runner, busy_day):
    kept = facts.rollups(db_conn)
    result = runner.invoke(args=["growth", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    assert facts.rollups(db_conn) == kept


def test_the_mix_is_counted_as_it_happened(db_conn, busy_day):
    totals = db_conn.execute(
        "select sum(invites), sum(signups), sum(rewarded), sum(signups_rewarded), sum(held), sum(cap_hits),"
        " sum(awarded_cents), sum(clawed_back_cents), sum(redeemed_cents) from growth_daily").fetchone()
    # 4 sign-ups; paid: Nora's and Omar's; over the cap of 2: Pia's, and Erin's once approved; Nora's
    # refunded. Awards: two rewards of 2000 and four welcome credits of 500; the refund takes 2000 + 500.
    assert totals == (4, 4, 2, 2, 1, 2, 6000, 2500, 300)
    activity = db_conn.execute("select sum(alerts), sum(alerts_emailed), sum(alerts_inapp), sum(follows),"
                               " sum(posts_published) from activity_daily").fetchone()
    assert activity == (1, 1, 1, 1, 1)


def test_a_rebuild_from_empty_rollups_restores_them(app, db_conn, runner, busy_day):
    kept = facts.rollups(db_conn)
    db_conn.execute("delete from growth_daily; delete from activity_daily")
    assert runner.invoke(args=["growth", "rebuild-rollups"]).exit_code == 0
    assert facts.rollups(db_conn) == kept


def test_nothing_waits_in_the_queue_after_a_commit(db_conn, busy_day):
    assert db_conn.execute("select (select count(*) from growth_daily_pending)"
                           " + (select count(*) from activity_daily_pending)").fetchone()[0] == 0


