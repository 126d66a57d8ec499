"""The growth overview's reads (core.reads, on the `reader` engine: DATABASE_READ_URL's endpoint
when set, else the writer).

Tiles, charts, cap hits and program counts read the daily rollups (migration 100), never the
facts: a range costs its days × programs × sources × cities rows, whatever the size of the fact
tables. The outstanding balance sums the money rollup from the first day (rows, not entries), in
one pass for both periods.
Top inviters read the facts of the range through the range indexes of migration 101: their cost
grows with the events in the range (docs/scaling.md, "The growth dashboard at a million invites").
The review queue counts the held invites through idx_rfi_held (070): the queue, not the history.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ..core import reads
from .model import Filters

READER = "reader"
# Filters.source's value for invites with no source (stored as '' in the rollups).
NO_SOURCE = "none"


def _growth_where(filters: Filters, params: dict, *, source: str = "source", city: str = "city",
                  program: str = "program_id") -> str:
    """The program, source and city conditions on rollup (or fact) columns, their values in `params`."""
    conditions = []
    if filters.program_id:
        conditions.append(f"{program} = %(program)s")
        params["program"] = filters.program_id
    if filters.source:
        conditions.append(f"{source} = %(source)s")
        params["source"] = "" if filters.source == NO_SOURCE else filters.source
    if filters.city:
        conditions.append(f"{city} = %(city)s")
        params["city"] = filters.city
    return "".join(f" and {c}" for c in conditions)


def totals(filters: Filters) -> dict:
    """Every referral and credit counter over the range (`x`) and the previous period (`prev_x`),
    with the outstanding balance at the end of each."""
    previous = filters.previous()
    params = {"start": filters.start, "end": filters.end, "prev_start": previous.start, "prev_end": previous.end}
    where = _growth_where(filters, params)
    counters = ("invites", "signups", "signups_rewarded", "rewarded", "held", "cap_hits",
                "awarded_cents", "clawed_back_cents", "redeemed_cents")
    sums = ", ".join(f"coalesce(sum({c}) filter (where day >= %(start)s), 0) as {c},"
                     f" coalesce(sum({c}) filter (where day < %(start)s), 0) as prev_{c}" for c in counters)
    # Both balances in one pass over the rollup's history (it reads every day up to `end`: at 1M
    # invites, two passes were half the overview's time; docs/benchmarks.md, "Growth dashboard — overview").
    row = reads.first(
        f"""
        with balance as (
          select coalesce(sum(awarded_cents - clawed_back_cents - redeemed_cents), 0) as outstanding_cents,
                 coalesce(sum(awarded_cents - clawed_back_cents - redeemed_cents)
                          filter (where day <= %(prev_end)s), 0) as prev_outstanding_cents
            from growth_daily where day <= %(end)s{where})
        select {sums},
               (select outstanding_cents from balance) as outstanding_cents,
               (select prev_outstanding_cents from balance) as prev_outstanding_cents
          from growth_daily
         where day between %(prev_start)s and %(end)s{where}
        """, params, on=READER)
    return {key: int(value) for key, value in row.items()}


def weekly(filters: Filters) -> list[dict]:
    """The range's counters by week (its Monday), month, program and source: what the weekly
    charts, the funnel, the programs' counts and the cap hits by month are summed from."""
    params = {"start": filters.start, "end": filters.end}
    where = _growth_where(filters, params)
    return reads.rows(
        f"""
        select date_trunc('week', day)::date as week, date_trunc('month', day)::date as month, program_id, source,
               sum(invites)::int as invites, sum(signups)::int as signups, sum(rewarded)::int as rewarded,
               sum(cap_hits)::int as cap_hits, sum(awarded_cents)::bigint as awarded_cents,
               sum(clawed_back_cents)::bigint as clawed_back_cents, sum(redeemed_cents)::bigint as redeemed_cents
          from growth_daily
         where day between %(start)s and %(end)s{where}
         group by 1, 2, 3, 4
        """, params, on=READER)


def activity(filters: Filters) -> list[dict]:
    """Alerts, follows and published posts per day of the range. The city filter applies to alerts
    (the search's city) and posts (the post's); follows have no city and match every filter."""
    params = {"start": filters.start, "end": filters.end, "city": filters.city}
    in_city = "city = %(city)s" if filters.city else "true"
    return reads.rows(
        f"""
        select day, coalesce(sum(alerts) filter (where {in_city}), 0)::int as alerts,
               coalesce(sum(alerts_emailed) filter (where {in_city}), 0)::int as alerts_emailed,
               coalesce(sum(alerts_inapp) filter (where {in_city}), 0)::int as alerts_inapp,
               sum(follows)::int as follows,
               coalesce(sum(posts_published) filter (where {in_city}), 0)::int as posts_published
          from activity_daily
         where day between %(start)s and %(end)s
         group by day
        """, params, on=READER)


def sources_seen(filters: Filters) -> list[str]:
    """The invite sources the rollups hold for the range ('' for none)."""
    return [r["source"] for r in reads.rows(
        "select distinct source from growth_daily where day between %(start)s and %(end)s",
        {"start": filters.start, "end": filters.end}, on=READER)]


def programs() -> list[dict]:
    return reads.rows("select program_id, name, kind, active from referral_program"
                      " order by active desc, lower(name), program_id", on=READER)


def review_queue() -> dict:
    """The held invites now: how many, the oldest sign-up among them (idx_rfi_held)."""
    return reads.first("select count(*)::int as size, min(accepted_at) as oldest_at from referral_invite"
                       " where status = 'held'", on=READER)


def _moments(filters: Filters) -> dict:
    return {"from": datetime.combine(filters.start, time(), UTC),
            "until": datetime.combine(filters.end + timedelta(days=1), time(), UTC)}


def top_inviters(filters: Filters, *, limit: int) -> list[dict]:
    """The inviters with the most sign-ups in the range (then rewards, invites, credits): their
    invites, sign-ups and rewards in it, and what those rewards paid them less what was clawed back
    of it. Read from the facts of the range through migration 101's indexes: invites by created_at
    and by accepted_at, rewards by earned_at (a key lookup of each one's invite)."""
    params = _moments(filters) | {"limit": limit}
    on_invite = _growth_where(filters, params, source="coalesce(i.source, '')", city="i.inviter_city",
                              program="i.program_id")
    return reads.rows(
        f"""
        with invited as (
          select i.inviter_user_id as user_id, count(*) as invites from referral_invite i
           where i.created_at >= %(from)s and i.created_at < %(until)s{on_invite} group by 1),
        signed_up as (
          select i.inviter_user_id as user_id, count(*) as signups from referral_invite i
           where i.accepted_at >= %(from)s and i.accepted_at < %(until)s{on_invite} group by 1),
        rewarded as (
          -- credits: what those rewards paid the inviter, less the ones clawed back since (the invite says)
          select i.inviter_user_id as user_id, count(*) as rewards,
                 sum(case when i.status = 'clawed_back' then 0 else r.inviter_cents end) as credits_cents
            from referral_reward r join referral_invite i on i.invite_id = r.invite_id
           where r.earned_at >= %(from)s and r.earned_at < %(until)s and r.inviter_entry_id is not null{on_invite}
           group by 1),
        ranked as (
          select user_id, coalesce(max(invites), 0) as invites, coalesce(max(signups), 0) as signups,
                 coalesce(max(rewards), 0) as rewards, coalesce(max(credits_cents), 0) as credits_cents
            from (select user_id, invites, null::bigint as signups, null::bigint as rewards,
                         null::bigint as credits_cents from invited
                  union all select user_id, null, signups, null, null from signed_up
                  union all select user_id, null, null, rewards, credits_cents from rewarded) s
           group by user_id),
        leaders as (
          -- cut to the first rows (and those tied with the last) before reading any account: the
          -- name only breaks ties, and a month at 1M invites has some 17k inviters
          select * from ranked order by signups desc, rewards desc, invites desc, credits_cents desc
           fetch first %(limit)s rows with ties)
        select r.user_id, u.display_name, u.email, r.invites::int, r.signups::int, r.rewards::int,
               r.credits_cents::bigint
          from leaders r join app_user u on u.user_id = r.user_id
         order by r.signups desc, r.rewards desc, r.invites desc, r.credits_cents desc, u.display_name, r.user_id
         limit %(limit)s
        """, params, on=READER)

