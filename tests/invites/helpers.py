"""Programs, invites and ledger rows for the /invites tests, written straight to the database, and
a small reader of the page's elements."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from webapp.core.ids import new_id

BASE_TIME = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_program(db_conn, name: str, *, roles=("member", "provider"), active: bool = True,
                 kind: str = "cross_side", fixed_cents: int = 2_500, bips: int = 0, invitee_cents: int = 0,
                 days_ago: int = 30) -> str:
    program_id = new_id("rpr")
    db_conn.execute(
        "insert into referral_program (program_id, name, kind, reward_bips, reward_fixed_cents, invitee_fixed_cents,"
        " credit_scope, inviter_roles, active, created_at)"
        " values (%s, %s, %s, %s, %s, %s, 'buyer_fee_only', %s, %s, %s)",
        (program_id, name, kind, bips, fixed_cents, invitee_cents, list(roles), active,
         BASE_TIME - timedelta(days=days_ago)),
    )
    return program_id


def make_invite(db_conn, inviter: dict, program_id: str, *, at: datetime = BASE_TIME, status: str = "sent",
                invitee: dict | None = None, hint: str | None = None, source: str | None = "copy",
                invite_id: str | None = None) -> str:
    invite_id = invite_id or new_id("rfi", at_ms=int(at.timestamp() * 1000))
    accepted = at + timedelta(minutes=5) if invitee else None
    db_conn.execute(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,"
        " source, created_at, accepted_at, status, invitee_hint) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (invite_id, program_id, inviter["user_id"], invitee["user_id"] if invitee else None, f"sha-{invite_id}",
         source, at, accepted, status, hint),
    )
    return invite_id


def ledger(db_conn, user: dict, kind: str, cents: int, *, program_id: str | None, related_id: str | None) -> str:
    entry_id = new_id("crl")
    db_conn.execute(
        "insert into credit_ledger (entry_id, user_id, kind, program_id, amount_cents, reason, related_id)"
        " values (%s, %s, %s, %s, %s, 'test', %s)",
        (entry_id, user["user_id"], kind, program_id, cents, related_id),
    )
    return entry_id


def codes_of(db_conn, user: dict) -> dict[str, str]:
    """program_id -> the user's code."""
    return dict((program_id, code) for code, program_id in db_conn.execute(
        "select code, program_id from referral_code where user_id = %s", (user["user_id"],)))


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, **{k: (v if v is not None else "") for k, v in attrs}, "text": ""}
        self.found.append(element)
        if tag not in ("input", "img", "br", "meta", "link", "path"):
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(response, tag: str, **attrs) -> list[dict]:
    """The page's `tag` elements whose attributes include `attrs` (`class_` for class, a word of
    it), each a dict of its attributes plus "text", all it contains as text."""
    parser = _Elements()
    parser.feed(response.get_data(as_text=True))
    wanted = {k.rstrip("_"): v for k, v in attrs.items()}

    def matches(e):
        for key, value in wanted.items():
            if key == "class":
                if value not in e.get("class", "").split():
                    return False
            elif e.get(key) != value:
                return False
        return True

    return [e for e in parser.found if e["tag"] == tag and matches(e)]
