"""Accounts and the directory: the demo accounts, members (buyers), people
(service profiles), studios and their owners, and fan-sub creators."""
from __future__ import annotations

import unicodedata

from ..core.taxonomy import AMENITY_TAGS, CITIES, LANGUAGES, STYLE_TAGS, tag_label
from .base import SPAN_DAYS, DemoData

DEMO_ACCOUNTS = (
    ("buyer@demo.test", "Bea Buyer", "member"),
    ("provider@demo.test", "Pablo Provider", "provider"),
    ("growth@demo.test", "Gita Growth", "growth"),
)

PEOPLE_COUNT = 60
MEMBER_COUNT = 18
STUDIO_COUNT = 15
CREATOR_COUNT = 8

COUNTRY_LANGUAGE = {
    "Germany": "german", "France": "french", "United Kingdom": "english", "United States": "english",
    "Italy": "italian", "Spain": "spanish",
}
NAMES = {
    "Germany": (("Lena", "Jonas", "Mia", "Felix", "Hannah", "Lukas", "Emma", "Paul", "Clara", "Moritz", "Greta",
                 "Finn", "Ida", "Anton"),
                ("Vogel", "Becker", "Hoffmann", "Krüger", "Schulz", "Wagner", "Richter", "Neumann", "Brandt",
                 "Lehmann", "Albrecht", "Seidel")),
    "France": (("Camille", "Louis", "Chloé", "Hugo", "Inès", "Léo", "Manon", "Théo", "Zoé", "Jules", "Margaux"),
               ("Laurent", "Moreau", "Girard", "Lefèvre", "Roux", "Fontaine", "Mercier", "Dubois", "Garnier")),
    "United Kingdom": (("Olivia", "Harry", "Amelia", "George", "Isla", "Oscar", "Freya", "Alfie", "Priya", "Callum"),
                       ("Taylor", "Evans", "Hughes", "Walker", "Clarke", "Turner", "Patel", "Wright", "Okafor")),
    "United States": (("Maya", "Ethan", "Ava", "Marcus", "Zoe", "Jordan", "Riley", "Andre", "Sofia", "Tyler",
                       "Naomi", "Darius"),
                      ("Johnson", "Rivera", "Chen", "Brooks", "Nguyen", "Carter", "Kim", "Reyes", "Price", "Alvarez")),
    "Italy": (("Giulia", "Marco", "Chiara", "Luca", "Sofia", "Matteo", "Alessia", "Davide"),
              ("Rossi", "Bianchi", "Romano", "Ricci", "Conti", "Greco", "Marino", "Gallo")),
    "Spain": (("Lucía", "Pablo", "Carmen", "Javier", "Elena", "Diego", "Nuria", "Álvaro"),
              ("García", "Martín", "López", "Serrano", "Navarro", "Ruiz", "Ortega", "Molina")),
}
# How many of the 60 people do each thing first, and their usual hourly rate range (cents).
ROLE_PLAN = (
    ("photographer", 14, 8_000, 30_000), ("model", 10, 5_000, 25_000), ("makeup-artist", 9, 4_000, 15_000),
    ("hair-stylist", 6, 4_000, 12_000), ("wardrobe-stylist", 6, 5_000, 15_000), ("videographer", 7, 9_000, 35_000),
    ("retoucher", 4, 3_000, 9_000), ("set-designer", 4, 6_000, 18_000),
)
RATE_RANGE = {role: (low, high) for role, _, low, high in ROLE_PLAN}
CITY_COUNTRY = {c.slug: c.country for c in CITIES}
CITY_NAME = {c.slug: c.name for c in CITIES}
SECOND_ROLE = {
    "photographer": "videographer", "videographer": "photographer", "makeup-artist": "hair-stylist",
    "hair-stylist": "makeup-artist", "wardrobe-stylist": "set-designer", "set-designer": "wardrobe-stylist",
    "retoucher": "photographer", "model": "makeup-artist",
}
ROLE_STYLES = {
    "model": ("fashion", "editorial", "commercial", "beauty", "boudoir", "portrait"),
    "retoucher": ("beauty", "fashion", "product", "commercial", "editorial"),
    "set-designer": ("editorial", "commercial", "music", "product"),
}
CLIENTS = ("Northwind Apparel", "Atelier Sève", "Kinfolk Coffee", "Lumen Skincare", "Harbour Records",
           "Studio Ostra", "Vela Swimwear", "Pine & Fable", "Marlow Eyewear", "Oro Jewellery", "Field Notes Mag")
STUDIO_NAMES = {
    "berlin": ("Kreuzberg Daylight Loft", "Spree Cyc Studio"), "hamburg": ("Hafen Hall 3",),
    "munich": ("Isar Light Rooms",), "paris": ("Atelier Oberkampf", "Studio Canal Saint-Martin"),
    "lyon": ("La Croix-Rousse Loft",), "london": ("Hackney Wick Stages", "Peckham Daylight"),
    "manchester": ("Ancoats Mill Studio",), "new-york": ("Bushwick Cyc", "Chelsea Skylight"),
    "los-angeles": ("Arts District Soundstage",), "miami": ("Wynwood White Box",), "milan": ("Navigli Studio 9",),
    "barcelona": ("Poblenou Llum",),
}
CREATORS = (
    ("Nova Lux", "los-angeles", ("glamour", "behind-the-scenes"), 1499, 1, True),
    ("Iris Vale", "london", ("art-nude", "behind-the-scenes"), 1999, 2, True),
    ("Kenji Moves", "new-york", ("fitness", "lifestyle"), 799, 0, True),
    ("Mara Moonlit", "berlin", ("art-nude", "glamour"), 1299, 2, False),
    ("Pixel Pia", "paris", ("cosplay", "behind-the-scenes"), 699, 0, False),
    ("Sol Atelier", "barcelona", ("lifestyle", "glamour"), 999, 1, True),
    ("Rafa Fit", "miami", ("fitness",), 499, 0, False),
    ("Velvet Ash", "milan", ("glamour", "art-nude"), 2499, 1, False),
)


def ascii_slug(text_: str) -> str:
    """'Lucía García' -> 'lucia.garcia' for demo e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().replace("'", "").split())


def add_account(data: DemoData, *, name: str, role: str, city: str | None, created_at, email: str | None = None,
                kind: str, email_alerts: bool = True, sensitive_opt_in: bool = False) -> dict:
    """One app_user row with a unique, reserved-domain e-mail; `kind` is the demo's own label."""
    if email is None:
        base = ascii_slug(name)
        domain = data.rng.choice(("example.com", "example.org", "example.net"))
        email, n = f"{base}@{domain}", 2
        while email in data.accounts:
            email, n = f"{base}{n}@{domain}", n + 1
    user = data.add(
        "app_user",
        user_id=data.id_at("usr", created_at), email=email, password_hash=data.password_hash,
        display_name=name, role=role, email_alerts=email_alerts, sensitive_opt_in=sensitive_opt_in,
        city=city, created_at=created_at, updated_at=created_at, _kind=kind,
    )
    data.accounts[email] = user
    return user


def unique_name(data: DemoData, city: str) -> str:
    """A name that fits the city's country and is not used yet."""
    firsts, lasts = NAMES[CITY_COUNTRY[city]]
    while True:
        name = f"{data.rng.choice(firsts)} {data.rng.choice(lasts)}"
        if name not in data.used_names:
            data.used_names.add(name)
            return name


def add_person(data: DemoData, *, role: str, city: str, created_at, kind: str = "person",
               name: str | None = None, email: str | None = None) -> dict:
    """A provider account with a service profile: roles, styles, languages, rate, verified, travels."""
    country = CITY_COUNTRY[city]
    city_name = CITY_NAME[city]
    name = name or unique_name(data, city)
    user = add_account(data, name=name, role="provider", city=city, created_at=created_at, kind=kind, email=email,
                       email_alerts=data.rng.random() > 0.2, sensitive_opt_in=data.rng.random() < 0.25)
    roles = [role] + ([SECOND_ROLE[role]] if data.rng.random() < 0.25 else [])
    styles = sorted(data.rng.sample(ROLE_STYLES.get(role, STYLE_TAGS), data.rng.randint(1, 4)))
    low, high = RATE_RANGE[role]
    data.add(
        "service_profile",
        user_id=user["user_id"], display_name=name,
        headline=f"{tag_label(role)} for {' & '.join(styles[:2])} work in {city_name}",
        bio_md=_bio(data, roles, styles, city_name), city=city, role_tags=roles, style_tags=styles,
        languages=_languages(data, country), rate_cents=_rate(data, low, high),
        verified=data.rng.random() < 0.45, travels=data.rng.random() < 0.35,
        created_at=created_at, updated_at=data.random_time(created_at),
    )
    return user


def _languages(data: DemoData, country: str) -> list[str]:
    langs = {COUNTRY_LANGUAGE[country], "english"}
    if data.rng.random() < 0.35:
        langs.add(data.rng.choice(LANGUAGES))
    return sorted(langs)


def _rate(data: DemoData, low: int, high: int) -> int:
    return data.rng.randrange(low, high + 1, 500)


def _bio(data: DemoData, roles: list[str], styles: list[str], city_name: str) -> str:
    clients = data.rng.sample(CLIENTS, 3)
    return (
        f"{tag_label(roles[0])} based in {city_name}, working mostly on "
        f"{' and '.join(s for s in styles[:2])} projects.\n\n"
        f"**Recent clients**\n\n" + "".join(f"- {c}\n" for c in clients) +
        "\nHappy to work with small crews and tight schedules. Portfolio on request."
    )


def seed_accounts(data: DemoData) -> None:
    """Demo accounts first (the oldest rows), then everyone else."""
    cities = {c.slug: c for c in CITIES}
    start = data.ago(SPAN_DAYS - 1)
    for i, (email, name, role) in enumerate(DEMO_ACCOUNTS):
        add_account(data, name=name, role=role, city="berlin", created_at=start.replace(hour=9 + i, minute=0),
                    email=email, kind="demo", sensitive_opt_in=(role == "provider"))

    provider = data.accounts["provider@demo.test"]
    data.add(
        "service_profile",
        user_id=provider["user_id"], display_name=provider["display_name"],
        headline="Editorial & music photographer — stills and motion, Berlin and on tour",
        bio_md=(
            "I shoot **editorial, fashion and music** stories, from one-look portraits to full campaign days.\n\n"
            "- 12 years behind the camera; former assistant at Studio Ostra\n"
            "- Stills *and* motion: I bring a second shooter for BTS video\n"
            "- Retouching in-house, 48-hour turnaround on selects\n\n"
            "Recent work for Harbour Records, Vela Swimwear and *Field Notes Mag*.\n\n"
            "Based in Berlin, happy to travel across Europe — ask about touring dates."
        ),
        city="berlin", role_tags=["photographer", "videographer", "retoucher"],
        style_tags=["editorial", "fashion", "music", "portrait"], languages=["english", "german", "spanish"],
        rate_cents=18_000, verified=True, travels=True,
        created_at=provider["created_at"], updated_at=data.ago(3),
    )

    # A few more growth-team members, so the team's pages have colleagues.
    add_account(data, name="Theo Marsh", role="growth", city="london", created_at=data.ago(80), kind="growth")

    data.used_names.update(name for _, name, _ in DEMO_ACCOUNTS)
    city_list = [c.slug for c in CITIES]
    # Bigger cities get more people: Berlin, Paris, London, New York twice as often.
    weighted = city_list + ["berlin", "paris", "london", "new-york"]

    # People: role plan spread over cities.
    primary_roles = [role for role, n, _, _ in ROLE_PLAN for _ in range(n)]
    for i, role in enumerate(primary_roles):
        city = city_list[i % len(city_list)] if i < len(city_list) else data.rng.choice(weighted)
        add_person(data, role=role, city=city, created_at=data.random_time(data.ago(SPAN_DAYS - 2), data.ago(2)))

    # Members: the people who hire (brands, agencies, magazines).
    for i in range(MEMBER_COUNT):
        city = data.rng.choice(weighted)
        name = unique_name(data, city)
        add_account(data, name=name, role="member", city=city,
                    created_at=data.random_time(data.ago(SPAN_DAYS - 2), data.ago(1)), kind="member",
                    email_alerts=i % 5 != 0, sensitive_opt_in=i % 6 == 0)

    # Studios and their owners (three owners run two studios each).
    studio_slots = [(city, studio) for city, names in STUDIO_NAMES.items() for studio in names]
    owners: dict[str, dict] = {}
    for i, (city, studio_name) in enumerate(studio_slots[:STUDIO_COUNT]):
        owner_key = city if city in ("berlin", "paris", "london") else studio_name
        owner = owners.get(owner_key)
        if owner is None:
            owner = add_account(data, name=unique_name(data, city), role="provider",
                                city=city, created_at=data.random_time(data.ago(SPAN_DAYS - 2), data.ago(30)),
                                kind="studio_owner")
            owners[owner_key] = owner
        created = data.random_time(owner["created_at"], data.ago(10))
        amenities = sorted(data.rng.sample(AMENITY_TAGS, data.rng.randint(3, 7)))
        size = data.rng.randrange(40, 601, 10)
        data.add(
            "studio",
            studio_id=data.id_at("std", created), owner_user_id=owner["user_id"], name=studio_name,
            description_md=(
                f"{size} m² of shootable space in {cities[city].name}.\n\n"
                + "".join(f"- {tag_label(a)}\n" for a in amenities)
                + "\nBook by the hour; half and full days get a better rate."
            ),
            city=city, amenity_tags=amenities, hourly_rate_cents=data.rng.randrange(3_500, 25_001, 500),
            capacity=max(2, size // data.rng.randint(6, 12)), size_sqm=size, verified=i % 3 != 2,
            created_at=created, updated_at=created, _owner_email=owner["email"],
        )

    # Fan-sub creators.
    for name, city, categories, price, band, verified in CREATORS[:CREATOR_COUNT]:
        created = data.random_time(data.ago(SPAN_DAYS - 2), data.ago(20))
        user = add_account(data, name=name, role="provider", city=city, created_at=created, kind="creator",
                           email=f"{ascii_slug(name).replace('.', '')}@example.net")
        data.add(
            "fansub_creator",
            creator_id=data.id_at("fsc", created), user_id=user["user_id"], display_name=name,
            bio_md=f"New sets every week: {', '.join(tag_label(c).lower() for c in categories)}. "
                   f"Subscribers get full-resolution sets and monthly live Q&As.",
            city=city, category_tags=list(categories), monthly_price_cents=price, content_band=band,
            verified=verified, created_at=created, updated_at=created,
        )


def accounts_of(data: DemoData, kind: str) -> list[dict]:
    return [u for u in data.rows["app_user"] if u["_kind"] == kind]
