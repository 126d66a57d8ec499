"""/invites, bottom half: the figures and the history of whom the user invited, newest first, a page at a time."""
import html
import re
from datetime import timedelta

from tests.directory.helpers import visible
from tests.invites.helpers import BASE_TIME, elements, ledger, make_invite, make_program

HX = {"HX-Request": "true"}


def history_rows(response) -> list[list[str]]:
    """The history as a reader sees it: per row, its cells' text."""
    body = html.unescape(response.get_data(as_text=True))
    rows = re.findall(r'<tr class="invite-row .*?</tr>', body, re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def next_link(response) -> str | None:
    links = [a for a in elements(response, "a") if a["text"] == "Show more"]
    return links[0]["href"] if links else None


def test_the_history_lists_the_newest_invite_first(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    for n, name in enumerate(("Oldest Olga", "Middle Max", "Newest Nina")):
        make_invite(db_conn, me, program_id, at=BASE_TIME + timedelta(days=n), status="signed_up",
                    invitee=make_user("member", name=name))
    assert [row[0] for row in history_rows(client.get("/invites"))] == ["Newest Nina", "Middle Max", "Oldest Olga"]


def test_a_row_says_who_when_program_source_status_and_reward(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    invite = make_invite(db_conn, me, program_id, at=BASE_TIME, status="rewarded", source="linkinbio",
                         invitee=make_user("member", name="Rita Reward"))
    ledger(db_conn, me, "award", 2_550, program_id=program_id, related_id=invite)
    assert history_rows(client.get("/invites")) == [
        ["Rita Reward", "1 Mar 2026", "Both sides", "Link in bio", "Rewarded", "$25.50"]]


def test_the_invitee_is_their_name_else_the_masked_address_else_a_dash(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    make_invite(db_conn, me, program_id, at=BASE_TIME, source="email")
    make_invite(db_conn, me, program_id, at=BASE_TIME + timedelta(hours=1), source="email", hint="j•••@g•••.com")
    make_invite(db_conn, me, program_id, at=BASE_TIME + timedelta(hours=2), status="signed_up",
                invitee=make_user("member", name="Sam Signup"), hint="s•••@e•••.com")
    assert [row[0] for row in history_rows(client.get("/invites"))] == ["Sam Signup", "j•••@g•••.com", "—"]


def test_statuses_and_sources_are_in_words(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    states = ["sent", "signed_up", "rewarded", "capped", "held", "rejected", "clawed_back"]
    for n, status in enumerate(states):
        make_invite(db_conn, me, program_id, at=BASE_TIME - timedelta(hours=n), status=status, source="qr",
                    invitee=None if status == "sent" else make_user("member"))
    rows = history_rows(client.get("/invites"))
    assert [row[4] for row in rows] == ["Sent", "Signed up", "Rewarded", "Over the monthly cap", "Held for review",
                                        "Rejected", "Clawed back"]
    assert {row[3] for row in rows} == {"QR code"}


def test_a_clawed_back_reward_is_shown_struck_through(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    invite = make_invite(db_conn, me, program_id, status="clawed_back", invitee=make_user("member"))
    ledger(db_conn, me, "award", 1_500, program_id=program_id, related_id=invite)
    ledger(db_conn, me, "clawback", 1_500, program_id=program_id, related_id=invite)
    response = client.get("/invites")
    assert [d["text"] for d in elements(response, "del")] == ["$15"]
    assert history_rows(response)[0][5] == "$15 (taken back)"


def test_the_summary_counts_invited_signed_up_rewarded_and_credit_earned(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    other = make_user("member")
    for status in ("sent", "sent", "signed_up", "held", "rewarded", "rewarded", "clawed_back"):
        invite = make_invite(db_conn, me, program_id, status=status,
                             invitee=None if status == "sent" else make_user("member"))
        if status in ("rewarded", "clawed_back"):
            ledger(db_conn, me, "award", 2_000, program_id=program_id, related_id=invite)
        if status == "clawed_back":
            ledger(db_conn, me, "clawback", 2_000, program_id=program_id, related_id=invite)
    make_invite(db_conn, other, program_id, status="rewarded", invitee=make_user("member"))  # not mine
    ledger(db_conn, me, "award", 1_000, program_id=None, related_id="bkg_goodwill")  # not from an invite
    ledger(db_conn, me, "redeem", 500, program_id=None, related_id="bkg_spent")      # spent, still earned
    stats = {s["text"].strip() for s in elements(client.get("/invites"), "div", class_="invite-stat")}
    assert stats == {"Invited7", "Signed up5", "Rewarded2", "Credits earned$40"}


def test_a_first_time_inviter_is_invited_to_share(signed_in, client, db_conn):
    make_program(db_conn, "Both sides")
    signed_in("member")
    response = client.get("/invites")
    text = visible(response)
    assert "No invites yet" in text and "Copy your link above" in text
    stats = {s["text"].strip() for s in elements(response, "div", class_="invite-stat")}
    assert stats == {"Invited0", "Signed up0", "Rewarded0", "Credits earned$0"}


def test_the_next_page_follows_the_last_without_overlap_or_gap(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    made = []
    for n in range(45):
        at = BASE_TIME - timedelta(hours=n // 3)  # three invites at each moment: ties are ordered by id
        made.append((at, make_invite(db_conn, me, program_id, at=at, hint=f"person{n:02d}")))
    expected = [f"person{n:02d}" for _, n in sorted(((at, n) for n, (at, _) in enumerate(made)),
                                                    key=lambda p: (p[0], made[p[1]][1]), reverse=True)]
    seen, url = [], "/invites"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [row[0] for row in history_rows(response)]
        url = next_link(response)
    assert seen == expected


def test_show_more_over_htmx_returns_only_the_next_rows(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    for n in range(25):
        make_invite(db_conn, me, program_id, at=BASE_TIME - timedelta(hours=n), hint=f"person{n:02d}")
    [more] = [a for a in elements(client.get("/invites"), "a") if a["text"] == "Show more"]
    response = client.get(more["hx-get"], headers=HX)
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<tr class="invite-row')
    assert "<html" not in body and "<h1" not in body and "invite-stats" not in body and "<table" not in body
    assert [row[0] for row in history_rows(response)] == [f"person{n:02d}" for n in range(20, 25)]
    assert next_link(response) is None


def test_show_more_without_javascript_is_the_whole_page_at_the_history(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    for n in range(21):
        make_invite(db_conn, me, program_id, at=BASE_TIME - timedelta(hours=n), hint=f"person{n:02d}")
    url = next_link(client.get("/invites"))
    assert url.endswith("#history")
    response = client.get(url)
    assert "<h1>Invites</h1>" in response.get_data(as_text=True)
    assert [row[0] for row in history_rows(response)] == ["person20"]
    assert "Back to your latest invites" in visible(response)


def test_a_broken_page_link_says_where_the_list_starts_again(signed_in, client, db_conn):
    signed_in("member")
    response = client.get("/invites?after=not-a-cursor")
    assert response.status_code == 400
    assert "Start again from your latest invites" in visible(response)


def test_the_history_shows_only_the_user_s_own_invites(signed_in, client, db_conn, make_user):
    program_id = make_program(db_conn, "Both sides")
    me = signed_in("member")
    other = make_user("member")
    make_invite(db_conn, me, program_id, hint="mine")
    make_invite(db_conn, other, program_id, hint="theirs")
    assert [row[0] for row in history_rows(client.get("/invites"))] == ["mine"]


def test_invites_under_a_closed_program_stay_in_the_history(signed_in, client, db_conn):
    program_id = make_program(db_conn, "Last summer", active=False)
    me = signed_in("member")
    make_invite(db_conn, me, program_id, hint="a•••@e•••.com")
    response = client.get("/invites")
    assert "No invite program is open to you right now" in visible(response)
    assert history_rows(response) == [["a•••@e•••.com", "1 Mar 2026", "Last summer", "Copied link", "Sent", "—"]]
