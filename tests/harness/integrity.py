"""What "nothing changed" means: every table's row count and a checksum of its rows."""
from __future__ import annotations

from psycopg import sql

# Tables that record requests rather than the product's data, left out of the checksums.
BOOKKEEPING = {
    # Signing in makes a session (the harness signs its users in as it goes); what ends one,
    # and that an ended one changes nothing, is tests/accounts/test_sessions.py's.
    "user_session",
    # A refused log-in is counted: that is its point (tests/accounts/test_rate_limits.py).
    "login_throttle",
    # A log-in leaves where it came from (the self-referral rule reads it): tests/referrals/test_attribution_cookie.py.
    "sign_in_trace",
}


def snapshot(conn) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of the rows in a fixed order)} for every table of the public schema but
    the bookkeeping ones."""
    tables = [r[0] for r in conn.execute(
        "select tablename from pg_tables where schemaname = 'public' order by tablename")
        if r[0] not in BOOKKEEPING]
    parts = [
        sql.SQL("select {name}, count(*), md5(coalesce(string_agg(t::text, chr(10) order by t::text), ''))"
                " from {table} t").format(name=sql.Literal(table), table=sql.Identifier(table))
        for table in tables
    ]
    rows = conn.execute(sql.SQL(" union all ").join(parts)).fetchall()
    return {table: (count, digest) for table, count, digest in rows}


def changed(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ between two snapshots."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
