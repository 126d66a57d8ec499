"""Saved searches (people and studios, ALL/ANY conditions, some paused) and the
daily alerts they have already produced."""
from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from ..alerts.wording import alert_title
from ..core.taxonomy import city_name
from .base import DemoData
from .people import accounts_of

TAG_FIELDS = {"role_tags", "style_tags", "languages", "amenity_tags"}


def canonical_query(all_: list[tuple], any_: list[tuple] = ()) -> dict:
    """SPEC's canonical query_json: both keys present, tag values trimmed and
    lower-cased, conditions de-duplicated and sorted by field, op, value, and
    an `any` group of exactly one condition folded into `all`."""

    def norm(conds):
        out = {}
        for field, op, value in conds:
            if field in TAG_FIELDS:
                value = str(value).strip().lower()
            cond = {"field": field, "op": op, "value": value}
            out[json.dumps(cond, sort_keys=True)] = cond
        return sorted(out.values(), key=lambda c: (c["field"], c["op"], json.dumps(c["value"])))

    all_c, any_c = norm(all_), norm(any_)
    if len(any_c) == 1:
        all_c, any_c = norm([(c["field"], c["op"], c["value"]) for c in all_c + any_c]), []
    return {"all": all_c, "any": any_c}


# (name, scope, city, all, any, paused_until offset in days, last alert days ago)
BUYER_SEARCHES = (
    ("Berlin editorial photographers", "people", "berlin",
     [("role_tags", "has", "photographer"), ("rate_cents", "lte", 20_000)],
     [("style_tags", "has", "editorial"), ("style_tags", "has", "fashion")], None, 1),
    ("Verified make-up artists in Paris", "people", "paris",
     [("role_tags", "has", "makeup-artist"), ("verified", "is", True)], [], 10, 12),
    ("Touring music videographers", "people", "london", [("role_tags", "has", "videographer"), ("travels", "is", True)],
     [("style_tags", "has", "music"), ("style_tags", "has", "documentary")], None, None),
    ("Cyc studios with parking", "studios", "berlin", [("amenity_tags", "has", "cyclorama"), ("capacity", "gte", 10)],
     [("amenity_tags", "has", "parking"), ("amenity_tags", "has", "step-free-access")], None, 3),
    ("Daylight studios under $120", "studios", "new-york",
     [("amenity_tags", "has", "natural-light"), ("hourly_rate_cents", "lte", 12_000)], [], 30, None),
    # Paused once, and the pause has run out: alerts are on again.
    (None, "people", "milan", [("role_tags", "has", "model")], [("style_tags", "has", "fashion"),
                                                          ("style_tags", "has", "commercial")], -5, 6),
)
PEOPLE_TEMPLATES = (
    ([("role_tags", "has", "photographer")], [("style_tags", "has", "wedding"), ("style_tags", "has", "portrait")]),
    ([("role_tags", "has", "model"), ("verified", "is", True)], []),
    ([("role_tags", "has", "makeup-artist"), ("rate_cents", "lte", 12_000)], [("languages", "has", "english")]),
    ([("role_tags", "has", "hair-stylist")], [("style_tags", "has", "beauty"), ("style_tags", "has", "editorial")]),
    ([("role_tags", "has", "retoucher"), ("rate_cents", "lte", 8_000)], []),
    ([("role_tags", "has", "wardrobe-stylist"), ("travels", "is", True)], []),
    ([("role_tags", "has", "videographer"), ("rate_cents", "gte", 10_000)],
     [("style_tags", "has", "commercial"), ("style_tags", "has", "music")]),
    ([("role_tags", "has", "set-designer")], [("languages", "has", "french"), ("languages", "has", "english")]),
)
STUDIO_TEMPLATES = (
    ([("amenity_tags", "has", "blackout"), ("size_sqm", "gte", 100)], []),
    ([("amenity_tags", "has", "makeup-station")], [("amenity_tags", "has", "kitchen"),
                                                    ("amenity_tags", "has", "changing-room")]),
    ([("hourly_rate_cents", "lte", 8_000), ("verified", "is", True)], []),
    ([("amenity_tags", "has", "sound-treated"), ("capacity", "gte", 8)], [("amenity_tags", "has", "parking")]),
)


TEMPLATE_NAMES = {
    "people": ("Wedding & portrait photographers", "Verified models", "Affordable make-up artists",
               "Beauty hair stylists", "Retouchers under $80", "Stylists who travel", "Commercial videographers",
               "Set designers"),
    "studios": ("Big blackout studios", "Studios with a make-up station", "Verified studios under $80",
                "Sound-treated studios"),
}


def _add_search(data: DemoData, user: dict, name: str | None, scope: str, city: str, query: dict,
                paused: int | None, last_alert: int | None) -> dict:
    created = data.random_time(max(user["created_at"], data.ago(60)), data.ago(14))
    search = data.add(
        "saved_search",
        search_id=data.id_at("ssv", created), user_id=user["user_id"], name=name, scope=scope, query_json=query,
        city=city,
        paused_until=data.today + timedelta(days=paused) if paused is not None else None,
        # An alert can only come after the search exists.
        last_alert_dt=(max(data.today - timedelta(days=last_alert), created.date() + timedelta(days=1))
                       if last_alert is not None else None),
        created_at=created, updated_at=created, email_alerts=user["email_alerts"],
    )
    if paused is not None:
        search["updated_at"] = data.random_time(created)
    return search


def seed_searches(data: DemoData) -> None:
    buyer = data.accounts["buyer@demo.test"]
    for name, scope, city, all_, any_, paused, last_alert in BUYER_SEARCHES:
        _add_search(data, buyer, name, scope, city, canonical_query(all_, any_), paused, last_alert)

    searchers = accounts_of(data, "member") + accounts_of(data, "person")[::6]
    city_slugs = sorted({u["city"] for u in searchers})
    for i, user in enumerate(searchers):
        scope, templates = ("studios", STUDIO_TEMPLATES) if i % 3 == 2 else ("people", PEOPLE_TEMPLATES)
        all_, any_ = templates[i % len(templates)]
        city = user["city"] if i % 4 else data.rng.choice(city_slugs)
        paused = data.rng.choice((7, 21, 60)) if i % 5 == 1 else None
        last_alert = data.rng.randint(1, 20) if i % 3 != 1 else None
        name = None if i % 4 == 3 else f"{TEMPLATE_NAMES[scope][i % len(templates)]} in {city_name(city)}"
        _add_search(data, user, name, scope, city, canonical_query(all_, any_), paused, last_alert)
    seed_alerts(data)


def seed_alerts(data: DemoData) -> None:
    """For each search that has alerted: 1-6 past alerts on distinct days, the
    newest on last_alert_dt. E-mail went out when the owner has e-mail alerts on."""
    for search in data.rows["saved_search"]:
        last = search["last_alert_dt"]
        if last is None:
            continue
        first = search["created_at"].date() + timedelta(days=1)
        span = (last - first).days
        days = {last} | {first + timedelta(days=data.rng.randint(0, max(span, 0)))
                         for _ in range(data.rng.randint(0, 5))}
        for day in sorted(d for d in days if d <= last):
            at = datetime.combine(day, time(7, data.rng.randint(0, 59)), tzinfo=UTC)
            alert = data.add(
                "saved_search_alert",
                alert_id=data.id_at("ssa", at), search_id=search["search_id"], alert_dt=day,
                match_count=data.rng.randint(1, 9), email_sent=search["email_alerts"], inapp_created=True,
                created_at=at,
            )
            _notify(data, search, alert)


def _notify(data: DemoData, search: dict, alert: dict) -> None:
    """The alert's in-app notification, as the daily run writes it (webapp/alerts/service.py): the
    last three days' mostly unread, older ones mostly read a few hours after they came."""
    at = alert["created_at"] + timedelta(seconds=data.rng.randint(1, 30))
    recent = (data.today - alert["alert_dt"]).days <= 3
    unread = data.rng.random() < (0.8 if recent else 0.1)
    data.add(
        "notification",
        notification_id=data.id_at("ntf", at), user_id=search["user_id"], kind="search_alert",
        alert_id=alert["alert_id"], title=alert_title(search, alert["match_count"]), created_at=at,
        read_at=None if unread else min(data.random_time(at, at + timedelta(hours=30)), data.now),
    )
