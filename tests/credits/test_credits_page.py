"""/credits: the balance and what is owed, what credit pays for, pending rewards, and the history
of the user's ledger entries, newest first, a page at a time, each with what it relates to.

Ledger rows are written the way the app writes them (webapp/credits/queries.insert_entry and the
credits service), so the database's trigger keeps the balance row as it does in production."""
from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.directory.helpers import visible
from tests.invites.helpers import BASE_TIME, elements, make_invite, make_program
from webapp.core.extensions import db
from webapp.credits import account, queries, service

HX = {"HX-Request": "true"}


@pytest.fixture
def entry(app):
    """entry(user, kind, cents, at=…, reason=…, related_id=…) -> the entry's id, written through
    credits.queries.insert_entry in a transaction of its own."""

    def write(user: dict, kind: str, cents: int, *, at=BASE_TIME, reason: str | None = None,
              related_id: str | None = None, program_id: str | None = None) -> str:
        with app.app_context():
            entry_id = queries.insert_entry(user_id=user["user_id"], kind=kind, amount_cents=cents,
                                            reason=reason or f"{kind} of {cents}", related_id=related_id,
                                            program_id=program_id, at=at)
            db.session.commit()
        return entry_id

    return write


def history_rows(response) -> list[list[str]]:
    """The history as a reader sees it: per row, its cells' text."""
    body = html.unescape(response.get_data(as_text=True))
    rows = re.findall(r'<tr class="credit-row .*?</tr>', body, re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def row_ids(response) -> list[str]:
    return [row["id"] for row in elements(response, "tr", class_="credit-row")]


def next_link(response) -> str | None:
    links = [a for a in elements(response, "a") if a["text"] == "Show more"]
    return links[0]["href"] if links else None


def link(response, text: str) -> str:
    [found] = [a["href"] for a in elements(response, "a") if a["text"].strip() == text]
    return found


def balance(response) -> str:
    [amount] = elements(response, "p", class_="credit-balance__amount")
    return amount["text"].strip()


# --- the balance ---------------------------------------------------------------------------------

def test_the_balance_is_the_sum_of_the_entries(signed_in, client, entry, db_conn):
    me = signed_in("member")
    for n, (kind, cents) in enumerate([("award", 2_500), ("award", 1_050), ("redeem", 800), ("clawback", 500)]):
        entry(me, kind, cents, at=BASE_TIME + timedelta(hours=n))
    total = db_conn.execute("select sum(case kind when 'award' then amount_cents else -amount_cents end)"
                            " from credit_ledger where user_id = %s", (me["user_id"],)).fetchone()[0]
    assert total == 2_250
    response = client.get("/credits")
    assert balance(response) == "$22.50"
    assert "You owe" not in visible(response)


def test_a_user_with_no_entries_has_a_zero_balance(signed_in, client):
    signed_in("provider")
    assert balance(client.get("/credits")) == "$0"


def test_a_clawback_larger_than_the_balance_shows_what_is_owed(signed_in, client, entry):
    me = signed_in("member")
    award = entry(me, "award", 2_500, at=BASE_TIME)
    entry(me, "redeem", 1_800, at=BASE_TIME + timedelta(days=1))
    entry(me, "clawback", 2_500, at=BASE_TIME + timedelta(days=2), related_id=award)
    response = client.get("/credits")
    assert balance(response) == "$0"
    assert "You owe $18: your next rewards pay it off first." in visible(response)


def test_the_next_award_pays_off_what_is_owed_first(signed_in, client, entry):
    me = signed_in("member")
    award = entry(me, "award", 2_500, at=BASE_TIME)
    entry(me, "redeem", 2_500, at=BASE_TIME + timedelta(days=1))
    entry(me, "clawback", 2_500, at=BASE_TIME + timedelta(days=2), related_id=award)
    entry(me, "award", 4_000, at=BASE_TIME + timedelta(days=3))
    response = client.get("/credits")
    assert balance(response) == "$15"
    assert "You owe" not in visible(response)


def test_the_page_says_what_credit_pays_for(signed_in, client):
    signed_in("provider")
    text = visible(client.get("/credits"))
    assert "What credit pays for" in text
    assert "The service fee of a booking you make as the buyer" in text
    assert "not cash: it can't be withdrawn" in text


# --- the history ---------------------------------------------------------------------------------

def test_the_history_lists_the_newest_entry_first_with_its_sign(signed_in, client, entry):
    me = signed_in("member")
    entry(me, "award", 2_500, at=BASE_TIME, reason="Referral reward: Rita's first booking (bkg_1)")
    entry(me, "redeem", 700, at=BASE_TIME + timedelta(days=1), reason="Applied to the service fee of booking bkg_2",
          related_id="bkg_2")
    entry(me, "clawback", 1_250, at=BASE_TIME + timedelta(days=2), reason="Booking bkg_1 was refunded")
    rows = history_rows(client.get("/credits"))
    assert [row[:4] for row in rows] == [
        ["3 Mar 2026", "Clawback", "−$12.50", "Booking bkg_1 was refunded"],
        ["2 Mar 2026", "Redeem", "−$7", "Applied to the service fee of booking bkg_2"],
        ["1 Mar 2026", "Award", "+$25", "Referral reward: Rita's first booking (bkg_1)"],
    ]


def test_pages_follow_each_other_without_overlap_or_gap(signed_in, client, entry, db_conn):
    me = signed_in("member")
    for n in range(60):
        entry(me, "award", 100 + n, at=BASE_TIME + timedelta(hours=n // 3))  # three at each moment: ties by id
    expected = [r[0] for r in db_conn.execute(
        "select entry_id from credit_ledger where user_id = %s order by created_at desc, entry_id desc",
        (me["user_id"],))]
    seen, url, pages = [], "/credits", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += row_ids(response)
        url = next_link(response)
        pages += 1
    assert seen == expected
    assert pages == 3  # 25 a page


def test_show_more_over_htmx_returns_only_the_next_rows(signed_in, client, entry):
    me = signed_in("member")
    for n in range(30):
        entry(me, "award", 100 + n, at=BASE_TIME + timedelta(hours=n))
    [more] = [a for a in elements(client.get("/credits"), "a") if a["text"] == "Show more"]
    assert more["href"].endswith("#history")
    response = client.get(more["hx-get"], headers=HX)
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<tr class="credit-row')
    assert "<html" not in body and "<h1" not in body and "credit-balance" not in body and "<table" not in body
    assert [row[2] for row in history_rows(response)] == ["+$1.04", "+$1.03", "+$1.02", "+$1.01", "+$1"]
    assert next_link(response) is None
    assert "HX-Request" in response.headers["Vary"]


def test_show_more_without_javascript_is_the_whole_page_at_the_history(signed_in, client, entry):
    me = signed_in("member")
    for n in range(26):
        entry(me, "award", 100, at=BASE_TIME + timedelta(hours=n))
    response = client.get(next_link(client.get("/credits")))
    assert "<h1>Credits</h1>" in response.get_data(as_text=True)
    assert len(history_rows(response)) == 1
    assert "Back to your latest entries" in visible(response)


def test_a_broken_page_link_is_a_clear_400(signed_in, client):
    signed_in("member")
    for cursor in ("not-a-cursor", "123.rfi_abc", "12x.crl_abc", "1.crl_a-b"):
        response = client.get(f"/credits?after={cursor}")
        assert response.status_code == 400
        assert "That page link is broken. Start again from your latest entries." in visible(response)


def test_another_user_s_entries_are_never_shown(signed_in, client, entry, make_user):
    other = make_user("member")
    theirs = entry(other, "award", 9_900, at=BASE_TIME, reason="Their reward")
    me = signed_in("member")
    entry(me, "award", 500, at=BASE_TIME - timedelta(days=1), reason="My reward")
    response = client.get("/credits")
    assert [row[3] for row in history_rows(response)] == ["My reward"]
    assert balance(response) == "$5"
    # A cursor is a position in the user's own list, whoever's entry it was made from.
    response = client.get("/credits?" + f"after={account.keyset.starting_at(BASE_TIME, theirs)}")
    assert [row[3] for row in history_rows(response)] == ["My reward"]


def test_an_empty_history_explains_how_to_earn_credit(signed_in, client):
    signed_in("member")
    response = client.get("/credits")
    text = visible(response)
    assert "No credit yet" in text
    assert "credit is earned when the person you invite completes their first booking" in text
    assert link(response, "Invite someone") == "/invites"
    assert history_rows(response) == []


# --- what each entry relates to ------------------------------------------------------------------

def test_an_award_links_to_its_invite_in_the_invites_history(signed_in, client, entry, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    for n in range(30):  # the rewarded invite sits on the invites history's second page
        make_invite(db_conn, me, program_id, at=BASE_TIME + timedelta(days=1, hours=n), hint=f"later{n}")
    invite = make_invite(db_conn, me, program_id, at=BASE_TIME, status="rewarded",
                         invitee=make_user("member", name="Rita Reward"))
    entry(me, "award", 2_500, at=BASE_TIME + timedelta(days=5), related_id=invite, program_id=program_id)
    response = client.get("/credits")
    assert history_rows(response)[0][4] == "Your invite to Rita Reward"
    url = link(response, "Your invite to Rita Reward")
    assert urlsplit(url).path == "/invites" and urlsplit(url).fragment == invite
    invites_page = client.get(url)
    assert invites_page.status_code == 200
    rows = elements(invites_page, "tr", class_="invite-row")
    assert rows[0]["id"] == invite  # the page starts with it, and the anchor is its row


def test_an_invitee_s_welcome_credit_names_who_invited_them(signed_in, client, entry, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides", invitee_cents=2_000)
    ada = make_user("provider", name="Ada Lens")
    me = signed_in("member")
    invite = make_invite(db_conn, ada, program_id, status="rewarded", invitee=me)
    entry(me, "award", 2_000, related_id=invite, program_id=program_id)
    response = client.get("/credits")
    assert history_rows(response)[0][4] == "Invited by Ada Lens"
    assert [a for a in elements(response, "a") if "/invites?" in a["href"]] == []  # not their invite to open


def test_a_clawback_links_to_the_award_it_reverses_on_the_same_page(signed_in, client, entry):
    me = signed_in("member")
    award = entry(me, "award", 2_500, at=BASE_TIME)
    entry(me, "clawback", 2_500, at=BASE_TIME + timedelta(days=2), related_id=award)
    response = client.get("/credits")
    assert history_rows(response)[0][4] == "Reverses the award of 1 Mar 2026"
    assert link(response, "Reverses the award of 1 Mar 2026") == f"#{award}"
    assert award in row_ids(response)


def test_a_clawback_links_to_the_award_it_reverses_pages_down(signed_in, client, entry):
    me = signed_in("member")
    award = entry(me, "award", 2_500, at=BASE_TIME)
    for n in range(40):
        entry(me, "award", 100, at=BASE_TIME + timedelta(hours=1 + n))
    entry(me, "clawback", 2_500, at=BASE_TIME + timedelta(days=3), related_id=award)
    response = client.get("/credits")
    url = link(response, "Reverses the award of 1 Mar 2026")
    parts = urlsplit(url)
    assert parts.path == "/credits" and parts.fragment == award and "after" in parse_qs(parts.query)
    assert row_ids(client.get(url))[0] == award


def test_a_redeem_names_its_booking(signed_in, client, entry):
    me = signed_in("member")
    entry(me, "award", 2_500, at=BASE_TIME)
    entry(me, "redeem", 900, at=BASE_TIME + timedelta(days=1), related_id="bkg_01hx7checkout")
    response = client.get("/credits")
    assert history_rows(response)[0][4] == "Booking bkg_01hx7checkout"
    assert [c["text"] for c in elements(response, "code")] == ["bkg_01hx7checkout"]


def test_a_manual_adjustment_is_the_growth_team_s(app, signed_in, client, make_user):
    growth = make_user("growth")
    me = signed_in("member")
    with app.app_context():
        service.adjust(me["user_id"], actor_user_id=growth["user_id"], kind="award", amount_cents=1_000,
                       reason="Studio double-booked")
        db.session.commit()
    response = client.get("/credits")
    assert history_rows(response)[0][1:] == ["Award", "+$10", "Adjustment by the growth team: Studio double-booked",
                                             "Adjustment by the growth team"]
    assert balance(response) == "$10"


def test_an_entry_without_a_related_id_shows_a_dash(signed_in, client, entry):
    me = signed_in("member")
    entry(me, "award", 500)
    assert history_rows(client.get("/credits"))[0][4] == "—"


# --- pending rewards -----------------------------------------------------------------------------

def test_invites_held_for_review_are_pending_with_what_they_would_earn(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides", fixed_cents=2_500, bips=1_000)
    me = signed_in("member")
    make_invite(db_conn, me, program_id, status="held", invitee=make_user("member", name="Hal Held"))
    response = client.get("/credits")
    [group] = elements(response, "section", class_="credit-pending__group")
    text = " ".join(group["text"].split())
    assert text.startswith("Held for review 1")
    assert "Hal Held · Both sides would earn $25 + 10% of their first booking fee" in text


def test_a_held_invite_whose_booking_is_in_shows_the_amount_it_earned(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides", fixed_cents=2_500, bips=1_000)
    me = signed_in("member")
    invite = make_invite(db_conn, me, program_id, status="held", invitee=make_user("member", name="Hal Held"))
    db_conn.execute("insert into referral_reward (invite_id, booking_id, event_id, buyer_fee_cents, inviter_cents,"
                    " invitee_cents, earned_at) values (%s, 'bkg_1', 'evt_1', 4000, 2900, 0, %s)", (invite, BASE_TIME))
    assert "Hal Held · Both sides would earn $29" in visible(client.get("/credits"))


def test_signed_up_invites_wait_for_a_first_booking(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides", fixed_cents=2_500)
    me = signed_in("member")
    make_invite(db_conn, me, program_id, status="signed_up", invitee=make_user("member", name="Sam Signup"))
    make_invite(db_conn, me, program_id, status="sent", hint="not@yet")  # no account yet: not pending
    make_invite(db_conn, me, program_id, status="rewarded", invitee=make_user("member"))  # paid already
    response = client.get("/credits")
    [group] = elements(response, "section", class_="credit-pending__group")
    text = " ".join(group["text"].split())
    assert text.startswith("Waiting for a first booking 1")
    assert "Sam Signup · Both sides would earn $25" in text
    invite_link = link(response, "Sam Signup")
    assert urlsplit(invite_link).path == "/invites"


def test_a_long_pending_list_shows_the_count_and_the_newest_few(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    for n in range(12):
        make_invite(db_conn, me, program_id, at=BASE_TIME + timedelta(hours=n), status="signed_up",
                    invitee=make_user("member", name=f"Person {n:02d}"))
    response = client.get("/credits")
    [group] = elements(response, "section", class_="credit-pending__group")
    assert [li["text"].split("·")[0].strip() for li in elements(response, "li")
            if li["text"].strip().startswith("Person")] == [f"Person {n:02d}" for n in range(11, 6, -1)]
    assert "Waiting for a first booking 12" in " ".join(group["text"].split())
    assert link(response, "7 more in your invites") == "/invites#history"


def test_nothing_pending_shows_no_pending_section(signed_in, client, entry):
    me = signed_in("member")
    entry(me, "award", 500)
    assert "Pending rewards" not in visible(client.get("/credits"))


def test_the_invitee_of_a_double_sided_program_sees_their_welcome_credit_coming(signed_in, client, db_conn,
                                                                                make_user):
    program_id = make_program(db_conn, "Both sides", invitee_cents=2_000)
    ada = make_user("provider", name="Ada Lens")
    me = signed_in("member")
    make_invite(db_conn, ada, program_id, status="signed_up", invitee=me)
    text = visible(client.get("/credits"))
    assert "Pending rewards" in text
    assert "Ada Lens invited you: your first booking earns you $20 of welcome credit." in text


def test_a_held_welcome_credit_says_it_is_held(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides", invitee_cents=2_000)
    ada = make_user("provider", name="Ada Lens")
    me = signed_in("member")
    make_invite(db_conn, ada, program_id, status="held", invitee=me)
    assert "Your welcome credit of $20 from Ada Lens's invite is held for review" in visible(client.get("/credits"))


def test_a_one_sided_program_promises_the_invitee_nothing(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Bring a buyer", invitee_cents=0)
    ada = make_user("provider", name="Ada Lens")
    me = signed_in("member")
    make_invite(db_conn, ada, program_id, status="signed_up", invitee=me)
    assert "Pending rewards" not in visible(client.get("/credits"))


def test_a_paid_welcome_credit_is_no_longer_pending(signed_in, client, db_conn, make_user, entry):
    program_id = make_program(db_conn, "Both sides", invitee_cents=2_000)
    ada = make_user("provider", name="Ada Lens")
    me = signed_in("member")
    invite = make_invite(db_conn, ada, program_id, status="rewarded", invitee=me)
    entry(me, "award", 2_000, related_id=invite, program_id=program_id)
    text = visible(client.get("/credits"))
    assert "Pending rewards" not in text and balance(client.get("/credits")) == "$20"


# --- getting there -------------------------------------------------------------------------------

def test_the_dashboard_shows_the_same_balance_and_what_is_owed(signed_in, client, entry):
    me = signed_in("member")
    award = entry(me, "award", 2_500, at=BASE_TIME)
    entry(me, "redeem", 1_800, at=BASE_TIME + timedelta(days=1))
    entry(me, "clawback", 2_500, at=BASE_TIME + timedelta(days=2), related_id=award)
    [stat] = [a for a in elements(client.get("/"), "a") if "credit balance" in a["text"]]
    assert " ".join(stat["text"].split()) == "$0 credit balance · $18 owed"


def test_the_menu_and_the_dashboard_lead_to_credits(signed_in, client):
    signed_in("provider")
    dashboard = client.get("/")
    assert "/credits" in [a["href"] for a in elements(dashboard, "a")]
    [current] = {a["text"] for a in elements(client.get("/credits"), "a") if a.get("aria-current") == "page"}
    assert current == "Credits"


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get("/credits")
    assert response.status_code in (302, 303) and response.headers["Location"].startswith("/login")
