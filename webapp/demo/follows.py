"""The follow graph: who follows which people (usr_ ids) and creators (fsc_ ids)."""
from __future__ import annotations

from .base import DemoData
from .people import accounts_of


def _follow(data: DemoData, seen: set, follower: dict, target_id: str, kind: str, target_created) -> None:
    key = (follower["user_id"], target_id, kind)
    if key in seen or follower["user_id"] == target_id:
        return
    seen.add(key)
    data.add("follow", follower_user_id=follower["user_id"], target_id=target_id, target_kind=kind,
             created_at=data.random_time(max(follower["created_at"], target_created)))


def seed_follows(data: DemoData) -> None:
    profiles = data.rows["service_profile"]
    creators = data.rows["fansub_creator"]
    seen: set = set()
    buyer = data.accounts["buyer@demo.test"]
    provider_profile = next(p for p in profiles if p["user_id"] == data.accounts["provider@demo.test"]["user_id"])

    # The buyer follows the demo provider, several Berlin and Paris people, and three creators.
    _follow(data, seen, buyer, provider_profile["user_id"], "service_profile", provider_profile["created_at"])
    for p in [p for p in profiles if p["city"] in ("berlin", "paris")][:8]:
        _follow(data, seen, buyer, p["user_id"], "service_profile", p["created_at"])
    for c in creators[:3]:
        _follow(data, seen, buyer, c["creator_id"], "fansub_creator", c["created_at"])

    # The demo provider follows a few peers, so their "following only" feed has posts.
    provider = data.accounts["provider@demo.test"]
    for p in data.rng.sample(profiles, 6):
        _follow(data, seen, provider, p["user_id"], "service_profile", p["created_at"])

    # Everyone else: popular profiles get more followers (a long tail, not a flat spread).
    followers = accounts_of(data, "member") + accounts_of(data, "person") + accounts_of(data, "studio_owner")
    weights = [1 + (7 if p["verified"] else 0) + (4 if i % 9 == 0 else 0) for i, p in enumerate(profiles)]
    for follower in followers:
        for p in data.rng.choices(profiles, weights=weights, k=data.rng.randint(0, 5)):
            _follow(data, seen, follower, p["user_id"], "service_profile", p["created_at"])
        if data.rng.random() < 0.4:
            c = data.rng.choice(creators)
            _follow(data, seen, follower, c["creator_id"], "fansub_creator", c["created_at"])
