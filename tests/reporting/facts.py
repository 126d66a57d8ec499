"""Facts for the growth dashboard's tests, written straight to the database as the features write
them (the rollups' triggers keep up with any writer), and the rollups read back."""
from __future__ import annotations

from datetime import UTC, datetime

from webapp.core.ids import new_id


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def program(conn, name: str, *, cap: int = 5) -> str:
    program_id = new_id("rpr")
    conn.execute(
        "insert into referral_program (program_id, name, kind, reward_fixed_cents, credit_scope, monthly_cap)"
        " values (%s, %s, 'cross_side', 2000, 'buyer_fee_only', %s)", (program_id, name, cap))
    return program_id


def invite(conn, program_id: str, inviter: dict, *, created: datetime, source: str | None = "copy",
           invitee: dict | None = None, accepted: datetime | None = None, status: str | None = None,
           flags=()) -> str:
    invite_id = new_id("rfi")
    conn.execute(
        "insert into referral_invite (invite_id, program_id, inviter_user_id, invitee_user_id, invitee_email_sha,"
        " source, created_at, accepted_at, status, fraud_flags) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (invite_id, program_id, inviter["user_id"], invitee["user_id"] if invitee else None, f"sha-{invite_id}",
         source, created, accepted, status or ("signed_up" if invitee else "sent"), list(flags)))
    return invite_id


def entry(conn, user: dict, kind: str, cents: int, *, on: datetime, program_id: str | None = None,
          related_id: str | None = None) -> str:
    entry_id = new_id("crl")
    conn.execute(
        "insert into credit_ledger (entry_id, user_id, kind, program_id, amount_cents, reason, related_id, created_at)"
        " values (%s, %s, %s, %s, %s, 'test', %s, %s)",
        (entry_id, user["user_id"], kind, program_id, cents, related_id, on))
    return entry_id


def reward(conn, invite_id: str, *, earned: datetime, inviter_entry_id: str | None) -> None:
    conn.execute(
        "insert into referral_reward (invite_id, booking_id, event_id, buyer_fee_cents, inviter_cents, invitee_cents,"
        " earned_at, inviter_entry_id) values (%s, %s, %s, 10000, 2000, 0, %s, %s)",
        (invite_id, new_id("bkg"), new_id("evt"), earned, inviter_entry_id))


def search(conn, user: dict, city: str) -> str:
    search_id = new_id("ssv")
    conn.execute("insert into saved_search (search_id, user_id, scope, query_json, city) values"
                 " (%s, %s, 'people', '{}', %s)", (search_id, user["user_id"], city))
    return search_id


def alert(conn, search_id: str, day: str, *, emailed: bool, inapp: bool) -> None:
    conn.execute("insert into saved_search_alert (alert_id, search_id, alert_dt, match_count, email_sent,"
                 " inapp_created) values (%s, %s, %s, 1, %s, %s)", (new_id("ssa"), search_id, day, emailed, inapp))


def follow(conn, follower: dict, target_id: str, on: datetime) -> None:
    conn.execute("insert into follow (follower_user_id, target_id, target_kind, created_at)"
                 " values (%s, %s, 'service_profile', %s)", (follower["user_id"], target_id, on))


def post(conn, author: dict, city: str, on: datetime, *, published: bool) -> str:
    feed_id = new_id("fdp")
    conn.execute("insert into feed_post (feed_id, author_id, role_tags, kind, title, city, is_published, created_at)"
                 " values (%s, %s, '{photographer}', 'case_study', 'A shoot', %s, %s, %s)",
                 (feed_id, author["user_id"], city, published, on))
    return feed_id


def rollups(conn) -> tuple[set, set]:
    """Both rollups' rows, as sets of tuples (zero rows left out: a delta may leave one behind)."""
    growth = {tuple(r) for r in conn.execute(
        "select * from growth_daily where (invites, signups, signups_rewarded, rewarded, held, cap_hits,"
        " awarded_cents, clawed_back_cents, redeemed_cents) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)")}
    activity = {tuple(r) for r in conn.execute(
        "select * from activity_daily where (alerts, alerts_emailed, alerts_inapp, follows, posts_published)"
        " <> (0, 0, 0, 0, 0)")}
    return growth, activity
