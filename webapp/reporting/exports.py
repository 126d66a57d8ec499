"""The growth dashboard's CSV exports (issue 14): every table and chart of the overview, and the two
big ones behind them (every invite, every inviter), under the page's filters.

The small tables come from service.overview(filters), the same figures the page draws. The big ones
are streamed straight from SQL through a server-side cursor (core.reads.stream): rows go out as they
are fetched, so a million invites cost the memory of one batch (bench/bench_growth_export.py).

Files are UTF-8 with a byte-order mark (so spreadsheets read names like "Zoë" right) and a header
row. Text that a spreadsheet would run as a formula is defused as OWASP advises (`defuse`); numbers
go out as numbers. Money is in cents, ratios between 0 and 1, times in UTC (ISO 8601).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from numbers import Number

from ..core import reads
from .model import CHARTS, Filters, Overview, Step
from .queries import READER

# Spreadsheets run a cell that starts with one of these as a formula (tab and carriage return
# because some strip them first and then see what follows): OWASP's CSV-injection list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The big files' statements sort or group a whole range before their first row (a million invites
# took more than the web's 5 s): each FETCH may take this long instead. A person waits for a
# download; a page never runs these.
STREAM_STATEMENT_SECONDS = 120


def defuse(cell):
    """A cell as it may go into the file: text starting like a formula gets a leading single quote
    (spreadsheets show the text, and run nothing); numbers, dates and empty cells are left alone."""
    if cell is None or isinstance(cell, Number):
        return cell
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CHUNK_BYTES = 64 * 1024  # rows go out in chunks of about this size: one socket write per row cost 2x the time


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The file as it is sent: a BOM and the header row at once, then the rows, defused, in chunks of
    about CHUNK_BYTES as they are read (never more than one chunk held)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def taken() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow([defuse(c) for c in header])  # series names come from data (sources, programs)
    yield "\ufeff".encode() + taken()
    for row in rows:
        writer.writerow([defuse(c) for c in row])
        if buffer.tell() >= CHUNK_BYTES:
            yield taken()
    if buffer.tell():
        yield taken()


def file_name(table: str, filters: Filters) -> str:
    """growth-invites-2026-11-01-to-2026-11-30.csv: what and which days, so downloads don't collide."""
    return f"growth-{table.replace('_', '-')}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"


def mask_email(email: str | None) -> str:
    """"a•••@example.com": enough to tell two Adas apart, not to write to them (model.TopInviter)."""
    if not email:
        return ""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}•••@{domain}"


# --- the filters, from the page's query string ----------------------------------------------------

# --- the overview's own tables (small: from service.overview) -------------------------------------

Table = tuple[list[str], list[list]]


def summary_table(overview: Overview) -> Table:
    return (["label", "unit", "value", "previous", "change"],
            [[t.label, t.unit.value, t.value, t.previous, t.change] for t in overview.tiles])


def chart_table(overview: Overview, key: str) -> Table:
    """A chart's data as its table: the category (stage, week or day) then one column per series."""
    chart = next(c for c in overview.charts if c.key == key)
    step = dict((k, s) for k, *_, s in CHARTS)[key]
    category = "stage" if step is None else ("week" if step is Step.WEEK else "day")
    return ([category, *(s.name for s in chart.series)],
            [[label, *(s.values[i] for s in chart.series)] for i, label in enumerate(chart.categories)])


def top_inviters_table(overview: Overview) -> Table:
    return (["display_name", "masked_email", "invites", "signups", "rewards", "credits_cents"],
            [[t.display_name, t.masked_email, t.invites, t.signups, t.rewards, t.credits_cents]
             for t in overview.top_inviters])


def cap_hits_table(overview: Overview) -> Table:
    return (["month", "program", "hits"],
            [[c.month.isoformat()[:7], c.program_name, c.hits] for c in overview.cap_hits])


def programs_table(overview: Overview) -> Table:
    return (["program", "kind", "active", "invites", "signups", "rewarded"],
            [[p.name, p.kind, "yes" if p.active else "no", p.invites, p.signups, p.rewarded]
             for p in overview.programs])


def _chart(key: str) -> Callable[[Overview], Table]:
    return lambda overview: chart_table(overview, key)


OVERVIEW_TABLES: dict[str, Callable[[Overview], Table]] = {
    "summary": summary_table,
    **{key: _chart(key) for key, *_ in CHARTS},
    "top_inviters": top_inviters_table,
    "cap_hits": cap_hits_table,
    "programs": programs_table,
}


# --- the big ones: streamed from SQL --------------------------------------------------------------

@dataclass(frozen=True)
class Streamed:
    header: list[str]
    sql: str                                   # with {where}: the filters' conditions on invites `i`
    shape: Callable[[tuple], list]             # a fetched row as the file's cells


def _where(filters: Filters) -> tuple[str, dict]:
    """The filters as conditions on `referral_invite i` (its creation day) joined to its inviter `u`."""
    conditions = ["i.created_at >= %(since)s", "i.created_at < %(until)s"]
    params = {"since": datetime.combine(filters.start, time(), UTC),
              "until": datetime.combine(filters.end + timedelta(days=1), time(), UTC)}
    for column, name, value in (("i.program_id", "program", filters.program_id),
                                ("i.source", "source", filters.source), ("u.city", "city", filters.city)):
        if value is not None:
            conditions.append(f"{column} = %({name})s")
            params[name] = value
    return " and ".join(conditions), params


_UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"  # to_char's pattern: ISO 8601 in UTC, formatted by the server

# Every invite created in the range, oldest first, with what became of it.
INVITES = Streamed(
    ["created_at", "program", "source", "status", "inviter", "inviter_email", "city", "accepted_at",
     "fraud_flags"],
    f"""select to_char(i.created_at at time zone 'UTC', {_UTC}), p.name, i.source, i.status,
               u.display_name, u.email, u.city, to_char(i.accepted_at at time zone 'UTC', {_UTC}),
               array_to_string(i.fraud_flags, ' ')
          from referral_invite i
          join referral_program p on p.program_id = i.program_id
          left join app_user u on u.user_id = i.inviter_user_id
         where {{where}}
         order by i.created_at, i.invite_id""",
    lambda r: [r[0], r[1], r[2], r[3], r[4], mask_email(r[5]), r[6], r[7], r[8]],
)

# Every inviter with invites created in the range: what those invites became, and the credit they
# paid the inviter (awarded, and clawed back since). A cohort, as the overview's conversion.
INVITERS = Streamed(
    ["inviter", "inviter_email", "city", "invites", "signups", "rewarded", "awarded_cents", "clawed_back_cents"],
    """select u.display_name, u.email, u.city, count(*), count(i.accepted_at), count(r.inviter_entry_id),
              coalesce(sum(a.amount_cents), 0), coalesce(sum(c.amount_cents), 0)
         from referral_invite i
         left join app_user u on u.user_id = i.inviter_user_id
         left join referral_reward r on r.invite_id = i.invite_id
         left join credit_ledger a on a.entry_id = r.inviter_entry_id
         left join credit_ledger c on c.kind = 'clawback' and c.related_id = r.inviter_entry_id
                                  and c.related_id like 'crl\\_%%'
        where {where}
        group by i.inviter_user_id, u.display_name, u.email, u.city
        order by count(*) desc, i.inviter_user_id""",
    lambda r: [r[0], mask_email(r[1]), *r[2:]],
)

STREAMED: dict[str, Streamed] = {"invites": INVITES, "inviters": INVITERS}
TABLES = (*OVERVIEW_TABLES, *STREAMED)


def streamed_rows(table: str, filters: Filters) -> Iterator[list]:
    """The big table's rows, as the file's cells, fetched in batches as they are asked for.

    The statement runs before this returns (the first row is read here), so a database that is down
    answers the request with its 503 page instead of a download cut short at the first byte."""
    spec = STREAMED[table]
    where, params = _where(filters)
    rows = reads.stream(spec.sql.replace("{where}", where), params, on=READER,
                        timeout=STREAM_STATEMENT_SECONDS)
    first = next(rows, None)
    return _shaped(spec, first, rows)


def _shaped(spec: Streamed, first: tuple | None, rest: Iterator[tuple]) -> Iterator[list]:
    try:
        if first is None:
            return
        yield spec.shape(first)
        for row in rest:
            yield spec.shape(row)
    finally:
        rest.close()  # a client gone mid-download: the cursor's connection goes back to the pool now


def table_rows(table: str, filters: Filters) -> tuple[list[str], Iterable[list]]:
    """The header and the rows of export `table` under `filters` (KeyError for no such table)."""
    if table in STREAMED:
        return STREAMED[table].header, streamed_rows(table, filters)
    make = OVERVIEW_TABLES[table]
    from . import service

    return make(service.overview(filters))
