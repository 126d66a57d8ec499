"""Figures for the dashboard, one query each, all scoped to one user."""
from __future__ import annotations

from datetime import date, timedelta

from ..core import reads
from ..follows.queries import POPULAR_NOT_FOLLOWED
from ..referrals.queries import CODES_OF
from ..searches.queries import USER_SEARCHES


def user_summary(user_id: str, today: date) -> dict:
    """Counts and balance the dashboard cards show for `user_id` on `today` (paused searches,
    alerts of the last seven days)."""
    return reads.first(
        """
            select
              (select count(*) from saved_search where user_id = %(u)s) as searches,
              (select count(*) from saved_search where user_id = %(u)s
                 and paused_until is not null and paused_until >= %(today)s) as paused_searches,
              (select count(*) from saved_search_alert a join saved_search s using (search_id)
                 where s.user_id = %(u)s and a.alert_dt > %(week_ago)s) as alerts_this_week,
              (select count(*) from follow where follower_user_id = %(u)s) as following,
              (select count(*) from follow where target_id = %(u)s) as followers,
              (select count(*) from referral_invite where inviter_user_id = %(u)s) as invites,
              (select count(*) from referral_invite where inviter_user_id = %(u)s
                 and accepted_at is not null) as accepted,
              -- the balance row the ledger's trigger keeps (what /credits shows), not a sum of the history
              coalesce((select balance_cents from credit_balance where user_id = %(u)s), 0) as balance_cents,
              coalesce((select owed_cents from credit_balance where user_id = %(u)s), 0) as owed_cents,
              (select count(*) from feed_post where author_id = %(u)s and is_published) as published_posts,
              (select count(*) from feed_post where author_id = %(u)s and not is_published) as draft_posts
        """,
        {"u": user_id, "today": today, "week_ago": today - timedelta(days=7)},
    )


def side_panel(user_id: str, role: str, suggested: int) -> dict:
    """The side panel's rows in one read, each part its feature's own SQL: `suggested` people and
    creators the user might follow (follows), the user's saved searches (searches), their invite
    codes (referrals). Searches and suggestions come as JSON lists (their dates as ISO text), in
    their statements' order; codes as a plain list, oldest program first."""
    return reads.first(
        f"""
            select
              (select coalesce(json_agg(p), '[]') from ({POPULAR_NOT_FOLLOWED}) p) as suggested,
              (select coalesce(json_agg(s), '[]') from ({USER_SEARCHES}) s) as searches,
              array(select c.code from ({CODES_OF}) c) as codes
        """,
        {"u": user_id, "user_id": user_id, "role": role, "limit": suggested},
    )
