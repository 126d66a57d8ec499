"""Overviews built by hand for the page's tests: what the service would return, with figures chosen
so that each one is easy to find on the page."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from webapp.reporting.model import (
    CHARTS,
    TILES,
    CapHitMonth,
    Chart,
    ChartKind,
    Filters,
    Overview,
    Preset,
    ProgramRow,
    ReviewQueue,
    Series,
    Step,
    Tile,
    TopInviter,
)

NOVEMBER = Filters(Preset.CUSTOM, date(2026, 11, 1), date(2026, 11, 30))
WEEKS = ("2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30")
DAYS = tuple(date(2026, 11, d).isoformat() for d in range(1, 31))

# Figures per tile (value, previous): each distinct, so a test can find its tile's text.
TILE_FIGURES = {
    "invites": (1234, 1000), "signups": (456, 480), "rewarded": (78, 0), "conversion": (0.171, 0.2),
    "awarded_cents": (123450, 100000), "clawed_back_cents": (2500, 2500), "redeemed_cents": (40000, 50000),
    "outstanding_cents": (987600, 900000), "held": (9, 3), "cap_hits": (4, 0),
}


def a_chart(key: str, title: str, kind: ChartKind, unit, step: Step | None) -> Chart:
    if kind is ChartKind.FUNNEL:
        categories = ("Invites", "Signed up", "Rewarded")
        series = (Series("Providers invite providers", (700, 300, 50)), Series("Buyers invite buyers", (534, 156, 28)))
    else:
        categories = WEEKS if step is Step.WEEK else DAYS
        names = {"credit_flow": ("Awarded", "Clawed back", "Redeemed"), "alerts": ("E-mailed", "In-app"),
                 "activity": ("Follows", "Published posts")}.get(key, ("Link", "E-mail"))
        series = tuple(Series(name, tuple((i + 1) * (n + 2) * 100 for i in range(len(categories))))
                       for n, name in enumerate(names))
    return Chart(key, title, f"What {title.lower()} shows, in a sentence.", kind, unit, categories, series)


def an_overview(filters: Filters = NOVEMBER, **changes) -> Overview:
    overview = Overview(
        filters=filters,
        tiles=tuple(Tile(key, label, unit, *TILE_FIGURES[key]) for key, label, unit in TILES),
        charts=tuple(a_chart(*spec) for spec in CHARTS),
        top_inviters=(TopInviter("usr_ada", "Ada Lovelace", "a•••@example.com", 40, 12, 5, 2500),
                      TopInviter("usr_bob", "Bob <Builder>", "b•••@example.com", 30, 10, 4, 2000)),
        cap_hits=(CapHitMonth(date(2026, 11, 1), "rpr_prov", "Providers invite providers", 4),),
        review=ReviewQueue(size=9, oldest_at=date(2026, 10, 28)),
        programs=(ProgramRow("rpr_prov", "Providers invite providers", "provider_invites_provider", True, 700, 300, 50),
                  ProgramRow("rpr_buy", "Buyers invite buyers", "buyer_invites_buyer", False, 534, 156, 28)),
        program_choices=(("rpr_prov", "Providers invite providers"), ("rpr_buy", "Buyers invite buyers")),
        source_choices=(("link", "Link"), ("email", "E-mail")),
        city_choices=(("berlin", "Berlin, DE"), ("lisbon", "Lisbon, PT")),
    )
    return replace(overview, **changes)


def an_empty_overview(filters: Filters = NOVEMBER) -> Overview:
    """Nothing happened: every figure 0 (conversion: nothing to divide), charts without values."""
    return an_overview(
        filters,
        tiles=tuple(Tile(key, label, unit, None if key == "conversion" else 0, 0) for key, label, unit in TILES),
        charts=tuple(replace(c, series=tuple(replace(s, values=(0,) * len(s.values)) for s in c.series))
                     for c in an_overview(filters).charts),
        top_inviters=(), cap_hits=(), review=ReviewQueue(0, None))
