"""The fraud review queue (/growth/review): held invites oldest first with their evidence, approve or
reject with a reason (one at a time in place, or several at once), every decision audited."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import page_text
from tests.directory.helpers import visible
from tests.growth.factories import BASE_TIME, complete_booking, make_invite, make_program, refund_booking

HX = {"HX-Request": "true"}
QUEUE = "/growth/review"


@pytest.fixture
def gita(signed_in):
    return signed_in("growth", name="Gita Growth")


@pytest.fixture
def program(db_conn):
    """$20 to the inviter per first booking, at most 2 a month."""
    return make_program(db_conn, name="Bring a friend", fixed=2_000, cap=2)


@pytest.fixture
def ada(make_user):
    return make_user("provider", name="Ada Inviter")


@pytest.fixture
def provider(make_user):
    return make_user("provider", name="Pia Provider")


def held(db_conn, program, inviter, invitee, *, flags=("signup_burst",), at=BASE_TIME, **details) -> str:
    return make_invite(db_conn, program, inviter, invitee=invitee, status="held", flags=flags, at=at, **details)


def decide(auth, invite_id, decision, reason="Checked: a real studio.", **kwargs):
    return auth.post("/growth/review/decide", {"invite_id": invite_id, "decision": decision, "reason": reason},
                     page=QUEUE, **kwargs)


def status_of(db_conn, invite_id) -> str:
    return db_conn.execute("select status from referral_invite where invite_id = %s", (invite_id,)).fetchone()[0]


def ledger(db_conn, user) -> list[tuple]:
    return db_conn.execute("select kind, amount_cents, related_id from credit_ledger where user_id = %s"
                           " order by created_at, entry_id", (user["user_id"],)).fetchall()


def decisions(db_conn) -> list[dict]:
    cur = db_conn.execute("select * from growth_decision order by created_at, decision_id")
    names = [c.name for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def queue_ids(response) -> list[str]:
    return re.findall(r'<li class="card review-item[^"]*" id="review-(rfi_\w+)"', response.get_data(as_text=True))


# --- who may see it ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["member", "provider"])
def test_members_and_providers_are_refused(client, signed_in, role, app, db_conn, program, ada, make_user):
    invite_id = held(db_conn, program, ada, make_user())
    signed_in(role)
    assert client.get(QUEUE).status_code == 403
    assert client.get("/growth/review/decided").status_code == 403
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/settings").get_data(as_text=True))[1]
    for path in ("/growth/review/decide", "/growth/review/bulk"):
        response = client.post(path, data={"invite_id": invite_id, "decision": "approve", "reason": "mine now",
                                           "csrf_token": token})
        assert response.status_code == 403
    assert status_of(db_conn, invite_id) == "held" and decisions(db_conn) == []


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code in (302, 303) and response.headers["Location"].startswith("/login")


# --- the queue and its evidence -----------------------------------------------------------------

def test_the_queue_lists_held_invites_only_oldest_first(client, gita, db_conn, program, ada, make_user):
    later = held(db_conn, program, ada, make_user(name="Later Newcomer"), at=BASE_TIME + timedelta(hours=2))
    first = held(db_conn, program, ada, make_user(name="First Newcomer"), at=BASE_TIME)
    make_invite(db_conn, program, ada, invitee=make_user(name="Fine Newcomer"))  # signed up, not held
    response = client.get(QUEUE)
    assert queue_ids(response) == [first, later]
    assert "Held for review 2" in visible(response)
    assert "Fine Newcomer" not in visible(response)


def test_each_held_invite_shows_who_whom_the_program_and_links_to_their_credits(client, gita, db_conn, program, ada,
                                                                              make_user):
    nora = make_user("member", name="Nora Newcomer")
    held(db_conn, program, ada, nora, source="qr")
    response = client.get(QUEUE)
    html = response.get_data(as_text=True)
    assert "Ada Inviter invited Nora Newcomer Held for review" in visible(response)
    assert "Bring a friend · signed up 10 Jan 2026, 12:05 · via QR code" in visible(response)
    assert f'href="/growth/users/{ada["user_id"]}">Ada Inviter</a>' in html
    assert f'href="/growth/users/{nora["user_id"]}">Nora Newcomer</a>' in html
    assert f'href="/growth/programs/{program}">Bring a friend</a>' in html


def test_evidence_names_the_rules_with_short_fingerprints_and_counts(client, gita, db_conn, program, ada, make_user):
    ip, device = "a1b2c3d4e5f6a7b8c9d0e1f2", "dfp_00112233445566778899aabbccddeeff"
    # Three sign-ups from one IP within a day: a burst; the inviter has signed in from that IP too.
    for n in range(3):
        held(db_conn, program, ada, make_user(name=f"Burst {n}"), flags=("self_referral", "signup_burst"),
             ip_sha=ip, device=device if n == 0 else None, at=BASE_TIME + timedelta(hours=n))
    make_invite(db_conn, program, ada, invitee=make_user(), ip_sha=ip, at=BASE_TIME + timedelta(days=3))  # outside
    db_conn.execute("insert into sign_in_trace (user_id, kind, value) values (%s, 'ip', %s)", (ada["user_id"], ip))
    text = visible(client.get(QUEUE))
    first = text[text.index("Burst 0"):text.index("Burst 1")]
    assert "Self-referral IP a1b2c3d4: the inviter has signed in from it" in first
    assert "Sign-up burst 3 sign-ups from IP a1b2c3d4 within 24 h" in first
    assert "IP a1b2c3d4 device 00112233" in first
    assert ("Sign-ups from this IP 3 sign-ups within 24 hours either side, this one included"
            " · the inviter has signed in from it") in first
    assert "Sign-ups from this device 1 sign-up within 24 hours either side, this one included" in first
    assert "The inviter's invites 3 flagged of 4 · 3 held" in first
    assert "a1b2c3d4e5" not in text and "0011223344" not in text  # fingerprints only, never the whole value


def test_a_self_referral_by_e_mail_says_the_mailboxes_are_one(client, gita, db_conn, program, make_user):
    inviter = make_user("provider", name="Sam Self", email="sam@example.com")
    twin = make_user("member", name="Sam Again", email="Sam+2@Example.com")
    held(db_conn, program, inviter, twin, flags=("self_referral",))
    text = visible(client.get(QUEUE))
    assert "the same mailbox as the inviter's" in text
    assert "sam@example.com" not in text.lower()


def test_collusion_shows_the_booking_between_inviter_and_invitee(app, client, gita, db_conn, program, ada, make_user):
    nora = make_user("member", name="Nora Newcomer")
    invite_id = make_invite(db_conn, program, ada, invitee=nora)
    complete_booking(app, buyer=nora, provider=ada, booking_id="bkg_collude1")
    assert status_of(db_conn, invite_id) == "held"
    text = visible(client.get(QUEUE))
    assert "Booking between inviter and invitee booking bkg_collude1 had the inviter and the invitee" in text


def test_a_held_invite_without_a_booking_says_it_will_earn_on_the_first(client, gita, db_conn, program, ada,
                                                                       make_user):
    held(db_conn, program, ada, make_user(name="Nora Newcomer"))
    assert ("First booking Not yet. Approving releases the invite: it earns on Nora Newcomer's first booking"
            in visible(client.get(QUEUE)))


def test_a_booked_held_invite_shows_what_approving_would_pay_and_the_cap(app, client, gita, db_conn, program, ada,
                                                                         make_user, provider):
    nora = make_user("member", name="Nora Newcomer")
    held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider, fee=12_345, booking_id="bkg_first1",
                     at=BASE_TIME + timedelta(days=2))
    text = visible(client.get(QUEUE))
    assert "Booking bkg_first1 on 12 Jan 2026, 12:00 , buyer fee $123.45." in text
    assert "Approving pays Ada Inviter $20 ." in text
    assert "Counts against January 2026's cap: 0 of 2 used." in text
    assert "over the monthly cap" not in text


def test_a_full_month_shows_would_be_over_the_monthly_cap(app, client, gita, db_conn, program, ada, make_user,
                                                         provider):
    for n in range(2):  # two clean invites fill January's cap of 2
        friend = make_user("member")
        make_invite(db_conn, program, ada, invitee=friend)
        complete_booking(app, buyer=friend, provider=provider, at=BASE_TIME + timedelta(days=1, hours=n))
    nora = make_user("member", name="Nora Newcomer")
    held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider, at=BASE_TIME + timedelta(days=3))
    text = visible(client.get(QUEUE))
    assert ("Would be over the monthly cap: January 2026's 2 of 2 rewards are used, so Ada Inviter would get nothing"
            in text)


def test_the_queue_pages_oldest_first_with_load_more(client, gita, db_conn, program, ada, make_user):
    made = [held(db_conn, program, ada, make_user(), at=BASE_TIME + timedelta(minutes=n)) for n in range(23)]
    page = client.get(QUEUE)
    assert queue_ids(page) == made[:20]
    [more] = re.findall(r'<a class="button" href="([^"]+)" hx-get="\1"[^>]*>Load more</a>',
                        page.get_data(as_text=True))
    rows = client.get(more.replace("&amp;", "&"), headers=HX)
    assert queue_ids(rows) == made[20:]
    assert rows.get_data(as_text=True).lstrip().startswith("<li") and "Load more" not in page_text(rows)
    assert "<html" in client.get(more.replace("&amp;", "&")).get_data(as_text=True)


def test_a_broken_page_link_is_a_clear_400(client, gita):
    response = client.get(f"{QUEUE}?after=12.gdc_x")
    assert response.status_code == 400
    assert "Start again from the oldest held invites" in page_text(response)


def test_an_empty_queue_says_so(client, gita):
    assert "Nothing to review" in visible(client.get(QUEUE))


# --- approve ---------------------------------------------------------------------------------------

def test_approving_a_booked_invite_pays_the_inviter_and_rewards_it(app, client, auth, gita, db_conn, program, ada,
                                                                   make_user, provider):
    nora = make_user("member", name="Nora Newcomer")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider)
    assert ledger(db_conn, ada) == []  # held: nothing paid yet
    response = decide(auth, invite_id, "approve", "Known studio; same office network.")
    assert response.status_code == 303 and response.headers["Location"] == QUEUE
    assert status_of(db_conn, invite_id) == "rewarded"
    assert ledger(db_conn, ada) == [("award", 2_000, invite_id)]
    assert "Approved Ada Inviter's invite of Nora Newcomer: $20 paid to Ada Inviter." in visible(client.get(QUEUE))
    assert queue_ids(client.get(QUEUE)) == []


def test_every_decision_is_audited_who_when_why(app, auth, gita, db_conn, program, ada, make_user, provider,
                                                pinned_clock):
    nora = make_user("member")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider)
    decide(auth, invite_id, "approve", "  Known studio.  ")
    [decision] = decisions(db_conn)
    award = db_conn.execute("select entry_id from credit_ledger where user_id = %s", (ada["user_id"],)).fetchone()[0]
    assert decision["actor_user_id"] == gita["user_id"] and decision["action"] == "approve"
    assert decision["subject_user_id"] == ada["user_id"] and decision["invite_id"] == invite_id
    assert decision["reason"] == "Known studio." and decision["entry_id"] == award
    assert decision["created_at"] == pinned_clock.now


def test_approving_past_the_cap_pays_nothing_and_shows_over_the_cap(app, client, auth, gita, db_conn, program, ada,
                                                                    make_user, provider):
    for n in range(2):
        friend = make_user("member")
        make_invite(db_conn, program, ada, invitee=friend)
        complete_booking(app, buyer=friend, provider=provider, at=BASE_TIME + timedelta(days=1, hours=n))
    nora = make_user("member", name="Nora Newcomer")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider, at=BASE_TIME + timedelta(days=3))
    decide(auth, invite_id, "approve")
    assert status_of(db_conn, invite_id) == "capped"
    assert [amount for _, amount, _ in ledger(db_conn, ada)] == [2_000, 2_000]  # the two before, nothing new
    assert decisions(db_conn)[0]["entry_id"] is None
    assert "over the monthly cap, so nothing paid to Ada Inviter" in visible(client.get(QUEUE))


def test_the_cap_is_the_month_the_reward_was_earned_in(app, auth, gita, db_conn, program, ada, make_user, provider):
    """January is full; a held invite earned in January is over the cap even though February has room."""
    for n in range(2):
        friend = make_user("member")
        make_invite(db_conn, program, ada, invitee=friend)
        complete_booking(app, buyer=friend, provider=provider, at=BASE_TIME + timedelta(days=1, hours=n))
    nora = make_user("member")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider, at=BASE_TIME + timedelta(days=5))  # 15 January
    decide(auth, invite_id, "approve")  # decided months later
    assert status_of(db_conn, invite_id) == "capped"


def test_approving_an_invite_without_a_booking_lets_it_earn_on_its_first(app, auth, gita, db_conn, program, ada,
                                                                         make_user, provider):
    nora = make_user("member")
    invite_id = held(db_conn, program, ada, nora)
    decide(auth, invite_id, "approve", "Looked fine.")
    assert status_of(db_conn, invite_id) == "signed_up" and ledger(db_conn, ada) == []
    complete_booking(app, buyer=nora, provider=provider)
    # Its sign-up flags were released: the first booking pays instead of holding it again.
    assert status_of(db_conn, invite_id) == "rewarded"
    assert ledger(db_conn, ada) == [("award", 2_000, invite_id)]


def test_a_released_invite_is_held_again_by_a_colluding_first_booking(app, auth, gita, db_conn, program, ada,
                                                                      make_user):
    nora = make_user("member")
    invite_id = held(db_conn, program, ada, nora)
    decide(auth, invite_id, "approve")
    complete_booking(app, buyer=nora, provider=ada)
    assert status_of(db_conn, invite_id) == "held" and ledger(db_conn, ada) == []


def test_approving_a_refunded_reward_is_refused_with_a_message(app, client, auth, gita, db_conn, program, ada,
                                                               make_user, provider):
    nora = make_user("member")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider, booking_id="bkg_refunded")
    refund_booking(app, "bkg_refunded")
    assert "there is nothing to award. Reject it." in visible(client.get(QUEUE))
    response = decide(auth, invite_id, "approve", headers=HX)
    assert response.status_code == 400 and response.headers["HX-Retarget"] == "#messages"
    assert "was refunded: there is nothing to award. Reject it." in page_text(response)
    assert status_of(db_conn, invite_id) == "held" and decisions(db_conn) == []


# --- reject ----------------------------------------------------------------------------------------

def test_rejecting_needs_a_reason_shown_beside_the_field(auth, gita, db_conn, program, ada, make_user):
    invite_id = held(db_conn, program, ada, make_user())
    response = decide(auth, invite_id, "reject", "   ")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="field__error" id="reason-{invite_id}-error">Say why: the decision is kept with its reason.</p>' \
        in html
    assert re.search(rf'<textarea id="reason-{invite_id}"[^>]*aria-invalid="true" autofocus', html)
    assert status_of(db_conn, invite_id) == "held" and decisions(db_conn) == []


def test_with_htmx_a_missing_reason_re_renders_just_that_invite(auth, gita, db_conn, program, ada, make_user):
    invite_id = held(db_conn, program, ada, make_user())
    response = decide(auth, invite_id, "approve", "", headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<li class="card review-item" id="review-{invite_id}"') and "<html" not in body
    assert "Say why: the decision is kept with its reason." in body


def test_a_rejected_invite_pays_nothing_now_or_later(app, auth, client, gita, db_conn, program, ada, make_user,
                                                     provider):
    nora = make_user("member", name="Nora Newcomer")
    invite_id = held(db_conn, program, ada, nora)
    response = decide(auth, invite_id, "reject", "Same device as the inviter.")
    assert response.status_code == 303
    assert status_of(db_conn, invite_id) == "rejected"
    assert "Rejected Ada Inviter's invite of Nora Newcomer: it earns nothing." in visible(client.get(QUEUE))
    complete_booking(app, buyer=nora, provider=provider)
    assert ledger(db_conn, ada) == [] and status_of(db_conn, invite_id) == "rejected"
    [decision] = decisions(db_conn)
    assert (decision["action"], decision["reason"], decision["entry_id"]) == ("reject", "Same device as the inviter.",
                                                                              None)


def test_a_decision_must_be_approve_or_reject(auth, gita, db_conn, program, ada, make_user):
    invite_id = held(db_conn, program, ada, make_user())
    response = decide(auth, invite_id, "pay-double")
    assert response.status_code == 400 and "Choose Approve or Reject." in page_text(response)
    assert status_of(db_conn, invite_id) == "held"


def test_an_unknown_invite_is_a_404(auth, gita):
    assert decide(auth, "rfi_nosuchinvite", "approve").status_code == 404


# --- htmx: the invite's row is replaced in place ------------------------------------------------------

def test_with_htmx_the_decided_invite_replaces_its_row_with_a_message(app, auth, gita, db_conn, program, ada,
                                                                     make_user, provider):
    nora = make_user("member", name="Nora Newcomer")
    invite_id = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider)
    response = decide(auth, invite_id, "approve", "Known studio.", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<li class="card review-item review-item--decided" id="review-{invite_id}"')
    text = visible(response)
    assert "Ada Inviter invited Nora Newcomer Rewarded" in text
    assert "Approved by Gita Growth on" in text and "“Known studio.”" in text
    assert "$20 paid to Ada Inviter." in text
    # Focus moves to the decided row's heading, and the message goes to the alert region.
    assert re.search(rf'id="review-{invite_id}-title" tabindex="-1" autofocus', body)
    assert 'hx-swap-oob="innerHTML:#messages"' in body and "Approved Ada Inviter's invite of Nora Newcomer" in text


# --- a second decision -------------------------------------------------------------------------------

def test_a_second_decision_on_an_invite_is_refused_naming_the_first(auth, client, gita, db_conn, program, ada,
                                                                   make_user, pinned_clock):
    invite_id = held(db_conn, program, ada, make_user(name="Nora Newcomer"))
    decide(auth, invite_id, "reject", "Burst of fake accounts.")
    pinned_clock.advance(minutes=5)
    response = decide(auth, invite_id, "approve", "Changed my mind.")
    assert response.status_code == 303
    message = ("Ada Inviter's invite of Nora Newcomer was already decided: rejected by Gita Growth on"
               " 18 Mar 2026, 10:00 UTC. It is rejected now.")
    assert message in visible(client.get(QUEUE))
    assert status_of(db_conn, invite_id) == "rejected" and len(decisions(db_conn)) == 1


def test_with_htmx_a_second_decision_shows_where_the_invite_stands(auth, gita, db_conn, program, ada, make_user):
    invite_id = held(db_conn, program, ada, make_user(name="Nora Newcomer"))
    decide(auth, invite_id, "approve", "Fine.")
    response = decide(auth, invite_id, "reject", "No.", headers=HX)
    assert response.status_code == 409
    text = visible(response)
    assert "Ada Inviter invited Nora Newcomer Signed up" in text
    assert "was already decided: approved by Gita Growth" in text
    assert status_of(db_conn, invite_id) == "signed_up" and len(decisions(db_conn)) == 1


# --- bulk --------------------------------------------------------------------------------------------

def bulk(auth, invite_ids, decision, reason="Verified by phone."):
    return auth.post("/growth/review/bulk", {"invite_id": invite_ids, "decision": decision, "reason": reason},
                     page=QUEUE)


def test_bulk_approves_every_selected_invite_with_one_reason(app, client, auth, gita, db_conn, program, ada,
                                                             make_user, provider):
    ids = [held(db_conn, program, ada, make_user(), at=BASE_TIME + timedelta(minutes=n)) for n in range(3)]
    untouched = held(db_conn, program, ada, make_user(), at=BASE_TIME + timedelta(minutes=9))
    response = bulk(auth, ids, "approve")
    assert response.status_code == 303
    assert [status_of(db_conn, i) for i in ids] == ["signed_up"] * 3 and status_of(db_conn, untouched) == "held"
    assert [(d["invite_id"], d["reason"]) for d in decisions(db_conn)] == [(i, "Verified by phone.") for i in ids]
    assert "Approved 3 invites." in visible(client.get(QUEUE))


def test_bulk_reject(auth, gita, db_conn, program, ada, make_user):
    ids = [held(db_conn, program, ada, make_user()) for _ in range(2)]
    bulk(auth, ids, "reject", "Fake accounts.")
    assert {status_of(db_conn, i) for i in ids} == {"rejected"}


def test_bulk_decides_each_on_its_own_and_names_what_it_could_not(app, client, auth, gita, db_conn, program, ada,
                                                                  make_user, provider):
    first = held(db_conn, program, ada, make_user(name="Fay First"), at=BASE_TIME)
    taken = held(db_conn, program, ada, make_user(name="Tom Taken"), at=BASE_TIME + timedelta(minutes=1))
    last = held(db_conn, program, ada, make_user(name="Lia Last"), at=BASE_TIME + timedelta(minutes=2))
    decide(auth, taken, "reject", "Someone else got here first.")  # a colleague, a moment earlier
    response = bulk(auth, [first, taken, last, "rfi_nosuchinvite"], "approve")
    assert response.status_code == 303
    assert [status_of(db_conn, i) for i in (first, taken, last)] == ["signed_up", "rejected", "signed_up"]
    text = visible(client.get(QUEUE))
    assert "Approved 2 invites." in text
    assert "Not decided: Ada Inviter's invite of Tom Taken was already decided: rejected by Gita Growth" in text
    assert "Not decided: There is no such invite." in text


def test_bulk_without_a_reason_decides_none_and_says_so_beside_the_field(auth, gita, db_conn, program, ada, make_user):
    ids = [held(db_conn, program, ada, make_user()) for _ in range(2)]
    response = bulk(auth, ids, "reject", "")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="field__error" id="bulk-reason-error">Say why: the decision is kept with its reason.</p>' in html
    assert all(re.search(rf'value="{i}" form="bulk-form" checked', html) for i in ids)  # the selection is kept
    assert {status_of(db_conn, i) for i in ids} == {"held"} and decisions(db_conn) == []


def test_bulk_with_nothing_selected_says_so(auth, gita, db_conn, program, ada, make_user):
    held(db_conn, program, ada, make_user())
    response = bulk(auth, [], "approve")
    assert response.status_code == 422
    assert "Select the invites to decide first." in page_text(response)


def test_every_invite_of_the_page_can_be_selected_for_the_bulk_form(client, gita, db_conn, program, ada, make_user):
    ids = [held(db_conn, program, ada, make_user()) for _ in range(2)]
    html = client.get(QUEUE).get_data(as_text=True)
    assert '<form id="bulk-form"' in html
    assert all(f'name="invite_id" value="{i}" form="bulk-form"' in html for i in ids)


# --- the Decided list ---------------------------------------------------------------------------------

def test_the_decided_list_shows_who_when_what_and_why_newest_first(app, client, auth, gita, db_conn, program, ada,
                                                                  make_user, provider, pinned_clock):
    nora = make_user("member", name="Nora Newcomer")
    paid = held(db_conn, program, ada, nora)
    complete_booking(app, buyer=nora, provider=provider)
    refused = held(db_conn, program, ada, make_user(name="Rex Refused"))
    decide(auth, paid, "approve", "Known studio.")
    pinned_clock.advance(minutes=10)
    decide(auth, refused, "reject", "Throw-away address.")
    response = client.get("/growth/review/decided")
    text = visible(response).replace(" 's", "'s")  # a linked name, then 's
    assert ("18 Mar 2026, 10:10 Gita Growth Rejected Ada Inviter's invite of Rex Refused · Bring a friend —"
            " Throw-away address.") in text
    assert ("18 Mar 2026, 10:00 Gita Growth Approved Ada Inviter's invite of Nora Newcomer · Bring a friend +$20"
            " Known studio.") in text
    assert text.index("Rex Refused") < text.index("Nora Newcomer")


def test_the_decided_list_starts_empty(client, gita):
    assert "No decisions yet" in visible(client.get("/growth/review/decided"))


# --- CSRF ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/growth/review/decide", "/growth/review/bulk"])
def test_decisions_need_the_session_s_csrf_token(client, gita, db_conn, program, ada, make_user, path):
    invite_id = held(db_conn, program, ada, make_user())
    for headers in ({}, HX):
        response = client.post(path, data={"invite_id": invite_id, "decision": "approve", "reason": "x"},
                               headers=headers)
        assert response.status_code == 400 and "Reload the page and try again" in page_text(response)
    assert status_of(db_conn, invite_id) == "held"


def test_the_row_forms_carry_the_token_and_htmx_sends_it_in_a_header(client, gita, db_conn, program, ada, make_user):
    held(db_conn, program, ada, make_user())
    html = client.get(QUEUE).get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 3  # the bulk form, the row's form, log out
    assert 'hx-headers=\'{"X-CSRFToken": ' in html
