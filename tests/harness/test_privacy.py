"""Personal data stays personal: no plain hash of an e-mail or IP in any column, no secret in any log line.

E-mail and IP spaces are small enough to brute-force, so a plain sha256 (or sha1, md5)
of one is as good as the value; the app stores only keyed hashes (HMAC under a server
key). After the demo data and a sign-up through the real form, every text, JSON and
bytea column of every table is searched for the plain hashes of every known address.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
import traceback

import psycopg

from tests.conftest import TEST_PASSWORD, csrf_token

ALGORITHMS = ("md5", "sha1", "sha256")
HEX_RUN = re.compile(r"[0-9a-fA-F]{32,}")
SIGNUP_EMAIL, SIGNUP_IP = "Nora.Newcomer@Example.com", "192.0.2.77"


def known_values(conn) -> set[str]:
    """Every e-mail the database knows (as stored and lower-cased) and every address the demo and
    the tests sign up from (the documentation ranges, and the test client's own)."""
    emails = {r[0] for r in conn.execute("select email from app_user")}
    ips = {str(ip) for net in ("198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24")
           for ip in ipaddress.ip_network(net)} | {"127.0.0.1"}
    return emails | {e.lower() for e in emails} | {e.strip().lower() for e in emails} | ips


def plain_hashes(values) -> dict[bytes, str]:
    """{raw digest: "sha256 of value"} for every algorithm and value."""
    return {hashlib.new(algorithm, value.encode()).digest(): f"{algorithm} of {value}"
            for algorithm in ALGORITHMS for value in values}


def plain_hashes_stored(conn, values) -> list[str]:
    """"table.column holds the sha1 of x" for every plain hash of `values` found in any text, JSON,
    array or bytea column: hex (any case, alone or inside a longer string) or raw bytes."""
    digests = plain_hashes(values)
    by_hex = {d.hex(): what for d, what in digests.items()}
    widths = sorted({len(h) for h in by_hex})
    columns = conn.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'public' and data_type in"
        " ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')"
        " order by table_name, column_name").fetchall()
    assert columns, "no columns to search"
    found = []
    for table, column, data_type in columns:
        cast = "" if data_type == "bytea" else "::text"
        for (value,) in conn.execute(f'select "{column}"{cast} from "{table}" where "{column}" is not null'):
            if data_type == "bytea":
                found += [f"{table}.{column} holds the {what}" for d, what in digests.items() if d in bytes(value)]
                continue
            for run in HEX_RUN.findall(value):
                run = run.lower()
                found += [f"{table}.{column} holds the {by_hex[run[i:i + w]]}" for w in widths
                          for i in range(len(run) - w + 1) if run[i:i + w] in by_hex]
    return sorted(set(found))


def sign_up(client, email: str, password: str, ip: str):
    page = client.get("/signup", environ_base={"REMOTE_ADDR": ip})
    return client.post("/signup", environ_base={"REMOTE_ADDR": ip}, data={
        "display_name": "Nora Newcomer", "email": email, "password": password, "role": "provider",
        "provider_role": "photographer", "city": "berlin", "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_no_column_holds_a_plain_hash_of_an_email_or_an_ip(demo_site):
    response = sign_up(demo_site.app.test_client(), SIGNUP_EMAIL, "nora-signs-up-here", SIGNUP_IP)
    assert response.status_code == 303
    known = known_values(demo_site.conn) | {SIGNUP_EMAIL, SIGNUP_IP}
    assert len(known) > 600 and demo_site.one("select count(*) from referral_invite") > 0
    assert plain_hashes_stored(demo_site.conn, known) == []


def test_the_search_finds_a_plain_hash_wherever_one_is_stored(demo_site):
    """The search above can fail: a plain sha256 hidden in a longer value, and a raw md5, are found."""
    email = demo_site.one("select email from app_user where email like '%%@demo.test' order by email limit 1")
    with psycopg.connect(demo_site.url) as conn:  # one transaction, rolled back
        conn.execute("update referral_invite set source = %s where invite_id = (select min(invite_id)"
                     " from referral_invite)", ("sha256=" + hashlib.sha256(email.encode()).hexdigest().upper(),))
        conn.execute("create table harness_planted (fingerprint bytea)")
        conn.execute("insert into harness_planted values (%s)", (b"x" + hashlib.md5(b"198.51.100.7").digest(),))
        found = plain_hashes_stored(conn, {email, "198.51.100.7"})
        conn.rollback()
    # The invite's source also waits in the rollups' queue of changes until the commit (migration 100).
    assert found == [f"growth_daily_pending.source holds the sha256 of {email}",
                     "harness_planted.fingerprint holds the md5 of 198.51.100.7",
                     f"referral_invite.source holds the sha256 of {email}"]


def log_lines(records) -> list[str]:
    """Each record as a log file would carry it: the message, the traceback and any extra fields."""
    standard = set(vars(logging.makeLogRecord({})))
    lines = []
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        extras = {k: v for k, v in vars(record).items() if k not in standard}
        lines.append(f"{record.name} {record.levelname} {text} {extras!r}")
    return lines


def test_logs_carry_no_passwords_tokens_cookies_or_email_addresses(app, client, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user(email="Lena.Logcheck@example.com")
    secrets = {user["email"], user["email"].lower(), TEST_PASSWORD, "wrong-password-123", "a-brand-new-password",
               SIGNUP_EMAIL, SIGNUP_EMAIL.lower(), "nora-signs-up-here"}

    def token(path):
        value = csrf_token(client.get(path).get_data(as_text=True))
        secrets.add(value)
        return value

    def cookies():
        secrets.update(c.value for c in client._cookies.values() if len(c.value) > 8)

    client.post("/login", data={"email": user["email"], "password": "wrong-password-123",
                                "csrf_token": token("/login")})
    client.post("/login", data={"email": user["email"], "password": TEST_PASSWORD})  # no token: refused
    assert client.post("/login", data={"email": user["email"], "password": TEST_PASSWORD,
                                       "csrf_token": token("/login")}).status_code == 303
    cookies()
    client.post("/settings", data={"display_name": "Lena L.", "email_alerts": "y", "csrf_token": token("/settings")})
    client.post("/settings/password", data={"pw-current_password": TEST_PASSWORD,
                                            "pw-new_password": "a-brand-new-password",
                                            "pw-confirm_password": "a-brand-new-password",
                                            "csrf_token": token("/settings")})
    client.post("/settings/password", data={"pw-current_password": "wrong-password-123",
                                            "pw-new_password": "a-brand-new-password",
                                            "pw-confirm_password": "a-brand-new-password",
                                            "csrf_token": token("/settings")})
    cookies()
    client.post("/logout", data={"csrf_token": token("/settings")})
    assert sign_up(client, SIGNUP_EMAIL, "nora-signs-up-here", SIGNUP_IP).status_code == 303
    cookies()
    client.post("/logout", data={"csrf_token": token("/settings")})
    sign_up(client, SIGNUP_EMAIL, "nora-signs-up-here", SIGNUP_IP)  # taken: refused

    lines = log_lines(caplog.records)
    assert lines, "the log-ins above log something (the refused CSRF token at least)"
    assert [(secret, line) for line in lines for secret in secrets if secret in line] == []
