"""The growth dashboard's CSV exports (/growth/export/<table>.csv): every table of the overview under
the page's filters, the big ones streamed from SQL, formula cells defused, for the growth team only."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.growth.factories import BASE_TIME, complete_booking, make_invite, make_program, refund_booking
from tests.reporting.helpers import csv_rows, overview_of
from webapp.reporting import exports
from webapp.reporting.model import CHARTS, Filters, Preset

JANUARY = "range=custom&start=2026-01-01&end=2026-01-31"
INVITES_HEADER = ["created_at", "program", "source", "status", "inviter", "inviter_email", "city", "accepted_at",
                  "fraud_flags"]


@pytest.fixture
def growth(signed_in):
    return signed_in("growth", name="Gita Growth")


@pytest.fixture
def program(db_conn):
    return make_program(db_conn, name="Bring a friend")


def invites_csv(client, query=JANUARY):
    return client.get(f"/growth/export/invites.csv?{query}")


# --- the invites file -----------------------------------------------------------------------------

def test_the_invites_file_lists_every_invite_of_the_range_oldest_first(client, growth, make_user, db_conn, program):
    ada = make_user("provider", name="Ada Inviter", email="ada@example.com", city="berlin")
    bea = make_user("member", name="Bea Joined")
    make_invite(db_conn, program, ada, at=BASE_TIME, source="sharecard")
    make_invite(db_conn, program, ada, invitee=bea, at=BASE_TIME + timedelta(days=2), source="linkinbio",
                flags=("signup_burst", "self_referral"))
    make_invite(db_conn, program, ada, at=BASE_TIME + timedelta(days=30))  # 9 February: outside

    rows = csv_rows(invites_csv(client))

    assert rows == [
        INVITES_HEADER,
        ["2026-01-10T12:00:00Z", "Bring a friend", "sharecard", "sent", "Ada Inviter", "a•••@example.com", "berlin",
         "", ""],
        ["2026-01-12T12:00:00Z", "Bring a friend", "linkinbio", "signed_up", "Ada Inviter", "a•••@example.com",
         "berlin", "2026-01-12T12:05:00Z", "signup_burst self_referral"],
    ]


def test_the_range_is_whole_utc_days_at_both_ends(client, growth, make_user, db_conn, program):
    ada = make_user("provider")
    for at in ("2025-12-31T23:59:59+00:00", "2026-01-01T00:00:00+00:00", "2026-01-31T23:59:59+00:00",
               "2026-02-01T00:00:00+00:00"):
        make_invite(db_conn, program, ada, at=datetime.fromisoformat(at))

    created = [row[0] for row in csv_rows(invites_csv(client))[1:]]

    assert created == ["2026-01-01T00:00:00Z", "2026-01-31T23:59:59Z"]


@pytest.mark.parametrize("query, kept", [
    ("program={other}", [("Other", "sharecard", "berlin")]),
    ("source=linkinbio", [("Bring a friend", "linkinbio", "berlin")]),
    ("city=lisbon", [("Bring a friend", "sharecard", "lisbon")]),
])
def test_the_invites_file_honours_program_source_and_city(client, growth, make_user, db_conn, program, query, kept):
    other = make_program(db_conn, name="Other")
    berliner = make_user("provider", city="berlin")
    make_invite(db_conn, program, berliner, source="sharecard")
    make_invite(db_conn, other, berliner, source="sharecard")
    make_invite(db_conn, program, make_user("provider", city="lisbon"), source="sharecard")
    make_invite(db_conn, program, berliner, source="linkinbio")

    rows = csv_rows(invites_csv(client, f"{JANUARY}&{query.format(other=other)}"))[1:]

    assert [(r[1], r[2], r[6]) for r in rows] == kept


def test_a_preset_range_ends_today(client, growth, make_user, db_conn, program, frozen_today):
    ada = make_user("provider")
    make_invite(db_conn, program, ada, at=datetime.combine(frozen_today, time(9), UTC))
    make_invite(db_conn, program, ada, at=datetime.combine(frozen_today - timedelta(days=7), time(9), UTC))

    response = invites_csv(client, "range=7d")

    assert len(csv_rows(response)) == 2  # the header and today's invite; eight days ago is outside
    assert f"growth-invites-{frozen_today - timedelta(days=6)}-to-{frozen_today}.csv" in \
        response.headers["Content-Disposition"]


def test_the_file_is_an_attachment_named_for_its_table_and_range(client, growth):
    response = invites_csv(client)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params.get("charset") == "utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="growth-invites-2026-01-01-to-2026-01-31.csv"'


def test_an_empty_range_still_has_its_header_row(client, growth):
    assert csv_rows(invites_csv(client)) == [INVITES_HEADER]


def test_the_file_starts_with_a_utf8_byte_order_mark_so_spreadsheets_read_accents(
        client, growth, make_user, db_conn, program):
    make_invite(db_conn, program, make_user("provider", name="Zoë Ångström"))

    body = invites_csv(client).get_data()

    assert body.startswith("\ufeffcreated_at,".encode())
    assert "Zoë Ångström".encode() in body


# --- formula injection --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.test\",\"x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd"])
def test_a_name_that_would_run_as_a_formula_is_quoted_to_stay_text(client, growth, make_user, db_conn, program, name):
    make_invite(db_conn, program, make_user("provider", name=name))

    [row] = csv_rows(invites_csv(client))[1:]

    assert row[4] == "'" + name


def test_counts_stay_plain_numbers(client, growth, make_user, db_conn, program):
    ada = make_user("provider", name="Ada")
    for _ in range(3):
        make_invite(db_conn, program, ada)

    body = client.get(f"/growth/export/inviters.csv?{JANUARY}").get_data().decode("utf-8-sig")

    assert body.splitlines()[1].endswith(",3,0,0,0,0")


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0958", "'+44 20 7946 0958"), ("-", "'-"), ("@home", "'@home"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    (-5, -5), (3, 3), (0.25, 0.25), (None, None),
])
def test_only_text_that_starts_like_a_formula_is_changed(cell, written):
    assert exports.defuse(cell) == written


# --- the inviters file ----------------------------------------------------------------------------------

def test_the_inviters_file_counts_each_inviters_invites_and_credits(app, client, growth, make_user, db_conn, program):
    ada = make_user("provider", name="Ada Inviter", email="ada@example.com", city="berlin")
    bea, cai = make_user("member", name="Bea"), make_user("member", name="Cai")
    lone = make_user("member", name="Lone Inviter", email="lone@example.org", city="lisbon")
    provider = make_user("provider")
    make_invite(db_conn, program, ada, invitee=bea)
    make_invite(db_conn, program, ada, invitee=cai)
    make_invite(db_conn, program, ada)
    make_invite(db_conn, program, lone)
    complete_booking(app, buyer=bea, provider=provider, booking_id="bkg_bea")
    complete_booking(app, buyer=cai, provider=provider, booking_id="bkg_cai")
    refund_booking(app, "bkg_cai")

    rows = csv_rows(client.get(f"/growth/export/inviters.csv?{JANUARY}"))

    assert rows == [
        ["inviter", "inviter_email", "city", "invites", "signups", "rewarded", "awarded_cents", "clawed_back_cents"],
        ["Ada Inviter", "a•••@example.com", "berlin", "3", "2", "2", "4000", "2000"],
        ["Lone Inviter", "l•••@example.org", "lisbon", "1", "0", "0", "0", "0"],
    ]


# --- the big files stream ---------------------------------------------------------------------------------

def test_a_big_export_is_streamed_row_by_row_not_built_first(client, growth, make_user, db_conn, program):
    ada = make_user("provider")
    db_conn.execute(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_email_sha, created_at)"
        " select 'rfi_stream' || n, %s, %s, 'sha' || n, %s + n * interval '1 second'"
        " from generate_series(1, 5000) n", (program, ada["user_id"], BASE_TIME))

    response = invites_csv(client)
    chunks = iter(response.response)
    first = next(chunks)

    assert response.is_streamed
    assert first.startswith("\ufeffcreated_at".encode())  # the header is out before any row is read
    rest = list(chunks)
    assert len(rest) > 1  # the rows follow in several chunks, each sent as it is filled
    assert b"".join(rest).count(b"\n") == 5000
    response.close()


# --- the overview's own tables ------------------------------------------------------------------------------

FEBRUARY = Filters(Preset.CUSTOM, date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize("table", ["summary", *(key for key, *_ in CHARTS), "top_inviters", "cap_hits", "programs"])
def test_each_overview_table_is_the_overview_as_its_csv(app, client, growth, table):
    overview = overview_of(app, FEBRUARY)
    header, rows = exports.OVERVIEW_TABLES[table](overview)

    response = client.get(f"/growth/export/{table}.csv?range=custom&start=2026-02-01&end=2026-02-28")

    assert csv_rows(response) == [header, *([("" if c is None else str(c)) for c in r] for r in rows)]
    assert f'filename="growth-{table.replace("_", "-")}-2026-02-01-to-2026-02-28.csv"' in \
        response.headers["Content-Disposition"]


def test_a_chart_file_has_the_category_then_a_column_per_series():
    from webapp.reporting.model import Chart, ChartKind, Series, Unit

    chart = Chart("invites_by_source", "Invites per week by source", "", ChartKind.STACKED_BARS, Unit.COUNT,
                  ("2026-02-02", "2026-02-09"), (Series("sharecard", (3, 0)), Series("=evil", (1, 2))))
    overview = _overview_with(chart)

    header, rows = exports.chart_table(overview, "invites_by_source")

    assert header == ["week", "sharecard", "=evil"]
    assert rows == [["2026-02-02", 3, 1], ["2026-02-09", 0, 2]]
    assert b"".join(exports.csv_lines(header, rows)) == \
        "\ufeffweek,sharecard,'=evil\r\n2026-02-02,3,1\r\n2026-02-09,0,2\r\n".encode()


def test_the_summary_file_has_each_tile_with_its_previous_period_and_change():
    from webapp.reporting.model import Tile, Unit

    overview = _overview_with(tiles=(Tile("invites", "Invites", Unit.COUNT, 12, 8),
                                     Tile("conversion", "Conversion (sign-up → reward)", Unit.RATIO, None, 0.5)))

    assert exports.summary_table(overview) == (["label", "unit", "value", "previous", "change"], [
        ["Invites", "count", 12, 8, 0.5], ["Conversion (sign-up → reward)", "ratio", None, 0.5, None]])


def _overview_with(*charts, tiles=()):
    from webapp.reporting.model import Overview, ReviewQueue

    return Overview(FEBRUARY, tiles, charts, (), (), ReviewQueue(0, None), ())


# --- bad requests and who may export -----------------------------------------------------------------------

def test_no_such_table_is_a_404(client, growth):
    assert client.get("/growth/export/passwords.csv").status_code == 404


@pytest.mark.parametrize("query", ["range=decade", "range=custom&start=2026-02-30&end=2026-03-01",
                                   "range=custom&start=2026-03-01&end=2026-02-01",
                                   "range=custom&start=2020-01-01&end=2026-01-01"])
def test_a_range_the_page_would_not_offer_is_a_400(client, growth, query):
    assert client.get(f"/growth/export/invites.csv?{query}").status_code == 400


ALL_TABLES = exports.TABLES


@pytest.mark.parametrize("role", ["member", "provider"])
def test_members_and_providers_may_not_export_any_table(client, signed_in, role):
    signed_in(role)
    answers = {t: client.get(f"/growth/export/{t}.csv?{JANUARY}").status_code for t in ALL_TABLES}
    assert set(answers.values()) == {403}


def test_anonymous_callers_are_sent_to_log_in_for_every_table(client):
    locations = {client.get(f"/growth/export/{t}.csv").headers.get("Location", "") for t in ALL_TABLES}
    assert all(location.startswith("/login") for location in locations)
