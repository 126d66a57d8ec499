"""Feed posts of every kind and every sensitive-media band, published and drafts.

Pictures are the app's own generated art, never external URLs: paths of the art.scene
route, stored in the posts (`flask seed` builds them with url_for inside
core.urls.path_building_context). Every picture also gets a feed_media row, and band 1-2
previews keep only alt text and size, as migration 030 describes.
"""
from __future__ import annotations

from datetime import timedelta

from flask import url_for

from ..core.taxonomy import CITIES, tag_label
from .base import DemoData
from .people import CLIENTS

CITY_NAMES = {c.slug: c.name for c in CITIES}
MOODS = ("70s chrome and sun-faded denim", "Brutalist concrete, soft pastels", "Night market neon",
         "Linen, clay and morning light", "Y2K silver and glitter", "Monochrome tailoring", "Wet look, deep blue")
SLOTS = ("Cyc wall free Thursday 10:00–14:00", "Half-day daylight slot this Saturday",
         "Last-minute cancellation: Monday all day", "Blackout room open Friday evening",
         "Two hours on the big set, Wednesday morning")


def _media(data: DemoData, key: str, labels: list[str], *, portrait: bool = False) -> list[dict]:
    w, h = (480, 600) if portrait else (640, 400)
    return [
        {"src": url_for("art.scene", seed=f"{key}-{n}", w=w, h=h, label=label[:40]), "alt": label, "width": w,
         "height": h}
        for n, label in enumerate(labels, start=1)
    ]


def _future_dates(data: DemoData, count: int) -> list[str]:
    start = data.today + timedelta(days=data.rng.randint(3, 12))
    days = sorted({start + timedelta(days=data.rng.randint(0, 20)) for _ in range(count)})
    return [d.strftime("%a %d %b") for d in days]


def _post(data: DemoData, author: dict, profile_roles: list[str], kind: str, *, band: int = 0, published: bool = True,
          city: str | None = None, verified: bool = False, created=None) -> dict:
    n = len(data.rows["feed_post"]) + 1
    key = f"demo{n:03d}"
    city = city or author["city"]
    city_name = CITY_NAMES.get(city, city)
    created = created or data.random_time(max(author["created_at"], data.ago(75)), data.ago(0, hours=2))
    if kind == "case_study":
        client = data.rng.choice(CLIENTS)
        title = data.rng.choice((f"Lookbook for {client}", f"{client}: campaign day in {city_name}",
                                 f"Editorial story shot for {client}"))
        locals_ = [p for p in data.rows["service_profile"] if p["user_id"] != author["user_id"]]
        same_city = [p for p in locals_ if p["city"] == author["city"]]
        crew = data.rng.sample(same_city if len(same_city) >= 2 else locals_, 2)
        body = (f"A {data.rng.choice(('one-day', 'two-day', 'half-day'))} shoot for **{client}** in {city_name}.\n\n"
                "**Credits**\n\n" + f"- {tag_label(profile_roles[0])}: {author['display_name']}\n"
                + "".join(f"- {tag_label(p['role_tags'][0])}: {p['display_name']}\n" for p in crew)
                + "\nShot on location and finished in the studio the same week.")
        media = _media(data, key, [f"{client} look {i}" for i in range(1, data.rng.randint(2, 4) + 1)],
                       portrait=data.rng.random() < 0.5)
    elif kind == "availability":
        dates = _future_dates(data, 3)
        title = f"Open for bookings: {dates[0]} – {dates[-1]}"
        body = "I have a few days free in " + city_name + ":\n\n" + "".join(f"- {d}\n" for d in dates) \
            + "\nHalf days welcome. Message me with your brief and moodboard."
        media = _media(data, key, [f"{author['display_name']} portfolio"])
    elif kind == "touring":
        home = author["city"]
        city = data.rng.choice([c for c in CITY_NAMES if c != home])
        city_name = CITY_NAMES[city]
        dates = _future_dates(data, 2)
        title = f"In {city_name} {dates[0]} – {dates[-1]}"
        body = (f"Coming to **{city_name}** from {CITY_NAMES.get(home, home)}. Booking shoots for those dates; "
                "travel is covered, no extra fee for local clients.")
        media = _media(data, key, [f"On the road to {city_name}"])
    elif kind == "studio_slot":
        title = data.rng.choice(SLOTS)
        body = ("Discounted rate for this slot only. Includes the *lighting kit*, steamer and tea.\n\n"
                "Reply here or book through the studio page.")
        media = _media(data, key, ["Studio floor", "Make-up corner"][: data.rng.randint(1, 2)])
    else:  # influence
        mood = data.rng.choice(MOODS)
        title = f"Mood board: {mood}"
        body = (f"Collecting references for {data.rng.choice(('a spring', 'an autumn', 'a holiday'))} story.\n\n"
                "> Keep it tactile, keep it honest.\n\nLooking for a stylist and a set designer who love this too.")
        media = _media(data, key, [f"{mood} {i}" for i in range(1, 4)], portrait=True)
    updated = data.random_time(created, min(created + timedelta(days=3), data.now)) if not published else created
    post = data.add(
        "feed_post",
        feed_id=data.id_at("fdp", created), author_id=author["user_id"], role_tags=list(profile_roles), kind=kind,
        title=title, body_md=body, media_preview=media, nsfw_band=band, city=city, verified_chip=verified,
        is_published=published, created_at=created, updated_at=updated,
    )
    return post


def _finish_media(data: DemoData) -> None:
    for post in data.rows["feed_post"]:
        post["first_published_at"] = post["created_at"] if post["is_published"] else None
        for position, item in enumerate(post["media_preview"]):
            data.add("feed_media", media_id=data.id_at("fdm", post["created_at"]), feed_id=post["feed_id"],
                     position=position, src=item["src"], mime="image/svg+xml", width=item["width"],
                     height=item["height"], alt=item["alt"], created_at=post["created_at"])
        if post["nsfw_band"] > 0:
            post["media_preview"] = [{k: v for k, v in item.items() if k != "src"} for item in post["media_preview"]]


def seed_feed(data: DemoData) -> None:
    profiles = {p["user_id"]: p for p in data.rows["service_profile"]}
    provider = data.accounts["provider@demo.test"]
    pp = profiles[provider["user_id"]]

    # The demo provider: five published posts and three drafts (one of them blurred).
    for kind, days in (("case_study", 60), ("availability", 20), ("touring", 9), ("influence", 30),
                       ("case_study", 4)):
        _post(data, provider, pp["role_tags"], kind, verified=True, created=data.ago(days, hours=3))
    for kind, band in (("case_study", 0), ("availability", 0), ("influence", 1)):
        _post(data, provider, pp["role_tags"], kind, band=band, published=False, verified=True,
              created=data.ago(data.rng.randint(1, 6)))

    # People: one or two posts each for most, of the kinds that suit them.
    for i, profile in enumerate(p for p in profiles.values() if p["user_id"] != provider["user_id"]):
        author = next(u for u in data.rows["app_user"] if u["user_id"] == profile["user_id"])
        kinds = ["case_study", "availability", "influence"] + (["touring"] if profile["travels"] else [])
        for _ in range((0, 1, 1, 2)[i % 4]):
            kind = data.rng.choice(kinds)
            # Boudoir work is blurred; a rare post is blocked outright.
            band = 1 if "boudoir" in profile["style_tags"] and kind in ("case_study", "influence") else 0
            if i == 13:
                band = 2
            _post(data, author, profile["role_tags"], kind, band=band, verified=profile["verified"],
                  published=i % 9 != 5)

    # Studio owners: open slots, one still a draft.
    studios = data.rows["studio"]
    for i, studio in enumerate(studios[:10]):
        owner = data.accounts[studio["_owner_email"]]
        _post(data, owner, ["studio", "photographer"] if i % 2 else ["studio"], "studio_slot", city=studio["city"],
              verified=studio["verified"], published=i != 4)

    # Creators: their bands follow the creator's default band.
    for creator in data.rows["fansub_creator"]:
        author = next(u for u in data.rows["app_user"] if u["user_id"] == creator["user_id"])
        for kind in ("influence", "case_study"):
            _post(data, author, ["model"], kind, band=creator["content_band"], verified=creator["verified"])
    # Make sure every kind appears in every band at least once, drafts aside.
    published = {(p["kind"], p["nsfw_band"]) for p in data.rows["feed_post"] if p["is_published"]}
    creators = {c["content_band"]: c for c in data.rows["fansub_creator"]}
    for kind in ("case_study", "availability", "touring", "studio_slot", "influence"):
        for band in (0, 1, 2):
            if (kind, band) in published:
                continue
            if kind == "studio_slot":
                studio = studios[band]
                _post(data, data.accounts[studio["_owner_email"]], ["studio"], kind, band=band,
                      city=studio["city"], verified=studio["verified"])
            else:
                creator = creators[band] if band else data.rows["fansub_creator"][2]
                author = next(u for u in data.rows["app_user"] if u["user_id"] == creator["user_id"])
                _post(data, author, ["model"], kind, band=band, verified=creator["verified"])
    _finish_media(data)


