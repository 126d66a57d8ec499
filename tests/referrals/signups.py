"""What the attribution tests build on: programs, personal codes, e-mail invites as the e-mail
feature writes them, and people arriving through a link and signing up through the real forms."""
from __future__ import annotations

from datetime import datetime

from tests.conftest import csrf_token
from webapp.core.ids import new_id
from webapp.core.security import keyed_hash
from webapp.referrals import codes


def make_program(conn, kind: str = "cross_side", *, roles=("member", "provider"), fixed: int = 2_500,
                 welcome: int = 2_000, active: bool = True, name: str = "Both sides") -> str:
    program_id = new_id("rpr")
    conn.execute(
        "insert into referral_program (program_id, name, kind, reward_fixed_cents, invitee_fixed_cents, credit_scope,"
        " inviter_roles, active) values (%s, %s, %s, %s, %s, 'buyer_fee_only', %s, %s)",
        (program_id, name, kind, fixed, welcome, list(roles), active))
    return program_id


def make_code(conn, user: dict, program_id: str) -> str:
    code = codes.new_code()
    conn.execute("insert into referral_code (code, user_id, program_id) values (%s, %s, %s)",
                 (code, user["user_id"], program_id))
    return code


def email_invite(conn, app, inviter: dict, program_id: str, address: str, *, created_at: datetime) -> str:
    """A pending invite by e-mail, as the e-mail feature writes it: the keyed hash of the address only."""
    invite_id = new_id("rfi")
    conn.execute(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_email_sha, source, status,"
        " created_at) values (%s, %s, %s, %s, 'email', 'sent', %s)",
        (invite_id, program_id, inviter["user_id"], keyed_hash(address, secret_key=app.config["SECRET_KEY"]),
         created_at))
    return invite_id


def browser(app, ip: str):
    """A fresh browser (a test client with its own cookies) on its own address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def sign_up(client, email: str, *, role: str = "member", name: str = "Nora Newcomer", provider_role: str = ""):
    if role == "provider" and not provider_role:
        provider_role = "photographer"
    page = client.get("/signup")
    return client.post("/signup", data={
        "display_name": name, "email": email, "password": "a-long-password", "role": role,
        "provider_role": provider_role, "city": "berlin", "csrf_token": csrf_token(page.get_data(as_text=True))})


def log_in(client, user: dict):
    page = client.get("/login")
    return client.post("/login", data={"email": user["email"], "password": user["password"],
                                       "csrf_token": csrf_token(page.get_data(as_text=True))})


def invites(conn) -> list[dict]:
    """Every invite row, oldest first, as dicts."""
    cur = conn.execute("select * from referral_invite order by created_at, invite_id")
    names = [c.name for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def user_id_of(conn, email: str) -> str:
    return conn.execute("select user_id from app_user where lower(email) = lower(%s)", (email,)).fetchone()[0]
