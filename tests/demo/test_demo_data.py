"""`flask seed` fills every table with believable data covering every feature and state."""
from __future__ import annotations

import hashlib
import json

import pytest

from webapp.core import clock
from webapp.core.security import keyed_hash
from webapp.core.taxonomy import AMENITY_TAGS, CITY_BY_SLUG, LANGUAGES, ROLE_TAGS, STYLE_TAGS
from webapp.directory.query import canonical, get_scope, parse_json

TABLES = ("app_user", "service_profile", "studio", "fansub_creator", "saved_search", "saved_search_alert",
          "follow", "feed_post", "referral_program", "referral_invite", "credit_ledger")

# The invite states, as the rows show them until the referrals work adds a status column.
REWARDED = "exists (select 1 from credit_ledger c where c.kind = 'award' and c.related_id = i.invite_id)"
CLAWED_BACK = "exists (select 1 from credit_ledger c where c.kind = 'clawback' and c.related_id = i.invite_id)"
SELF_REFERRAL = ("exists (select 1 from referral_invite j where j.invitee_user_id = i.inviter_user_id"
                 " and j.device_fp = i.device_fp and j.ip_addr_sha = i.ip_addr_sha)")
BURST = ("(select count(*) from referral_invite j where j.ip_addr_sha = i.ip_addr_sha and j.device_fp = i.device_fp"
         " and j.accepted_at between i.accepted_at - interval '1 hour' and i.accepted_at + interval '1 hour') >= 3")
DISPOSABLE = ("exists (select 1 from app_user u where u.user_id = i.invitee_user_id"
              " and u.email like '%%@mailinator.com')")
HELD = f"i.invitee_user_id is not null and not {REWARDED} and ({SELF_REFERRAL} or ({BURST}) or {DISPOSABLE})"
CAPPED = (f"i.invitee_user_id is not null and not {REWARDED} and not ({SELF_REFERRAL} or ({BURST}) or {DISPOSABLE})"
          " and (select count(*) from credit_ledger c join referral_invite k on k.invite_id = c.related_id"
          "      where c.kind = 'award' and k.inviter_user_id = i.inviter_user_id and k.program_id = i.program_id"
          "        and date_trunc('month', c.created_at) = date_trunc('month', i.accepted_at))"
          "    >= (select monthly_cap from referral_program p where p.program_id = i.program_id)")


def test_seeding_reports_the_rows_it_added_and_the_demo_logins(demo):
    assert "Seeded demo data:" in demo.output
    assert "buyer@demo.test, provider@demo.test, growth@demo.test" in demo.output
    assert "growthdesk-demo" in demo.output


@pytest.mark.parametrize("table", TABLES)
def test_every_table_has_rows(demo, table):
    assert demo.one(f"select count(*) from {table}") > 0


def test_the_three_demo_accounts_have_their_roles(demo):
    rows = dict(demo.all("select email, role from app_user where email like '%%@demo.test'"))
    assert rows == {"buyer@demo.test": "member", "provider@demo.test": "provider", "growth@demo.test": "growth"}


def test_demo_accounts_log_in_with_the_demo_password(demo):
    client = demo.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/login", data={"email": "provider@demo.test", "password": "growthdesk-demo",
                                           "csrf_token": token})
    assert response.status_code == 303
    assert "Pablo Provider" in client.get("/").get_data(as_text=True)


def test_the_demo_provider_is_a_photographer_with_a_rich_profile(demo):
    roles, styles, langs, rate, verified, travels, bio = demo.all(
        "select role_tags, style_tags, languages, rate_cents, verified, travels, bio_md from service_profile"
        " join app_user using (user_id) where email = 'provider@demo.test'")[0]
    assert "photographer" in roles and len(styles) >= 3 and len(langs) >= 2
    assert rate > 0 and verified and travels and len(bio) > 200


def test_about_sixty_other_people_with_varied_profiles(demo):
    assert 55 <= demo.one("select count(*) from service_profile") - 1 <= 90
    assert demo.one("select count(distinct city) from service_profile") >= 8
    assert demo.one("select count(distinct r) from service_profile, unnest(role_tags) r") == len(ROLE_TAGS)
    assert {True, False} == {r[0] for r in demo.all("select distinct verified from service_profile")}
    assert {True, False} == {r[0] for r in demo.all("select distinct travels from service_profile")}
    assert demo.one("select count(distinct rate_cents) from service_profile") > 20


def test_profile_tags_come_from_the_vocabulary(demo):
    assert set(r[0] for r in demo.all("select distinct unnest(role_tags) from service_profile")) <= set(ROLE_TAGS)
    assert set(r[0] for r in demo.all("select distinct unnest(style_tags) from service_profile")) <= set(STYLE_TAGS)
    assert set(r[0] for r in demo.all("select distinct unnest(languages) from service_profile")) <= set(LANGUAGES)
    assert set(r[0] for r in demo.all("select distinct unnest(amenity_tags) from studio")) <= set(AMENITY_TAGS)
    assert set(r[0] for r in demo.all("select distinct city from app_user where city is not null")) <= set(
        CITY_BY_SLUG)


def test_studios_and_fansub_creators(demo):
    assert 12 <= demo.one("select count(*) from studio") <= 20
    assert demo.one("select count(distinct city) from studio") >= 8
    assert demo.one("select min(cardinality(amenity_tags)) from studio") >= 3
    assert 6 <= demo.one("select count(*) from fansub_creator") <= 10
    assert {0, 1, 2} == {r[0] for r in demo.all("select distinct content_band from fansub_creator")}


def test_rows_are_spread_over_the_last_ninety_days(demo):
    for table in ("app_user", "feed_post", "referral_invite", "credit_ledger", "follow"):
        oldest, newest = demo.all(f"select min(created_at), max(created_at) from {table}")[0]
        span = demo.one("select extract(day from %s::timestamptz - %s::timestamptz)", newest, oldest)
        assert span >= 30, table
        assert demo.one("select %s::timestamptz >= now() - interval '91 days'", oldest), table
        assert demo.one("select %s::timestamptz <= now()", newest), table


def test_ids_carry_the_blueprint_prefixes(demo):
    for table, column, prefix in (("app_user", "user_id", "usr_"), ("studio", "studio_id", "std_"),
                                  ("fansub_creator", "creator_id", "fsc_"), ("saved_search", "search_id", "ssv_"),
                                  ("saved_search_alert", "alert_id", "ssa_"), ("feed_post", "feed_id", "fdp_"),
                                  ("referral_program", "program_id", "rpr_"),
                                  ("referral_invite", "invite_id", "rfi_"), ("credit_ledger", "entry_id", "crl_")):
        assert demo.one(f"select count(*) from {table} where {column} not like '{prefix}%%'") == 0, table


# --- saved searches and alerts ---------------------------------------------------

def test_searches_of_both_scopes_with_all_and_any_groups(demo):
    assert {"people", "studios"} == {r[0] for r in demo.all("select distinct scope from saved_search")}
    assert demo.one("select count(*) from saved_search where jsonb_array_length(query_json->'any') >= 2") > 0
    assert demo.one("select count(*) from saved_search where jsonb_array_length(query_json->'any') = 0") > 0


def test_the_buyer_has_paused_active_and_alerted_searches(demo):
    buyer = demo.user_id("buyer@demo.test")
    assert demo.one("select count(*) from saved_search where user_id = %s", buyer) >= 4
    today = clock.today()  # the date the demo was built on (it was seeded by the same clock)
    assert demo.one("select count(*) from saved_search where user_id = %s and paused_until > %s",
                    buyer, today) >= 1
    assert demo.one("select count(*) from saved_search where user_id = %s and paused_until < %s",
                    buyer, today) >= 1
    assert demo.one("select count(*) from saved_search where user_id = %s and last_alert_dt is not null",
                    buyer) >= 2
    assert demo.one("select count(distinct scope) from saved_search where user_id = %s", buyer) == 2


def test_other_people_have_searches_too(demo):
    assert demo.one("select count(distinct user_id) from saved_search") >= 10


def test_stored_queries_are_canonical(demo):
    for (query,) in demo.all("select query_json from saved_search"):
        assert set(query) == {"all", "any"}
        assert len(query["any"]) != 1
        for group in ("all", "any"):
            keys = [(c["field"], c["op"], json.dumps(c["value"])) for c in query[group]]
            assert keys == sorted(set(keys))


def test_stored_queries_pass_the_directory_catalogue(demo):
    for scope, stored in demo.all("select scope, query_json from saved_search"):
        assert canonical(parse_json(stored, get_scope(scope))).as_json() == stored


def test_alerts_match_their_search_and_show_both_email_outcomes(demo):
    assert {True, False} == {r[0] for r in demo.all("select distinct email_sent from saved_search_alert")}
    assert demo.one("select bool_and(inapp_created) from saved_search_alert")
    assert demo.one(
        "select count(*) from saved_search s where last_alert_dt is not null and not exists"
        " (select 1 from saved_search_alert a where a.search_id = s.search_id and a.alert_dt = s.last_alert_dt)") == 0
    assert demo.one("select count(*) from saved_search_alert a join saved_search s using (search_id)"
                    " where a.alert_dt > s.last_alert_dt or a.created_at < s.created_at") == 0
    assert demo.one("select count(*) from saved_search_alert a join saved_search s using (search_id)"
                    " join app_user u using (user_id) where a.email_sent and not u.email_alerts") == 0


# --- follows and feed -------------------------------------------------------------

def test_the_buyer_follows_people_and_creators(demo):
    buyer = demo.user_id("buyer@demo.test")
    kinds = dict(demo.all("select target_kind, count(*) from follow where follower_user_id = %s group by 1", buyer))
    assert kinds.get("service_profile", 0) >= 5 and kinds.get("fansub_creator", 0) >= 2


def test_follow_targets_exist(demo):
    assert demo.one("select count(*) from follow f where target_kind = 'service_profile' and not exists"
                    " (select 1 from service_profile p where p.user_id = f.target_id)") == 0
    assert demo.one("select count(*) from follow f where target_kind = 'fansub_creator' and not exists"
                    " (select 1 from fansub_creator c where c.creator_id = f.target_id)") == 0


@pytest.mark.parametrize("kind", ["case_study", "availability", "touring", "studio_slot", "influence"])
@pytest.mark.parametrize("band", [0, 1, 2])
def test_published_posts_of_every_kind_in_every_band(demo, kind, band):
    assert demo.one("select count(*) from feed_post where is_published and kind = %s and nsfw_band = %s",
                    kind, band) >= 1


def test_the_demo_provider_has_drafts_and_published_posts(demo):
    provider = demo.user_id("provider@demo.test")
    counts = dict(demo.all("select is_published, count(*) from feed_post where author_id = %s group by 1", provider))
    assert counts.get(True, 0) >= 3 and counts.get(False, 0) >= 2


def test_post_pictures_are_the_apps_own_generated_art(demo):
    for (preview,) in demo.all("select media_preview from feed_post"):
        assert preview, "every demo post has at least one picture"
        for item in preview:
            assert item["width"] > 0 and item["height"] > 0 and item["alt"]
            if "src" in item:
                assert item["src"].startswith("/media/scene/")
    assert demo.one("select count(*) from feed_post where media_preview::text like '%%http%%'"
                    " or body_md like '%%http%%'") == 0
    assert demo.one("select count(*) from feed_post where nsfw_band = 0 and media_preview::text like '%%src%%'") == \
        demo.one("select count(*) from feed_post where nsfw_band = 0")


def test_post_authors_are_accounts_and_verified_chips_follow_them(demo):
    assert demo.one("select count(*) from feed_post f where not exists"
                    " (select 1 from app_user u where u.user_id = f.author_id)") == 0
    assert demo.one("select count(*) from feed_post f join service_profile p on p.user_id = f.author_id"
                    " where f.verified_chip <> p.verified") == 0


# --- referrals and credits ----------------------------------------------------------

def test_programs_of_all_three_kinds_active_and_inactive(demo):
    assert {"provider_invites_provider", "buyer_invites_buyer", "cross_side"} == {
        r[0] for r in demo.all("select distinct kind from referral_program where active")}
    assert demo.one("select count(*) from referral_program where not active") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips > 0 and reward_fixed_cents > 0") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips = 0 and reward_fixed_cents > 0") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips > 0 and reward_fixed_cents = 0") >= 1
    assert demo.one("select bool_and(credit_scope = 'buyer_fee_only') from referral_program")


@pytest.mark.parametrize("state, condition, at_least", [
    ("pending", "i.invitee_user_id is null and i.accepted_at is null", 4),
    ("accepted", f"i.invitee_user_id is not null and not {REWARDED} and not ({HELD}) and not ({CAPPED})", 3),
    ("rewarded", REWARDED, 6),
    ("clawed back", CLAWED_BACK, 2),
    ("capped", CAPPED, 2),
    ("held for fraud", HELD, 3),
    ("held as self-referral", f"i.invitee_user_id is not null and {SELF_REFERRAL}", 1),
    ("held as a sign-up burst", f"i.invitee_user_id is not null and {BURST}", 3),
    ("held for a disposable e-mail", DISPOSABLE, 1),
])
def test_invites_in_every_state(demo, state, condition, at_least):
    assert demo.one(f"select count(*) from referral_invite i where {condition}") >= at_least, state


def test_the_demo_provider_hit_the_monthly_cap(demo):
    provider = demo.user_id("provider@demo.test")
    assert demo.one(f"select count(*) from referral_invite i where i.inviter_user_id = %s and {CAPPED}", provider) >= 1


def test_accepted_invites_point_at_accounts_created_through_them(demo):
    assert demo.one("select count(*) from referral_invite i join app_user u on u.user_id = i.invitee_user_id"
                    " where u.created_at <> i.accepted_at or i.created_at > i.accepted_at") == 0
    assert demo.one("select count(*) from referral_invite i join app_user u on u.user_id = i.inviter_user_id"
                    " where u.created_at > i.created_at") == 0


def test_invitee_emails_are_keyed_hashes_never_plain_sha256(demo):
    rows = demo.all("select i.invitee_email_sha, u.email from referral_invite i"
                    " join app_user u on u.user_id = i.invitee_user_id")
    secret = demo.app.config["SECRET_KEY"]
    for stored, email in rows:
        assert stored == keyed_hash(email, secret_key=secret)
        assert stored != hashlib.sha256(email.encode()).hexdigest()
    assert demo.one("select count(*) from referral_invite where ip_addr_sha !~ '^[0-9a-f]{64}$'") == 0


def test_ledger_entries_of_every_kind_with_reasons_and_related_ids(demo):
    assert {"award", "clawback", "redeem"} == {r[0] for r in demo.all("select distinct kind from credit_ledger")}
    assert demo.one("select count(*) from credit_ledger where reason = '' or related_id is null"
                    " or amount_cents <= 0") == 0


def test_no_balance_ever_goes_below_zero(demo):
    assert demo.one(
        "select count(*) from (select sum(case kind when 'award' then amount_cents else -amount_cents end)"
        " over (partition by user_id order by created_at, entry_id) as balance from credit_ledger) h"
        " where balance < 0") == 0


def test_awards_follow_the_program_formula(demo):
    """Each referral award is fixed cents + bips x fee / 10 000 for some fee: at least the fixed part."""
    assert demo.one("select count(*) from credit_ledger c join referral_program p using (program_id)"
                    " where c.kind = 'award' and c.amount_cents < p.reward_fixed_cents") == 0


def test_the_buyer_has_a_positive_balance_with_every_kind_of_entry(demo):
    buyer = demo.user_id("buyer@demo.test")
    kinds = {r[0] for r in demo.all("select distinct kind from credit_ledger where user_id = %s", buyer)}
    assert kinds == {"award", "clawback", "redeem"}
    assert demo.one("select sum(case kind when 'award' then amount_cents else -amount_cents end)"
                    " from credit_ledger where user_id = %s", buyer) > 0
