"""One user's credits for the growth team (/growth/users/<id>): balance and owed, their invites with
what each earned, holds, decisions and ledger, and manual adjustments (award or clawback, audited)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.growth.factories import BASE_TIME, complete_booking, make_invite, make_program, refund_booking

HX = {"HX-Request": "true"}


@pytest.fixture
def gita(signed_in):
    return signed_in("growth", name="Gita Growth")


@pytest.fixture
def ada(make_user):
    return make_user("provider", name="Ada Inviter")


def page(user) -> str:
    return f"/growth/users/{user['user_id']}"


def adjust(auth, user, kind="award", amount="25", reason="Apology for the outage."):
    return auth.post(f"{page(user)}/adjust", {"kind": kind, "amount": amount, "reason": reason}, page=page(user))


def balance(db_conn, user) -> tuple[int, int]:
    row = db_conn.execute("select balance_cents, owed_cents from credit_balance where user_id = %s",
                          (user["user_id"],)).fetchone()
    return tuple(row) if row else (0, 0)


def entries(db_conn, user) -> list[tuple]:
    return db_conn.execute("select kind, amount_cents, reason from credit_ledger where user_id = %s"
                           " order by created_at, entry_id", (user["user_id"],)).fetchall()


def read(response) -> str:
    return visible(response).replace(" 's", "'s")  # a linked name, then 's


# --- who may see it ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["member", "provider"])
def test_members_and_providers_are_refused(client, signed_in, ada, db_conn, role):
    signed_in(role)
    assert client.get(page(ada)).status_code == 403
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/settings").get_data(as_text=True))[1]
    response = client.post(f"{page(ada)}/adjust", data={"kind": "award", "amount": "100", "reason": "for me",
                                                        "csrf_token": token})
    assert response.status_code == 403 and entries(db_conn, ada) == []


def test_an_unknown_user_is_a_404(client, auth, gita):
    assert client.get("/growth/users/usr_nosuchuser").status_code == 404
    response = auth.post("/growth/users/usr_nosuchuser/adjust", {"kind": "award", "amount": "5", "reason": "x"},
                         page="/growth/review")
    assert response.status_code == 404


# --- what the page shows -------------------------------------------------------------------------

def test_a_new_user_has_nothing_yet(client, gita, ada):
    text = read(client.get(page(ada)))
    assert "Ada Inviter Provider" in text
    assert "Balance $0 Owed $0 Invites 0 Held for review 0" in text
    assert "Ada Inviter has not invited anyone." in text and "No ledger entries yet." in text
    assert "No decisions about Ada Inviter yet." in text


def test_invites_show_their_status_flags_and_what_their_first_booking_earned(app, client, gita, db_conn, ada,
                                                                            make_user):
    program = make_program(db_conn, name="Bring a friend", fixed=2_000)
    provider = make_user("provider")
    paid = make_user("member", name="Paul Paid")
    make_invite(db_conn, program, ada, invitee=paid, at=BASE_TIME)
    complete_booking(app, buyer=paid, provider=provider, booking_id="bkg_paid1", at=BASE_TIME + timedelta(days=1))
    held = make_user("member", name="Hal Held")
    make_invite(db_conn, program, ada, invitee=held, status="held", flags=("disposable_email",),
                at=BASE_TIME + timedelta(hours=1))
    make_invite(db_conn, program, ada, hint="j•••@g•••.com", source="email", at=BASE_TIME + timedelta(hours=2))
    text = read(client.get(page(ada)))
    assert "j•••@g•••.com Bring a friend 10 Jan 2026, 14:00 Sent No booking yet" in text
    assert "Hal Held Bring a friend 10 Jan 2026, 13:00 Held for review Disposable e-mail No booking yet" in text
    assert "Paul Paid Bring a friend 10 Jan 2026, 12:00 Rewarded bkg_paid1 · $20 reward, January 2026" in text
    assert "Balance $20 Owed $0 Invites 3 Held for review 1" in text
    assert "1 of Ada Inviter's invites is held: decide in the review queue" in text


def test_a_refunded_reward_shows_refunded_and_its_clawback(app, client, gita, db_conn, ada, make_user, pinned_clock):
    program = make_program(db_conn, fixed=2_000)
    paid = make_user("member", name="Paul Paid")
    make_invite(db_conn, program, ada, invitee=paid)
    complete_booking(app, buyer=paid, provider=make_user("provider"), booking_id="bkg_back")
    refund_booking(app, "bkg_back")
    text = read(client.get(page(ada)))
    assert "Clawed back bkg_back · $20 reward, January 2026 · refunded 18 Mar 2026" in text
    assert "Clawback −$20 Booking bkg_back was refunded" in text


def test_the_user_s_invitee_side_says_who_invited_them(client, gita, db_conn, ada, make_user):
    program = make_program(db_conn, name="Bring a friend")
    nora = make_user("member", name="Nora Newcomer")
    make_invite(db_conn, program, ada, invitee=nora, status="held", flags=("signup_burst",))
    response = client.get(page(nora))
    assert "invited by Ada Inviter under Bring a friend ( Held for review )" in read(response)
    assert f'href="{page(ada)}">Ada Inviter</a>' in response.get_data(as_text=True)


def test_the_ledger_pages_newest_first_with_more_entries(client, auth, gita, db_conn, ada, pinned_clock):
    for n in range(52):
        pinned_clock.advance(minutes=1)
        adjust(auth, ada, amount=str(n + 1), reason=f"Entry {n + 1}")
    response = client.get(page(ada))
    amounts = re.findall(r'class="ledger-table__amount"[^>]*>\+\$(\d+)<', response.get_data(as_text=True))
    assert amounts == [str(n) for n in range(52, 2, -1)]
    [more] = re.findall(r'href="([^"]+)" hx-get="\1"[^>]*>More entries</a>', response.get_data(as_text=True))
    rows = client.get(more.replace("&amp;", "&"), headers=HX)
    assert re.findall(r'class="ledger-table__amount"[^>]*>\+\$(\d+)<', rows.get_data(as_text=True)) == ["2", "1"]
    assert rows.get_data(as_text=True).lstrip().startswith("<tr") and "More entries" not in page_text(rows)


def test_links_to_the_page_from_the_program_s_invites(client, gita, db_conn, ada, make_user):
    program = make_program(db_conn)
    nora = make_user("member", name="Nora Newcomer")
    make_invite(db_conn, program, ada, invitee=nora)
    html = client.get(f"/growth/programs/{program}").get_data(as_text=True)
    assert f'<a href="{page(ada)}">Ada Inviter</a>' in html and f'<a href="{page(nora)}">Nora Newcomer</a>' in html


# --- adjustments ------------------------------------------------------------------------------------

def test_an_award_adds_to_the_balance_with_its_reason_and_is_audited(client, auth, gita, db_conn, ada, pinned_clock):
    response = adjust(auth, ada, "award", "$1,250.50", "Apology for the outage.")
    assert response.status_code == 303 and response.headers["Location"] == f"{page(ada)}#adjust-heading"
    assert entries(db_conn, ada) == [("award", 125_050, "Adjustment by the growth team: Apology for the outage.")]
    assert balance(db_conn, ada) == (125_050, 0)
    [decision] = db_conn.execute("select actor_user_id, action, subject_user_id, amount_cents, reason, entry_id,"
                                 " created_at from growth_decision").fetchall()
    entry_id = db_conn.execute("select entry_id from credit_ledger").fetchone()[0]
    assert decision == (gita["user_id"], "award", ada["user_id"], 125_050, "Apology for the outage.", entry_id,
                        pinned_clock.now)
    text = read(client.get(page(ada)))
    assert "Awarded $1,250.50. Balance $1,250.50." in text
    assert "Balance $1,250.50 Owed $0" in text
    assert "Award +$1,250.50 · Gita Growth, 18 Mar 2026, 10:00 “Apology for the outage.”" in text
    assert "Award +$1,250.50 Adjustment by the growth team: Apology for the outage." in text


def test_a_clawback_past_the_balance_is_recorded_in_full_and_shows_as_owed(client, auth, gita, db_conn, ada):
    adjust(auth, ada, "award", "20")
    response = adjust(auth, ada, "clawback", "50", "Confirmed fraud on two invites.")
    assert response.status_code == 303
    assert [(k, a) for k, a, _ in entries(db_conn, ada)] == [("award", 2_000), ("clawback", 5_000)]
    assert balance(db_conn, ada) == (0, 3_000)
    text = read(client.get(page(ada)))
    assert "Clawed back $50. Balance $0, $30 owed." in text
    assert "Balance $0 Owed $30" in text
    assert "Ada Inviter owes $30: a clawback was larger than the balance." in text
    assert "Clawback −$50 · Gita Growth" in text


def test_the_next_award_pays_off_what_is_owed_first(client, auth, gita, db_conn, ada):
    adjust(auth, ada, "clawback", "10", "Fraud.")
    adjust(auth, ada, "award", "25", "Goodwill.")
    assert balance(db_conn, ada) == (1_500, 0)


@pytest.mark.parametrize(("amount", "message"), [
    ("", "Enter an amount above zero, such as 25 or 12.50."),
    ("0", "Enter an amount above zero, such as 25 or 12.50."),
    ("-5", "Can't be negative."),
    ("12.345", "Write an amount in dollars, such as 25 or 12.50."),
    ("lots", "Write an amount in dollars, such as 25 or 12.50."),
    ("200000", "At most $100,000."),
])
def test_an_amount_that_is_not_dollars_is_refused_beside_the_field(auth, gita, db_conn, ada, amount, message):
    response = adjust(auth, ada, amount=amount)
    assert response.status_code == 422
    assert f'<p class="field__error" id="amount-error">{message}</p>' in page_text(response)
    assert entries(db_conn, ada) == []


def test_a_reason_is_required_and_every_problem_is_shown_at_once(auth, gita, db_conn, ada):
    response = adjust(auth, ada, kind="gift", amount="x", reason="  ")
    assert response.status_code == 422
    html = page_text(response)
    assert "Nothing was recorded</h3>" in html
    assert '<p class="field__error" id="kind-error">Choose an award or a clawback.</p>' in html
    assert '<p class="field__error" id="amount-error">' in html
    assert '<p class="field__error" id="reason-error">Say why: the decision is kept with its reason.</p>' in html
    assert entries(db_conn, ada) == [] and db_conn.execute("select count(*) from growth_decision").fetchone()[0] == 0


def test_the_form_keeps_what_was_typed_after_a_refusal(auth, gita, ada):
    html = page_text(adjust(auth, ada, kind="clawback", amount="12.50", reason=""))
    assert re.search(r'<input[^>]*id="amount"[^>]*value="12.50"', html)
    assert re.search(r'<input[^>]*checked[^>]*value="clawback"|<input[^>]*value="clawback"[^>]*checked', html)


def test_adjusting_needs_the_session_s_csrf_token(client, gita, db_conn, ada):
    response = client.post(f"{page(ada)}/adjust", data={"kind": "award", "amount": "5", "reason": "x"})
    assert response.status_code == 400 and "Reload the page and try again" in page_text(response)
    assert entries(db_conn, ada) == []


# --- a double submit -----------------------------------------------------------------------------

def form_key(client, user) -> str:
    """The adjustment form's one-time key, as drawn."""
    return re.search(r'name="decision_id" type="hidden" value="(gdc_[0-9a-z]{26})"',
                     client.get(page(user)).get_data(as_text=True))[1]


def test_the_same_form_submitted_twice_is_recorded_once(client, auth, gita, db_conn, ada):
    key = form_key(client, ada)
    first = auth.post(f"{page(ada)}/adjust", {"kind": "award", "amount": "25", "reason": "Goodwill.",
                                              "decision_id": key}, page=page(ada))
    assert first.status_code == 303 and "Awarded $25. Balance $25." in read(client.get(page(ada)))
    second = auth.post(f"{page(ada)}/adjust", {"kind": "award", "amount": "25", "reason": "Goodwill.",
                                               "decision_id": key}, page=page(ada))
    assert second.status_code == 303
    assert "Already recorded: awarded $25. Balance $25." in read(client.get(page(ada)))
    assert [(k, a) for k, a, _ in entries(db_conn, ada)] == [("award", 2_500)]
    assert db_conn.execute("select decision_id from growth_decision").fetchall() == [(key,)]


def test_a_fresh_form_has_a_fresh_key(client, gita, ada):
    assert form_key(client, ada) != form_key(client, ada)


def test_two_submits_at_once_record_one(app, make_user, db_conn):
    from concurrent.futures import ThreadPoolExecutor

    from webapp.core.ids import new_id
    from webapp.growth import service

    ada, growth = make_user("provider"), make_user("growth")
    key = new_id("gdc")

    def submit(_):
        with app.app_context():
            return service.adjust(ada["user_id"], actor_user_id=growth["user_id"], kind="clawback", amount="7.50",
                                  reason="Charged twice.", decision_id=key)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(submit, range(4)))
    assert sorted(a["repeated"] for a in answers) == [False, True, True, True]
    assert all((a["kind"], a["amount_cents"], a["owed_cents"]) == ("clawback", 750, 750) for a in answers)
    assert [(k, a) for k, a, _ in entries(db_conn, ada)] == [("clawback", 750)]


def test_a_key_that_is_not_ours_is_refused(auth, gita, db_conn, ada):
    response = auth.post(f"{page(ada)}/adjust", {"kind": "award", "amount": "5", "reason": "x",
                                                 "decision_id": "gdc_'; drop"}, page=page(ada))
    assert response.status_code == 422 and "This form is out of date" in page_text(response)
    assert entries(db_conn, ada) == []
