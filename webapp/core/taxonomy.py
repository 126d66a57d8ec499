"""The words the product knows: cities, roles, styles, languages, amenities.

The directory field catalogues, the sign-up form and the demo data all read
these lists, so a new city or role is added here once.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    country: str
    time_zone: str


CITIES: tuple[City, ...] = (
    City("berlin", "Berlin", "Germany", "Europe/Berlin"),
    City("hamburg", "Hamburg", "Germany", "Europe/Berlin"),
    City("munich", "Munich", "Germany", "Europe/Berlin"),
    City("paris", "Paris", "France", "Europe/Paris"),
    City("lyon", "Lyon", "France", "Europe/Paris"),
    City("london", "London", "United Kingdom", "Europe/London"),
    City("manchester", "Manchester", "United Kingdom", "Europe/London"),
    City("new-york", "New York", "United States", "America/New_York"),
    City("los-angeles", "Los Angeles", "United States", "America/Los_Angeles"),
    City("miami", "Miami", "United States", "America/New_York"),
    City("milan", "Milan", "Italy", "Europe/Rome"),
    City("barcelona", "Barcelona", "Spain", "Europe/Madrid"),
)
CITY_BY_SLUG = {c.slug: c for c in CITIES}


def city_name(slug: str | None) -> str:
    city = CITY_BY_SLUG.get(slug or "")
    return city.name if city else (slug or "")


ROLE_TAGS = (
    "photographer", "model", "makeup-artist", "hair-stylist", "wardrobe-stylist",
    "videographer", "retoucher", "set-designer",
)
STUDIO_ROLE_TAGS = ("studio",)
STYLE_TAGS = (
    "editorial", "fashion", "commercial", "portrait", "beauty", "boudoir",
    "documentary", "music", "wedding", "product",
)
LANGUAGES = ("english", "german", "french", "spanish", "italian", "portuguese", "mandarin", "arabic")
AMENITY_TAGS = (
    "cyclorama", "natural-light", "blackout", "makeup-station", "kitchen", "parking",
    "step-free-access", "changing-room", "wifi", "sound-treated",
)
FANSUB_CATEGORIES = ("fitness", "cosplay", "lifestyle", "art-nude", "glamour", "behind-the-scenes")


def tag_label(tag: str) -> str:
    """'makeup-artist' -> 'Makeup artist'."""
    return tag.replace("-", " ").capitalize()
