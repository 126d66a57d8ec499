"""The overview's figures, read from the daily rollups (issue 14): every tile with the previous
period's value, every chart of model.CHARTS, and the lists. docs/decisions.md, "Growth dashboard —
what the numbers mean", says what each counts and how the filters apply."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ..core.taxonomy import CITIES
from ..referrals.rules import SOURCE_LABELS, SOURCES
from . import queries
from .model import (
    CHARTS,
    TILES,
    TOP_INVITERS,
    CapHitMonth,
    Chart,
    ChartKind,
    Filters,
    Overview,
    ProgramRow,
    ReviewQueue,
    Series,
    Step,
    Tile,
    TopInviter,
)

NO_SOURCE = queries.NO_SOURCE
NO_SOURCE_LABEL = "None recorded"
FUNNEL_STAGES = ("Invites", "Signed up", "Rewarded")

DESCRIPTIONS = {
    "funnel": "For each program, the invites created, the invites signed up and the rewards paid in the range.",
    "invites_by_program": "Invites created each week of the range, stacked by program.",
    "rewards_by_program": "Rewards paid to inviters each week of the range, stacked by program.",
    "invites_by_source": "Invites created each week of the range, stacked by where the link was shared.",
    "rewards_by_source": "Rewards paid to inviters each week of the range, stacked by the source of the invite.",
    "credit_flow": "Credits awarded, clawed back and redeemed each week of the range, in dollars.",
    "alerts": "Saved-search alerts recorded each day of the range: all, e-mailed, and shown in the app.",
    "activity": "New follows and posts published each day of the range.",
}


def mask_email(email: str | None) -> str:
    """"ada@example.com" -> "a•••@example.com": tells two people apart, is no address to write to."""
    local, at, domain = (email or "").rpartition("@")
    if not at or not local:
        return "•••"
    return f"{local[0]}•••@{domain}"


def source_label(source: str) -> str:
    if source in ("", NO_SOURCE):
        return NO_SOURCE_LABEL
    return SOURCE_LABELS.get(source, source)


def week_starts(start: date, end: date) -> list[date]:
    """The Mondays of the ISO weeks the range touches (the first may fall before `start`)."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _tiles(totals: dict) -> tuple[Tile, ...]:
    def figure(key: str, prefix: str):
        if key == "conversion":
            return _ratio(totals[f"{prefix}signups_rewarded"], totals[f"{prefix}signups"])
        return totals[f"{prefix}{key}"]

    return tuple(Tile(key, label, unit, figure(key, ""), figure(key, "prev_")) for key, label, unit in TILES)


def _stacked(rows: list[dict], weeks: list[date], by: str, measure: str, names: dict[str, str],
             order: list[str]) -> tuple[Series, ...]:
    """One series per value of `by` that has any of `measure` in the range, in `order`."""
    sums: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        sums[row[by]][row["week"]] += row[measure]
    keys = [k for k in order if k in sums] + sorted(k for k in sums if k not in order)
    return tuple(Series(names.get(k, k), tuple(int(sums[k][w]) for w in weeks))
                 for k in keys if any(sums[k].values()))


def _charts(filters: Filters, weekly: list[dict], activity: list[dict], programs: list[dict]) -> tuple[Chart, ...]:
    weeks = week_starts(filters.start, filters.end)
    days = days_of(filters.start, filters.end)
    program_names = {p["program_id"]: p["name"] or p["program_id"] for p in programs}
    program_order = [p["program_id"] for p in programs]
    source_names = {s: source_label(s) for s in ("", *SOURCES)}
    source_order = [*SOURCES, ""]
    per_day = {row["day"]: row for row in activity}

    def daily(*measures: tuple[str, str]) -> tuple[Series, ...]:
        return tuple(Series(name, tuple(int(per_day[d][m]) if d in per_day else 0 for d in days))
                     for name, m in measures)

    def weekly_sum(measure: str) -> tuple[int, ...]:
        sums: dict[date, int] = defaultdict(int)
        for row in weekly:
            sums[row["week"]] += row[measure]
        return tuple(int(sums[w]) for w in weeks)

    funnel: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in weekly:
        stages = funnel[row["program_id"]]
        for n, measure in enumerate(("invites", "signups", "rewarded")):
            stages[n] += row[measure]
    funnel_order = [p for p in program_order if p in funnel] + sorted(p for p in funnel if p not in program_order)

    series = {
        "funnel": tuple(Series(program_names.get(p, p), tuple(funnel[p])) for p in funnel_order if any(funnel[p])),
        "invites_by_program": _stacked(weekly, weeks, "program_id", "invites", program_names, program_order),
        "rewards_by_program": _stacked(weekly, weeks, "program_id", "rewarded", program_names, program_order),
        "invites_by_source": _stacked(weekly, weeks, "source", "invites", source_names, source_order),
        "rewards_by_source": _stacked(weekly, weeks, "source", "rewarded", source_names, source_order),
        "credit_flow": (Series("Awarded", weekly_sum("awarded_cents")),
                        Series("Clawed back", weekly_sum("clawed_back_cents")),
                        Series("Redeemed", weekly_sum("redeemed_cents"))),
        "alerts": daily(("Alerts", "alerts"), ("E-mailed", "alerts_emailed"), ("In the app", "alerts_inapp")),
        "activity": daily(("Follows", "follows"), ("Published posts", "posts_published")),
    }
    charts = []
    for key, title, kind, unit, step in CHARTS:
        if kind is ChartKind.FUNNEL:
            categories = FUNNEL_STAGES
        else:
            categories = tuple(d.isoformat() for d in (weeks if step is Step.WEEK else days))
        charts.append(Chart(key, title, DESCRIPTIONS[key], kind, unit, categories, series[key]))
    return tuple(charts)


def _cap_hits(weekly: list[dict], program_names: dict[str, str]) -> tuple[CapHitMonth, ...]:
    hits: dict[tuple[date, str], int] = defaultdict(int)
    for row in weekly:
        if row["cap_hits"]:
            hits[(row["month"], row["program_id"])] += row["cap_hits"]
    return tuple(CapHitMonth(month, program_id, program_names.get(program_id, program_id), n)
                 for (month, program_id), n in sorted(hits.items(), key=lambda kv: (kv[0][0], program_names.get(
                     kv[0][1], kv[0][1]).lower())))


def _programs(weekly: list[dict], programs: list[dict]) -> tuple[ProgramRow, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in weekly:
        c = counts[row["program_id"]]
        c[0] += row["invites"]
        c[1] += row["signups"]
        c[2] += row["rewarded"]
    return tuple(ProgramRow(p["program_id"], p["name"] or p["program_id"], p["kind"], p["active"],
                            *counts.get(p["program_id"], (0, 0, 0))) for p in programs)


def _source_choices(filters: Filters) -> tuple[tuple[str, str], ...]:
    seen = set(queries.sources_seen(filters))
    if filters.source:
        seen.add("" if filters.source == NO_SOURCE else filters.source)
    ordered = [s for s in SOURCES if s in seen] + sorted(s for s in seen if s and s not in SOURCES)
    choices = [(s, source_label(s)) for s in ordered]
    if "" in seen:
        choices.append((NO_SOURCE, NO_SOURCE_LABEL))
    return tuple(choices)


def overview(filters: Filters) -> Overview:
    """Every tile (with the previous period), chart and list of the overview for `filters`."""
    programs = queries.programs()
    program_names = {p["program_id"]: p["name"] or p["program_id"] for p in programs}
    weekly = queries.weekly(filters)
    review = queries.review_queue()
    inviters = queries.top_inviters(filters, limit=TOP_INVITERS)
    return Overview(
        filters=filters,
        tiles=_tiles(queries.totals(filters)),
        charts=_charts(filters, weekly, queries.activity(filters), programs),
        top_inviters=tuple(TopInviter(r["user_id"], r["display_name"], mask_email(r["email"]), r["invites"],
                                      r["signups"], r["rewards"], int(r["credits_cents"])) for r in inviters),
        cap_hits=_cap_hits(weekly, program_names),
        review=ReviewQueue(review["size"], review["oldest_at"].date() if review["oldest_at"] else None),
        programs=_programs(weekly, programs),
        program_choices=tuple((p["program_id"], p["name"] or p["program_id"]) for p in programs),
        source_choices=_source_choices(filters),
        city_choices=tuple((c.slug, c.name) for c in CITIES),
    )
