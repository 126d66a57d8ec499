"""The side panel beside the feed and profile pages at desktop widths: people you might follow,
your saved searches, your invite link.

One read (dashboard/queries.py side_panel) made of the features' own SQL (follows, searches,
referrals). Nothing here writes, so a user who never opened /invites (and so has no code yet) gets a
link there instead of a code. Called from templates/_side_panel.html, so only full pages pay for it:
an htmx partial of the same page (a filter change, the next page of posts) renders a block without it.
"""
from __future__ import annotations

from datetime import date

from ..core.urls import profile_url
from ..invites.service import invite_link
from ..searches.service import shortcuts
from . import queries

SUGGESTED = 3
SEARCHES_SHOWN = 5


def side_panel(user) -> dict:
    """What the panel shows for `user`."""
    row = queries.side_panel(user.user_id, user.role, SUGGESTED)
    searches = [dict(s, paused_until=s["paused_until"] and date.fromisoformat(s["paused_until"]))
                for s in row["searches"][:SEARCHES_SHOWN]]  # JSON: the date came as text
    return dict(
        suggested=[dict(s, url=profile_url(s["target_kind"], s["target_id"])) for s in row["suggested"]],
        searches=shortcuts(searches), more_searches=len(row["searches"]) > SEARCHES_SHOWN,
        invite_link=invite_link(row["codes"][0], "copy") if row["codes"] else None,
    )
