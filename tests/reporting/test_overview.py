"""The overview's figures against a small set of facts counted by hand.

The range, Wednesday 25 February to Wednesday 4 March 2026, cuts through two ISO weeks (Mondays
23 February and 2 March) and two months; the previous period is 17–24 February.

  invite  program  inviter    source     created      signed up    then
  i1      Alpha    Ada (BER)  copy       24 Feb (P)   25 Feb       rewarded 4 Mar (award 1500, clawed back 4 Mar)
  i2      Alpha    Ada        sharecard  26 Feb       27 Feb       flagged: held
  i3      Beta     Bob (PAR)  email      2 Mar        -
  i4      Alpha    Ada        copy       1 Mar (Sun)  1 Mar        rewarded 3 Mar (award 2000)
  i5      Beta     Bob        qr         20 Feb (P)   21 Feb (P)   over the cap, booked 28 Feb
  i6      Alpha    Ada        copy       5 Mar (after the range)
  ledger: Bob's manual award 1000 on 18 Feb (P); Ada redeems 300 on 26 Feb.
  activity: a Berlin alert on 25 Feb (e-mailed, in the app), a Paris one on 4 Mar (in the app only);
  a follow on 26 Feb; a Berlin post published on 1 Mar, another left unpublished.
"""
from __future__ import annotations

from datetime import date

import pytest

from webapp.reporting import service
from webapp.reporting.model import Filters, Preset

from . import facts
from .facts import at

START, END = date(2026, 2, 25), date(2026, 3, 4)


@pytest.fixture
def world(db_conn, make_user):
    ada = make_user("provider", name="Ada Lovelace", email="ada@example.com", city="berlin")
    bob = make_user("member", name="Bob Brown", email="bob@example.org", city="paris")
    people = [make_user("member", name=f"Invitee {n}", city="lyon") for n in range(5)]
    alpha, beta = facts.program(db_conn, "Alpha"), facts.program(db_conn, "Beta")
    i1 = facts.invite(db_conn, alpha, ada, created=at("2026-02-24", 23), invitee=people[0],
                      accepted=at("2026-02-25", 1), status="clawed_back")
    facts.invite(db_conn, alpha, ada, created=at("2026-02-26"), source="sharecard", invitee=people[1],
                 accepted=at("2026-02-27"), status="held", flags=["signup_burst"])
    facts.invite(db_conn, beta, bob, created=at("2026-03-02"), source="email")
    i4 = facts.invite(db_conn, alpha, ada, created=at("2026-03-01", 9), invitee=people[2], accepted=at("2026-03-01"),
                      status="rewarded")
    i5 = facts.invite(db_conn, beta, bob, created=at("2026-02-20"), source="qr", invitee=people[3],
                      accepted=at("2026-02-21"), status="capped")
    facts.invite(db_conn, alpha, ada, created=at("2026-03-05"))
    e1 = facts.entry(db_conn, ada, "award", 2000, on=at("2026-03-03"), program_id=alpha, related_id=i4)
    facts.reward(db_conn, i4, earned=at("2026-03-03"), inviter_entry_id=e1)
    e2 = facts.entry(db_conn, ada, "award", 1500, on=at("2026-03-04", 8), program_id=alpha, related_id=i1)
    facts.reward(db_conn, i1, earned=at("2026-03-04", 8), inviter_entry_id=e2)
    facts.entry(db_conn, ada, "clawback", 1500, on=at("2026-03-04", 9), program_id=alpha, related_id=e2)
    facts.reward(db_conn, i5, earned=at("2026-02-28"), inviter_entry_id=None)
    facts.entry(db_conn, bob, "award", 1000, on=at("2026-02-18"), related_id="gdc_manual")
    facts.entry(db_conn, ada, "redeem", 300, on=at("2026-02-26"), related_id="bkg_1")
    berlin, paris = facts.search(db_conn, ada, "berlin"), facts.search(db_conn, bob, "paris")
    facts.alert(db_conn, berlin, "2026-02-25", emailed=True, inapp=True)
    facts.alert(db_conn, paris, "2026-03-04", emailed=False, inapp=True)
    facts.follow(db_conn, bob, "spr_x", at("2026-02-26"))
    facts.post(db_conn, ada, "berlin", at("2026-03-01"), published=True)
    facts.post(db_conn, ada, "berlin", at("2026-03-01"), published=False)
    return {"ada": ada, "bob": bob, "alpha": alpha, "beta": beta}


def overview(app, **filters):
    with app.app_context():
        return service.overview(Filters(Preset.CUSTOM, START, END, **filters))


def tiles(view) -> dict:
    return {t.key: (t.value, t.previous) for t in view.tiles}


def chart(view, key: str) -> dict:
    found = next(c for c in view.charts if c.key == key)
    return {s.name: s.values for s in found.series}


def test_every_tile_counts_the_range_and_the_period_before_it(app, world):
    assert tiles(overview(app)) == {
        "invites": (3, 2), "signups": (3, 1), "rewarded": (2, 0), "conversion": (2 / 3, 0.0),
        "awarded_cents": (3500, 1000), "clawed_back_cents": (1500, 0), "redeemed_cents": (300, 0),
        "outstanding_cents": (2700, 1000), "held": (1, 0), "cap_hits": (1, 0)}


def test_a_tile_changes_against_the_previous_period_and_not_against_nothing(app, world):
    view = {t.key: t for t in overview(app).tiles}
    assert view["invites"].change == 0.5
    assert view["awarded_cents"].change == 2.5
    assert view["rewarded"].change is None


def test_weekly_charts_label_the_weeks_by_their_monday_and_count_only_the_range(app, world):
    view = overview(app)
    weekly = next(c for c in view.charts if c.key == "invites_by_program")
    assert weekly.categories == ("2026-02-23", "2026-03-02")
    assert chart(view, "invites_by_program") == {"Alpha": (2, 0), "Beta": (0, 1)}
    assert chart(view, "rewards_by_program") == {"Alpha": (0, 2)}
    assert chart(view, "invites_by_source") == {"Copied link": (1, 0), "Share card": (1, 0), "E-mail": (0, 1)}
    assert chart(view, "rewards_by_source") == {"Copied link": (0, 2)}
    assert chart(view, "credit_flow") == {"Awarded": (0, 3500), "Clawed back": (0, 1500), "Redeemed": (300, 0)}


def test_the_funnel_shows_each_programs_invites_sign_ups_and_rewards(app, world):
    assert chart(overview(app), "funnel") == {"Alpha": (2, 3, 2), "Beta": (1, 0, 0)}


def test_daily_charts_have_one_value_per_day_of_the_range(app, world):
    view = overview(app)
    assert next(c for c in view.charts if c.key == "alerts").categories[0] == "2026-02-25"
    assert chart(view, "alerts") == {"Alerts": (1, 0, 0, 0, 0, 0, 0, 1), "E-mailed": (1, 0, 0, 0, 0, 0, 0, 0),
                                     "In the app": (1, 0, 0, 0, 0, 0, 0, 1)}
    assert chart(view, "activity") == {"Follows": (0, 1, 0, 0, 0, 0, 0, 0),
                                       "Published posts": (0, 0, 0, 0, 1, 0, 0, 0)}


def test_the_lists_show_top_inviters_cap_hits_by_month_the_review_queue_and_programs(app, world):
    view = overview(app)
    assert [(t.display_name, t.masked_email, t.invites, t.signups, t.rewards, t.credits_cents)
            for t in view.top_inviters] == [("Ada Lovelace", "a•••@example.com", 2, 3, 2, 2000),
                                             ("Bob Brown", "b•••@example.org", 1, 0, 0, 0)]
    assert [(c.month, c.program_name, c.hits) for c in view.cap_hits] == [(date(2026, 2, 1), "Beta", 1)]
    assert (view.review.size, view.review.oldest_at) == (1, date(2026, 2, 27))
    assert [(p.name, p.invites, p.signups, p.rewarded) for p in view.programs] == [("Alpha", 2, 3, 2),
                                                                                   ("Beta", 1, 0, 0)]


def test_the_program_filter_keeps_that_programs_invites_and_credits(app, world):
    view = overview(app, program_id=world["beta"])
    assert tiles(view)["invites"] == (1, 1)
    assert tiles(view)["cap_hits"] == (1, 0)
    assert tiles(view)["awarded_cents"] == (0, 0)  # the manual award names no program
    assert [t.display_name for t in view.top_inviters] == ["Bob Brown"]


def test_the_source_filter_keeps_invites_and_the_credits_paid_for_them(app, world):
    view = overview(app, source="copy")
    assert {k: tiles(view)[k] for k in ("invites", "signups", "rewarded", "awarded_cents", "redeemed_cents")} == {
        "invites": (1, 1), "signups": (2, 0), "rewarded": (2, 0), "awarded_cents": (3500, 0),
        "redeemed_cents": (0, 0)}


def test_the_city_filter_is_the_inviters_the_searches_and_the_posts_city_and_leaves_follows(app, world):
    view = overview(app, city="paris")
    assert {k: tiles(view)[k] for k in ("invites", "cap_hits", "awarded_cents")} == {
        "invites": (1, 1), "cap_hits": (1, 0), "awarded_cents": (0, 1000)}
    assert chart(view, "alerts")["Alerts"] == (0, 0, 0, 0, 0, 0, 0, 1)
    assert chart(view, "activity") == {"Follows": (0, 1, 0, 0, 0, 0, 0, 0), "Published posts": (0,) * 8}


def test_a_range_with_nothing_in_it_is_empty_and_divides_by_nothing(app, world):
    with app.app_context():
        view = service.overview(Filters(Preset.CUSTOM, date(2025, 1, 1), date(2025, 1, 7)))
    assert view.empty
    assert {t.key: t.value for t in view.tiles}["conversion"] is None
    assert all(t.change is None for t in view.tiles)
    assert all(c.empty for c in view.charts)
    assert view.top_inviters == ()


def test_the_filter_form_offers_programs_the_sources_seen_and_every_city(app, world):
    view = overview(app)
    assert [name for _, name in view.program_choices] == ["Alpha", "Beta"]
    # qr: i5's cap hit falls in the range
    assert [value for value, _ in view.source_choices] == ["copy", "sharecard", "qr", "email", "none"]
    assert ("berlin", "Berlin") in view.city_choices


def test_e_mails_are_masked_to_their_first_letter_and_domain():
    assert service.mask_email("ada@example.com") == "a•••@example.com"
    assert service.mask_email("broken") == "•••"
