"""What the growth overview shows, as data: the filters (a date range and program, source, city, all
kept in the URL), the tiles, the charts and the lists. The service (service.py) fills these from the
daily rollups; the views and templates draw them; the CSV exports stream the same tables.

Every metric counts events on the UTC day they happened (core/clock), between `start` and `end`
inclusive (docs/decisions.md, "Growth dashboard — what the numbers mean"):

- invites          referral_invite rows created (link sign-ups and e-mail invitations alike)
- signups          invites accepted (accepted_at), i.e. accounts created through an invite
- rewarded         first qualifying bookings that paid the inviter (referral_reward with an inviter entry)
- conversion       of the range's sign-ups, the share rewarded by now (a cohort: never above 100%)
- awarded / clawed back / redeemed   credit_ledger amounts by kind, in cents
- outstanding      awarded − clawed back − redeemed, cumulative up to `end` (credit still owed to users)
- held             sign-ups a fraud rule flagged for review, on the sign-up's day (a cohort, like conversion)
- cap hits         bookings that would have paid but found the inviter's monthly cap reached

Program and source filter the referral metrics (an invite's program and source; a ledger entry's
program, and the source of the invite it pays for); city is the inviter's city (for alerts: the
search's city; for posts: the post's). Follows match no filter but the range.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

MAX_RANGE_DAYS = 3 * 366  # a custom range longer than this is refused (a clear form error)
TOP_INVITERS = 10


class Preset(StrEnum):
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    THIS_QUARTER = "quarter"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return {"7d": "Last 7 days", "30d": "Last 30 days", "quarter": "This quarter", "custom": "Custom"}[self]


@dataclass(frozen=True)
class Filters:
    """One view of the overview. `start` and `end` are inclusive UTC days; None filters match all."""
    preset: Preset
    start: date
    end: date
    program_id: str | None = None
    source: str | None = None
    city: str | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before, with the same program, source and city."""
        return replace(self, preset=Preset.CUSTOM, start=self.start - timedelta(days=self.days),
                       end=self.start - timedelta(days=1))

    def query_args(self) -> dict[str, str]:
        """The URL's query string for this view (what url_for gets): a preset carries no dates."""
        args = {"range": self.preset.value}
        if self.preset is Preset.CUSTOM:
            args |= {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name, value in (("program", self.program_id), ("source", self.source), ("city", self.city)):
            if value:
                args[name] = value
        return args


def preset_range(preset: Preset, today: date) -> tuple[date, date]:
    """The days a preset covers, ending today (UTC). CUSTOM has none of its own."""
    if preset is Preset.LAST_7_DAYS:
        return today - timedelta(days=6), today
    if preset is Preset.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if preset is Preset.THIS_QUARTER:
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    raise ValueError("a custom range has its own start and end")


class Unit(StrEnum):
    CENTS = "cents"     # money: shown as dollars
    COUNT = "count"
    RATIO = "ratio"     # 0..1, shown as a percentage


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    unit: Unit
    value: int | float | None         # None: nothing to divide (a ratio over an empty range)
    previous: int | float | None      # the same figure over Filters.previous()

    @property
    def change(self) -> float | None:
        """Relative change against the previous period; None when there is nothing to compare with."""
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / self.previous


# The tiles, in the order the page shows them: (key, label, unit).
TILES: tuple[tuple[str, str, Unit], ...] = (
    ("invites", "Invites", Unit.COUNT),
    ("signups", "Sign-ups", Unit.COUNT),
    ("rewarded", "Rewarded", Unit.COUNT),
    ("conversion", "Conversion (sign-up → reward)", Unit.RATIO),
    ("awarded_cents", "Credits awarded", Unit.CENTS),
    ("clawed_back_cents", "Clawed back", Unit.CENTS),
    ("redeemed_cents", "Redeemed", Unit.CENTS),
    ("outstanding_cents", "Outstanding balance", Unit.CENTS),
    ("held", "Held for review", Unit.COUNT),
    ("cap_hits", "Cap hits", Unit.COUNT),
)


@dataclass(frozen=True)
class Series:
    name: str                   # what the legend and the table's column say
    values: tuple[int, ...]     # one per Chart.categories entry


class ChartKind(StrEnum):
    FUNNEL = "funnel"           # categories are the stages; one series per program
    STACKED_BARS = "stacked"    # categories are weeks or days
    LINES = "lines"


class Step(StrEnum):
    DAY = "day"
    WEEK = "week"               # ISO weeks from Monday; the first and last may be cut by the range


@dataclass(frozen=True)
class Chart:
    key: str                    # also the CSV export's name and the table's anchor
    title: str                  # the chart's accessible title (<title>) and heading
    description: str            # its accessible description (<desc>): what it shows, in a sentence
    kind: ChartKind
    unit: Unit
    categories: tuple[str, ...]  # x axis labels (ISO dates of days or of the weeks' Mondays, or stages)
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not any(any(s.values) for s in self.series)


# The charts, in page order: (key, title, kind, unit, step or None for the funnel).
CHARTS: tuple[tuple[str, str, ChartKind, Unit, Step | None], ...] = (
    ("funnel", "Referral funnel by program", ChartKind.FUNNEL, Unit.COUNT, None),
    ("invites_by_program", "Invites per week by program", ChartKind.STACKED_BARS, Unit.COUNT, Step.WEEK),
    ("rewards_by_program", "Rewards per week by program", ChartKind.STACKED_BARS, Unit.COUNT, Step.WEEK),
    ("invites_by_source", "Invites per week by source", ChartKind.STACKED_BARS, Unit.COUNT, Step.WEEK),
    ("rewards_by_source", "Rewards per week by source", ChartKind.STACKED_BARS, Unit.COUNT, Step.WEEK),
    ("credit_flow", "Credit flow per week", ChartKind.LINES, Unit.CENTS, Step.WEEK),
    ("alerts", "Saved-search alerts per day", ChartKind.LINES, Unit.COUNT, Step.DAY),
    ("activity", "Follows and published posts per day", ChartKind.LINES, Unit.COUNT, Step.DAY),
)


@dataclass(frozen=True)
class TopInviter:
    user_id: str
    display_name: str
    masked_email: str           # "a•••@example.com": enough to tell two Adas apart, not to write to them
    invites: int
    signups: int
    rewards: int
    credits_cents: int          # what their rewards of the range paid them, less what was clawed back of it


@dataclass(frozen=True)
class CapHitMonth:
    month: date                 # the first of the month
    program_id: str
    program_name: str
    hits: int


@dataclass(frozen=True)
class ReviewQueue:
    size: int                   # invites held now (not range-bound: the queue as it stands)
    oldest_at: date | None


@dataclass(frozen=True)
class ProgramRow:
    program_id: str
    name: str
    kind: str
    active: bool
    invites: int                # in the range, with the other filters
    signups: int
    rewarded: int


@dataclass(frozen=True)
class Overview:
    filters: Filters
    tiles: tuple[Tile, ...]
    charts: tuple[Chart, ...]
    top_inviters: tuple[TopInviter, ...]
    cap_hits: tuple[CapHitMonth, ...]
    review: ReviewQueue
    programs: tuple[ProgramRow, ...]
    # What the filter form offers: (value, label) pairs.
    program_choices: tuple[tuple[str, str], ...] = field(default=())
    source_choices: tuple[tuple[str, str], ...] = field(default=())
    city_choices: tuple[tuple[str, str], ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Nothing happened in the range under these filters (the page then says so, and what to try)."""
        return not any(t.value for t in self.tiles if t.key != "outstanding_cents")
