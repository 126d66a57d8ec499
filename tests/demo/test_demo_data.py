"""`flask seed` fills every table with believable data covering every feature and state."""
from __future__ import annotations

import hashlib
import json

import pytest

from webapp.core import clock
from webapp.core.security import keyed_hash
from webapp.core.taxonomy import AMENITY_TAGS, CITY_BY_SLUG, LANGUAGES, ROLE_TAGS, STYLE_TAGS
from webapp.credits.rules import SIGNED_AMOUNT_SQL, reward_cents
from webapp.directory.query import canonical, get_scope, parse_json

TABLES = ("app_user", "service_profile", "studio", "fansub_creator", "saved_search", "saved_search_alert",
          "follow", "feed_post", "referral_program", "referral_invite", "credit_ledger")

# What the sign-up fraud rules look at, from the rows themselves (webapp/referrals/rules.py).
SELF_REFERRAL = ("exists (select 1 from referral_invite j where j.invitee_user_id = i.inviter_user_id"
                 " and (j.device_fp = i.device_fp or j.ip_addr_sha = i.ip_addr_sha))")
BURST = ("(select count(*) from referral_invite j where (j.ip_addr_sha = i.ip_addr_sha or j.device_fp = i.device_fp)"
         " and j.accepted_at between i.accepted_at - interval '24 hours' and i.accepted_at + interval '24 hours') >= 3")
DISPOSABLE = ("exists (select 1 from app_user u where u.user_id = i.invitee_user_id"
              " and split_part(u.email, '@', 2) in ('mailinator.com', 'yopmail.com'))")
HAS_REWARD = "exists (select 1 from referral_reward r where r.invite_id = i.invite_id)"


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


def test_every_alert_has_its_notification_for_the_searchs_owner_some_read_some_not(demo):
    assert demo.one("select count(*) from saved_search_alert a left join notification n using (alert_id)"
                    " join saved_search s using (search_id)"
                    " where n.notification_id is null or n.user_id <> s.user_id") == 0
    assert demo.one("select count(*) from notification where notification_id not like 'ntf_%%'") == 0
    buyer = demo.user_id("buyer@demo.test")
    assert {True, False} == {r[0] for r in demo.all(
        "select distinct read_at is null from notification where user_id = %s", buyer)}
    assert demo.one("select count(*) from notification where title not like '%% new %% in %%'") == 0


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


# --- referrals ---------------------------------------------------------------------

def test_programs_of_all_three_kinds_active_and_inactive(demo):
    assert {"provider_invites_provider", "buyer_invites_buyer", "cross_side"} == {
        r[0] for r in demo.all("select distinct kind from referral_program where active")}
    assert demo.one("select count(*) from referral_program where not active") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips > 0 and reward_fixed_cents > 0") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips = 0 and reward_fixed_cents > 0") >= 1
    assert demo.one("select count(*) from referral_program where reward_bips > 0 and reward_fixed_cents = 0") >= 1
    assert demo.one("select count(*) from referral_program where active and invitee_fixed_cents > 0") >= 1
    assert demo.one("select bool_and(credit_scope = 'buyer_fee_only') from referral_program")


@pytest.mark.parametrize("state, condition, at_least", [
    ("sent", "i.status = 'sent' and i.invitee_user_id is null and i.accepted_at is null", 4),
    ("signed up", "i.status = 'signed_up' and i.invitee_user_id is not null", 3),
    ("rewarded", "i.status = 'rewarded'", 6),
    ("clawed back", "i.status = 'clawed_back'", 2),
    ("over the monthly cap", "i.status = 'capped'", 2),
    ("held for review", "i.status = 'held'", 5),
    ("held as a self-referral", f"i.status = 'held' and 'self_referral' = any(i.fraud_flags) and {SELF_REFERRAL}", 1),
    ("held as a sign-up burst", f"i.status = 'held' and 'signup_burst' = any(i.fraud_flags) and {BURST}", 3),
    ("held for a disposable e-mail", f"i.status = 'held' and 'disposable_email' = any(i.fraud_flags) and {DISPOSABLE}",
     1),
    ("held for a booking with the inviter", "i.status = 'held' and i.fraud_flags = '{collusion}'", 1),
    ("held with its first booking waiting", f"i.status = 'held' and {HAS_REWARD}", 2),
    ("held, no booking yet", f"i.status = 'held' and not {HAS_REWARD}", 2),
    ("rejected", "i.status = 'rejected'", 2),
    ("rejected with a booking in", f"i.status = 'rejected' and {HAS_REWARD}", 1),
    ("approved, then paid", "i.status = 'rewarded' and exists (select 1 from growth_decision d"
                            " where d.invite_id = i.invite_id and d.action = 'approve')", 1),
    ("approved, no booking yet", "i.status = 'signed_up' and exists (select 1 from growth_decision d"
                                 " where d.invite_id = i.invite_id and d.action = 'approve')", 1),
])
def test_invites_in_every_state(demo, state, condition, at_least):
    assert demo.one(f"select count(*) from referral_invite i where {condition}") >= at_least, state


def test_every_sign_up_flag_is_a_rule_the_rows_break(demo):
    """The flags a sign-up rule set (not collusion, which a booking sets) are true of the rows."""
    for flag, rule in (("self_referral", SELF_REFERRAL), ("signup_burst", BURST), ("disposable_email", DISPOSABLE)):
        assert demo.one(f"select count(*) from referral_invite i where %s = any(i.fraud_flags) and not {rule}",
                        flag) == 0, flag
        assert demo.one(f"select count(*) from referral_invite i where i.accepted_at is not null and {rule}"
                        " and not %s = any(i.fraud_flags)", flag) == 0, flag


def test_the_demo_provider_hit_the_monthly_cap(demo):
    provider = demo.user_id("provider@demo.test")
    assert demo.one("select count(*) from referral_invite where inviter_user_id = %s and status = 'capped'",
                    provider) >= 2
    assert demo.one("select count(*) from referral_cap_use where inviter_user_id = %s and used = cap",
                    provider) >= 1


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


# --- credits: the rows the credits service writes, and nothing it would not ----------

def test_ledger_entries_of_every_kind_with_reasons_and_related_ids(demo):
    assert {"award", "clawback", "redeem"} == {r[0] for r in demo.all("select distinct kind from credit_ledger")}
    assert demo.one("select count(*) from credit_ledger where reason = '' or related_id is null") == 0


def test_each_balance_row_is_the_sum_of_its_users_entries(demo):
    assert demo.one("select count(*) from credit_balance where balance_cents < 0 or owed_cents < 0") == 0
    assert demo.one(
        f"select count(*) from (select user_id, sum({SIGNED_AMOUNT_SQL}) as total from credit_ledger group by 1) l"
        " full join credit_balance b using (user_id)"
        " where coalesce(b.balance_cents, 0) - coalesce(b.owed_cents, 0) <> coalesce(l.total, 0)") == 0


def test_someone_owes_what_a_clawback_could_not_take(demo):
    """A refund took back a welcome credit that had already been spent: the shortfall is owed."""
    owing = demo.all("select user_id, owed_cents from credit_balance where owed_cents > 0")
    assert owing
    for user_id, owed in owing:
        kinds = [r[0] for r in demo.all("select kind from credit_ledger where user_id = %s order by created_at",
                                        user_id)]
        assert "redeem" in kinds and kinds[-1] == "clawback" and owed > 0


def test_awards_name_their_invite_and_the_reward_that_paid_them(demo):
    rows = demo.all(
        "select c.user_id, c.amount_cents, c.program_id, c.reason, i.inviter_user_id, i.invitee_user_id,"
        "       i.program_id, r.inviter_entry_id = c.entry_id, r.invitee_entry_id = c.entry_id,"
        "       r.inviter_cents, r.invitee_cents, r.buyer_fee_cents, r.booking_id,"
        "       p.reward_fixed_cents, p.reward_bips, p.invitee_fixed_cents"
        "  from credit_ledger c join referral_invite i on i.invite_id = c.related_id"
        "  join referral_reward r on r.invite_id = i.invite_id join referral_program p on p.program_id = i.program_id"
        " where c.kind = 'award'")
    assert len(rows) == demo.one("select count(*) from credit_ledger where kind = 'award' and related_id like 'rfi_%%'")
    for (user, amount, program, reason, inviter, invitee, invite_program, is_inviters, is_invitees, inviter_cents,
         invitee_cents, fee, booking, fixed, bips, welcome) in rows:
        assert program == invite_program and booking in reason
        assert inviter_cents == reward_cents(fixed_cents=fixed, bips=bips, buyer_fee_cents=fee)
        assert invitee_cents == welcome
        if is_inviters:
            assert (user, amount) == (inviter, inviter_cents) and reason.startswith("Referral reward: ")
        else:
            assert is_invitees and (user, amount) == (invitee, invitee_cents) and reason.startswith("Welcome credit: ")
    assert demo.one("select count(*) from referral_reward r where not exists (select 1 from credit_ledger c"
                    " where c.entry_id in (r.inviter_entry_id, r.invitee_entry_id) and c.related_id = r.invite_id)"
                    " and (r.inviter_entry_id is not null or r.invitee_entry_id is not null)") == 0


def test_invitees_of_double_sided_programs_get_their_welcome_credit(demo):
    assert demo.one("select count(*) from credit_ledger where kind = 'award' and reason like 'Welcome credit:%%'") >= 5
    assert demo.one("select count(*) from referral_invite i join referral_reward r using (invite_id)"
                    " where i.status = 'capped' and r.invitee_entry_id is not null") >= 1


def test_every_clawback_takes_back_one_award_of_its_user_in_full_once(demo):
    rows = demo.all("select c.user_id = a.user_id, c.amount_cents = a.amount_cents, c.program_id = a.program_id,"
                    "       a.kind, r.refunded_at is not null, c.reason like 'Booking %% was refunded'"
                    "  from credit_ledger c join credit_ledger a on a.entry_id = c.related_id"
                    "  left join referral_reward r on a.entry_id in (r.inviter_entry_id, r.invitee_entry_id)"
                    " where c.kind = 'clawback'")
    assert len(rows) >= 4 and set(rows) == {(True, True, True, "award", True, True)}
    assert demo.one("select count(*) from (select related_id from credit_ledger where kind = 'clawback'"
                    " group by 1 having count(*) > 1) twice") == 0


def test_manual_adjustments_point_at_the_growth_teams_decision(demo):
    rows = demo.all("select c.kind, d.action, c.user_id = d.subject_user_id, c.amount_cents = d.amount_cents,"
                    "       c.reason = 'Adjustment by the growth team: ' || d.reason, c.program_id, u.email"
                    "  from credit_ledger c"
                    "  join growth_decision d on d.decision_id = c.related_id and d.entry_id = c.entry_id"
                    "  join app_user u on u.user_id = d.actor_user_id")
    assert len(rows) == demo.one("select count(*) from credit_ledger where related_id like 'gdc_%%'")
    assert {r[0] for r in rows} == {"award", "clawback"}  # a goodwill credit, and fraud confirmed after payment
    assert all(kind == action and same_user and same_amount and same_reason and program is None
               and actor == "growth@demo.test" for kind, action, same_user, same_amount, same_reason, program, actor
               in rows)


def test_what_each_entry_relates_to(demo):
    """award → its invite (or a decision), clawback → the award (or a decision), redeem → the booking."""
    assert demo.all("select distinct kind, left(related_id, 4) from credit_ledger order by 1, 2") == [
        ("award", "gdc_"), ("award", "rfi_"), ("clawback", "crl_"), ("clawback", "gdc_"), ("redeem", "bkg_")]
    assert demo.one("select count(*) from credit_ledger where kind = 'redeem' and (program_id is not null"
                    " or reason <> 'Applied to the service fee of booking ' || related_id)") == 0


def test_cap_counters_count_the_rewards_of_their_month(demo):
    counted = demo.all(
        "select i.inviter_user_id, i.program_id, date_trunc('month', r.earned_at at time zone 'UTC')::date, count(*)"
        "  from referral_reward r join referral_invite i using (invite_id) where r.inviter_entry_id is not null"
        " group by 1, 2, 3 order by 1, 2, 3")
    assert demo.all("select inviter_user_id, program_id, month, used from referral_cap_use order by 1, 2, 3") == counted
    assert demo.one("select count(*) from referral_cap_use u join referral_program p using (program_id)"
                    " where u.cap <> p.monthly_cap or u.used > u.cap") == 0
    # An invite over the cap was, in its month, one reward too many.
    assert demo.one("select count(*) from referral_invite i join referral_reward r using (invite_id)"
                    " where i.status = 'capped' and not exists (select 1 from referral_cap_use u"
                    "  where u.inviter_user_id = i.inviter_user_id and u.program_id = i.program_id"
                    "    and u.month = date_trunc('month', r.earned_at at time zone 'UTC')::date and u.used = u.cap)"
                    ) == 0


@pytest.mark.parametrize("status, broken", [
    ("sent", HAS_REWARD),
    ("signed_up", HAS_REWARD),
    ("rewarded", "not exists (select 1 from referral_reward r where r.invite_id = i.invite_id"
                 " and r.inviter_entry_id is not null and r.refunded_at is null)"),
    ("clawed_back", "not exists (select 1 from referral_reward r"
                    " join credit_ledger c on c.related_id = r.inviter_entry_id"
                    " where r.invite_id = i.invite_id and r.refunded_at is not null and c.kind = 'clawback')"),
    ("capped", "not exists (select 1 from referral_reward r where r.invite_id = i.invite_id"
               " and r.inviter_entry_id is null and (r.invitee_entry_id is not null) = (r.invitee_cents > 0))"),
    ("held", "exists (select 1 from referral_reward r where r.invite_id = i.invite_id"
             " and (r.inviter_entry_id is not null or r.invitee_entry_id is not null))"
             " or exists (select 1 from growth_decision d where d.invite_id = i.invite_id)"
             " or cardinality(i.fraud_flags) = 0"),
    ("rejected", "exists (select 1 from referral_reward r where r.invite_id = i.invite_id"
                 " and (r.inviter_entry_id is not null or r.invitee_entry_id is not null))"
                 " or not exists (select 1 from growth_decision d where d.invite_id = i.invite_id"
                 " and d.action = 'reject' and d.entry_id is null and d.reason <> '')"),
])
def test_invite_states_agree_with_their_rewards_entries_and_decisions(demo, status, broken):
    assert demo.one("select count(*) from referral_invite i where i.status = %s", status) > 0
    assert demo.one(f"select count(*) from referral_invite i where i.status = %s and ({broken})", status) == 0
    assert demo.one("select count(*) from credit_ledger c join referral_invite i on i.invite_id = c.related_id"
                    " where i.status not in ('rewarded', 'clawed_back', 'capped')") == 0


def test_approvals_name_the_inviters_award(demo):
    """An approval pays at once when the first booking is in (and names that award), else later."""
    rows = demo.all("select d.entry_id, r.inviter_entry_id, d.subject_user_id = i.inviter_user_id"
                    "  from growth_decision d join referral_invite i using (invite_id)"
                    "  left join referral_reward r using (invite_id) where d.action = 'approve'")
    assert any(entry for entry, _, _ in rows) and any(entry is None for entry, _, _ in rows)
    for entry, award, about_the_inviter in rows:
        assert about_the_inviter and entry in (None, award)


# --- the demo logins' credits ---------------------------------------------------------

def test_the_demo_provider_has_a_rich_credits_page(demo):
    provider = demo.user_id("provider@demo.test")
    kinds = {r[0] for r in demo.all("select distinct kind from credit_ledger where user_id = %s", provider)}
    assert kinds == {"award", "clawback", "redeem"}
    statuses = {r[0] for r in demo.all("select distinct status from referral_invite where inviter_user_id = %s",
                                       provider)}
    assert {"rewarded", "clawed_back", "capped", "held", "signed_up", "sent"} <= statuses
    assert demo.one("select balance_cents from credit_balance where user_id = %s", provider) > 0


def test_the_buyer_has_credit_and_spent_some_twice(demo):
    buyer = demo.user_id("buyer@demo.test")
    kinds = [r[0] for r in demo.all("select kind from credit_ledger where user_id = %s", buyer)]
    assert {"award", "clawback"} <= set(kinds) and kinds.count("redeem") == 2
    assert demo.one("select balance_cents from credit_balance where user_id = %s", buyer) > 0
