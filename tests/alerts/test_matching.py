"""Alert matching: the set-based run finds exactly what each search's own query finds in its window."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text

from webapp.alerts import matching
from webapp.alerts import service as alert_service
from webapp.alerts.matching import Match, index_row, new_matches
from webapp.alerts.queries import sync_index
from webapp.core.extensions import db
from webapp.core.ids import new_id
from webapp.directory.catalogue import PEOPLE, SCOPES, STUDIOS
from webapp.directory.query import Condition, Query
from webapp.searches import service as searches

D = date(2026, 3, 18)
EVERYTHING = Query()
CITIES = ("berlin", "berlin", "paris")  # mostly one city: searches meet many entries


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# --- the naive reference: each search's own compiled directory query over its window ------------

def naive_matches(day: date, shard=(0, 1)) -> list[Match]:
    found = []
    searches_rows = db.session.execute(text(
        "select search_id, scope, city, query_json, paused_until, last_alert_dt, created_at,"
        " mod(mod(hashtextextended(search_id, 0), :n) + :n, :n) as shard"
        " from saved_search order by search_id"), {"n": shard[1]}).mappings().all()
    for s in searches_rows:
        if s["shard"] != shard[0] or (s["paused_until"] is not None and s["paused_until"] >= day):
            continue
        if match := matching.one_search_matches(db.session, s, day):
            found.append(match)
    db.session.rollback()
    return found


def run(day: date, shard=(0, 1)) -> list[Match]:
    return list(new_matches(day, shard=shard))


# --- helpers ------------------------------------------------------------------

@pytest.fixture
def save(make_user, db_conn):
    """save(scope, city, query, created_at=…, last_alert_dt=…, paused_until=…) through the searches service."""

    def make(scope, city="berlin", query: Query = EVERYTHING, *, created_at=None, last_alert_dt=None,
             paused_until=None) -> str:
        user = make_user()
        outcome = searches.save(user["user_id"], scope=scope.name if hasattr(scope, "name") else scope, city=city,
                                query_json=query.as_json())
        search_id = outcome.search["search_id"]
        db_conn.execute("update saved_search set created_at = %s, last_alert_dt = %s, paused_until = %s"
                        " where search_id = %s", (created_at or at(D - timedelta(days=30)), last_alert_dt,
                                                  paused_until, search_id))
        return search_id

    return make


# --- random searches and entries ---------------------------------------------------

def _condition(scope):
    options = []
    for f in scope.fields:
        if f.kind == "tags":
            options.append(st.tuples(st.just(f.name), st.just("has"), st.sampled_from(f.values[:2])))
        elif f.kind == "int":
            values = [f.default_value // 2, f.default_value, f.default_value * 2]
            # Three times as likely: two bounds on one field are where "all" and "any" differ most.
            options += [st.tuples(st.just(f.name), st.sampled_from(f.ops), st.sampled_from(values))] * 3
        else:
            options.append(st.tuples(st.just(f.name), st.just("is"), st.booleans()))
    return st.one_of(options).map(lambda c: Condition(*c))


def _search(scope):
    return st.fixed_dictionaries({
        "scope": st.just(scope),
        "city": st.sampled_from(CITIES),
        "all": st.lists(_condition(scope), max_size=4),
        "any": st.lists(_condition(scope), max_size=4),
        "created": st.integers(-6, 1),        # days from D
        "last_alert": st.none() | st.integers(-4, 0),
        "paused": st.none() | st.integers(-2, 2),
    })


_profile = st.fixed_dictionaries({
    "city": st.sampled_from(CITIES), "roles": st.lists(st.sampled_from(PEOPLE.by_name["role_tags"].values[:2]),
                                                       max_size=2, unique=True),
    "styles": st.lists(st.sampled_from(PEOPLE.by_name["style_tags"].values[:2]), max_size=2, unique=True),
    "languages": st.lists(st.sampled_from(PEOPLE.by_name["languages"].values[:2]), max_size=2, unique=True),
    "rate": st.sampled_from([5000, 10000, 20000, 40000]), "verified": st.booleans(), "travels": st.booleans(),
    "day": st.integers(-4, 1), "hour": st.sampled_from([0, 12, 23]),
})
_studio = st.fixed_dictionaries({
    "city": st.sampled_from(CITIES),
    "amenities": st.lists(st.sampled_from(STUDIOS.by_name["amenity_tags"].values[:2]), max_size=2, unique=True),
    "rate": st.sampled_from([5000, 10000, 20000]), "capacity": st.sampled_from([5, 10, 20]),
    "size": st.sampled_from([25, 50, 100]), "verified": st.booleans(),
    "day": st.integers(-4, 1), "hour": st.sampled_from([0, 12, 23]),
})


def _insert_entries(conn, owner_id, profiles, studios):
    for p in profiles:
        user_id = new_id("usr")
        conn.execute("insert into app_user (user_id, email, password_hash, display_name, role, city)"
                     " values (%s, %s, 'x', 'P', 'provider', %s)", (user_id, f"{user_id}@example.test", p["city"]))
        conn.execute(
            "insert into service_profile (user_id, display_name, city, role_tags, style_tags, languages, rate_cents,"
            " verified, travels, created_at) values (%s, 'P', %s, %s, %s, %s, %s, %s, %s, %s)",
            (user_id, p["city"], p["roles"], p["styles"], p["languages"], p["rate"], p["verified"], p["travels"],
             at(D + timedelta(days=p["day"]), p["hour"])))
    for s in studios:
        conn.execute(
            "insert into studio (studio_id, owner_user_id, name, city, amenity_tags, hourly_rate_cents, capacity,"
            " size_sqm, verified, created_at) values (%s, %s, 'S', %s, %s, %s, %s, %s, %s, %s)",
            (new_id("std"), owner_id, s["city"], s["amenities"], s["rate"], s["capacity"], s["size"], s["verified"],
             at(D + timedelta(days=s["day"]), s["hour"])))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(searches_=st.lists(_search(PEOPLE) | _search(STUDIOS), min_size=2, max_size=8),
       profiles=st.lists(_profile, min_size=4, max_size=20), studios=st.lists(_studio, min_size=2, max_size=10),
       day_offset=st.integers(0, 1))
def test_the_set_based_run_finds_what_each_searchs_own_query_finds(ctx, db_conn, make_user, searches_, profiles,
                                                                   studios, day_offset):
    db.session.rollback()  # the last example's reads hold no lock on the tables emptied here
    db_conn.execute("truncate saved_search, service_profile, studio cascade")
    owner = make_user("provider")
    _insert_entries(db_conn, owner["user_id"], profiles, studios)
    for s in searches_:
        outcome = searches.save(owner["user_id"], scope=s["scope"].name, city=s["city"],
                                query_json=Query(tuple(s["all"]), tuple(s["any"])).as_json())
        db_conn.execute(
            "update saved_search set created_at = %s, last_alert_dt = %s, paused_until = %s where search_id = %s",
            (at(D + timedelta(days=s["created"]), 6),
             None if s["last_alert"] is None else D + timedelta(days=s["last_alert"]),
             None if s["paused"] is None else D + timedelta(days=s["paused"]), outcome.search["search_id"]))
    day = D + timedelta(days=day_offset)
    assert run(day) == naive_matches(day)


def _save_searches(conn, owner_id, searches_) -> list[str]:
    ids = []
    for s in searches_:
        outcome = searches.save(owner_id, scope=s["scope"].name, city=s["city"],
                                query_json=Query(tuple(s["all"]), tuple(s["any"])).as_json())
        conn.execute(
            "update saved_search set created_at = %s, last_alert_dt = %s, paused_until = %s where search_id = %s",
            (at(D + timedelta(days=s["created"]), 6),
             None if s["last_alert"] is None else D + timedelta(days=s["last_alert"]),
             None if s["paused"] is None else D + timedelta(days=s["paused"]), outcome.search["search_id"]))
        ids.append(outcome.search["search_id"])
    return ids


# What a user does between two runs, through the searches service: (which search, what, its new query).
_change = st.tuples(st.integers(0, 7), st.sampled_from(["pause", "pause through the day", "resume", "edit", "e-mail"]),
                    st.lists(_condition(PEOPLE), max_size=3))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(searches_=st.lists(_search(PEOPLE) | _search(STUDIOS), min_size=2, max_size=8),
       profiles=st.lists(_profile, min_size=4, max_size=16), studios=st.lists(_studio, min_size=2, max_size=8),
       later_profiles=st.lists(_profile, max_size=8), later_studios=st.lists(_studio, max_size=4),
       later_searches=st.lists(_search(PEOPLE) | _search(STUDIOS), max_size=3), changes=st.lists(_change, max_size=4))
def test_after_a_finished_run_the_next_day_finds_what_each_searchs_own_query_finds(
        ctx, db_conn, make_user, searches_, profiles, studios, later_profiles, later_studios, later_searches, changes):
    db.session.rollback()
    db_conn.execute("truncate saved_search, service_profile, studio, alert_run cascade")
    owner = make_user("provider")
    before = D - timedelta(days=1)
    _insert_entries(db_conn, owner["user_id"], [{**p, "day": min(p["day"], -1)} for p in profiles],
                    [{**s, "day": min(s["day"], -1)} for s in studios])
    ids = _save_searches(db_conn, owner["user_id"], searches_)
    # Saved a while before the run of the day before D, which finishes.
    db_conn.execute("update saved_search set updated_at = updated_at - interval '1 hour'")
    db_conn.execute("update saved_search_index set changed_at = changed_at - interval '1 hour'")
    alert_service.record(before)
    # Then, before D's run: entries appear on D, searches are paused, resumed, edited, made.
    _insert_entries(db_conn, owner["user_id"], [{**p, "day": 0} for p in later_profiles],
                    [{**s, "day": 0} for s in later_studios])
    for which, what, conditions in changes:
        search_id = ids[which % len(ids)]
        if what == "pause":
            searches.pause(owner["user_id"], search_id, before)
        elif what == "pause through the day":
            searches.pause(owner["user_id"], search_id, D)
        elif what == "resume":
            searches.resume(owner["user_id"], search_id)
        elif what == "e-mail":
            searches.set_email_alerts(owner["user_id"], search_id, "off")
        elif searches.get(owner["user_id"], search_id)["scope"] == "people":
            searches.update(owner["user_id"], search_id, city="paris", query_json=Query(tuple(conditions)).as_json())
    _save_searches(db_conn, make_user()["user_id"], later_searches)  # new ones, not the owner's again
    assert run(D) == naive_matches(D)


# --- the rules, one at a time -----------------------------------------------------

def test_a_search_paused_on_the_day_is_skipped_and_picked_up_after_the_pause(ctx, save, make_profile):
    search = save(PEOPLE, query=Query(all=(Condition("role_tags", "has", "photographer"),)), paused_until=D)
    found = make_profile("Pat", created_at=at(D, 9))
    assert run(D) == []
    assert run(D + timedelta(days=1)) == [Match(search, 1, [found])]


def test_the_window_starts_after_the_day_of_the_last_alert_and_ends_with_the_day(ctx, save, make_profile):
    search = save(PEOPLE, last_alert_dt=D - timedelta(days=2))
    make_profile("On the last alert's day", created_at=at(D - timedelta(days=2), 23, 59))
    first = make_profile("First instant after", created_at=at(D - timedelta(days=1), 0))
    last = make_profile("Late on the day", created_at=at(D, 23, 59))
    make_profile("The day after", created_at=at(D + timedelta(days=1), 0))
    assert run(D) == [Match(search, 2, [last, first])]


def test_a_search_that_never_alerted_counts_from_its_creation(ctx, save, make_profile):
    search = save(PEOPLE, created_at=at(D - timedelta(days=3), 10))
    make_profile("Before", created_at=at(D - timedelta(days=3), 9))
    after = make_profile("After", created_at=at(D - timedelta(days=3), 11))
    assert run(D) == [Match(search, 1, [after])]


def test_a_search_alerted_today_has_nothing_new_today(ctx, save, make_profile):
    save(PEOPLE, last_alert_dt=D)
    make_profile("Today", created_at=at(D, 8))
    assert run(D) == []


def test_entries_match_only_searches_of_their_city_and_scope(ctx, save, make_profile, make_studio):
    people = save(PEOPLE, "paris")
    make_profile("Berliner", created_at=at(D, 8))
    paris = make_profile("Parisienne", city="paris", created_at=at(D, 9))
    assert run(D) == [Match(people, 1, [paris])]


def test_the_top_matches_are_the_newest_five(ctx, save, make_profile):
    search = save(PEOPLE)
    ids = [make_profile(f"P{i}", created_at=at(D, 8, i)) for i in range(7)]
    assert run(D) == [Match(search, 7, ids[::-1][:5])]


def test_two_bounds_on_one_field_the_tightest_holds_in_all_and_the_loosest_in_any(ctx, save, make_profile):
    for rate in (5000, 10000, 15000, 20000, 25000):
        make_profile(rate_cents=rate, created_at=at(D, 8, rate // 1000))
    between = (Condition("rate_cents", "gte", 10000), Condition("rate_cents", "lte", 20000))
    ceilings = (Condition("rate_cents", "lte", 10000), Condition("rate_cents", "lte", 20000))
    floors = (Condition("rate_cents", "gte", 10000), Condition("rate_cents", "gte", 20000))
    for query in (Query(all=between), Query(all=ceilings), Query(all=floors), Query(any=ceilings),
                  Query(any=floors), Query(any=(Condition("rate_cents", "lte", 5000),
                                                Condition("rate_cents", "gte", 25000)))):
        save(PEOPLE, query=query)
    found = run(D)
    assert [m.match_count for m in found] != [] and found == naive_matches(D)
    assert sorted(m.match_count for m in found) == sorted([3, 2, 2, 4, 4, 2])


def test_shards_cover_every_search_exactly_once(ctx, save, make_profile):
    made = {save(PEOPLE, query=Query(all=(Condition("rate_cents", "gte", 100 * i),))) for i in range(30)}
    make_profile(created_at=at(D, 8))
    whole = {m.search_id for m in run(D)}
    parts = [[m.search_id for m in run(D, (i, 4))] for i in range(4)]
    assert whole == made
    assert sorted(sum(parts, [])) == sorted(made)
    assert all(parts), "every shard got some of thirty searches"


def test_a_shard_outside_its_count_is_refused(ctx):
    with pytest.raises(ValueError):
        run(D, (4, 4))
    with pytest.raises(ValueError):
        matching.parse_shard("1/0")
    assert matching.parse_shard("2/5") == (2, 5)


def test_the_number_of_statements_does_not_grow_with_the_number_of_searches(ctx, save, make_profile):
    def statements(day):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            found = run(day)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen), len(found)

    for i in range(3):
        save(PEOPLE, query=Query(all=(Condition("rate_cents", "gte", i),)))
    make_profile(created_at=at(D, 8))
    few = statements(D)
    for i in range(3, 60):
        save(PEOPLE, query=Query(all=(Condition("rate_cents", "gte", i),)))
    many = statements(D)
    # The index sync (its stamp, the changed searches, the new stamp), the run log, the one matching statement.
    assert few == (5, 3) and many == (5, 60)


def test_searches_written_around_the_service_are_indexed_by_the_next_run(ctx, db_conn, make_user, make_profile):
    user = make_user()
    query = {"all": [{"field": "role_tags", "op": "has", "value": "model"}], "any": []}
    db_conn.execute("insert into saved_search (search_id, user_id, scope, city, query_json, created_at)"
                    " values ('ssv_direct', %s, 'people', 'berlin', %s, %s)",
                    (user["user_id"], json.dumps(query), at(D - timedelta(days=1))))
    found = make_profile(roles=("model",), created_at=at(D, 8))
    make_profile(roles=("photographer",), created_at=at(D, 9))
    assert run(D) == [Match("ssv_direct", 1, [found])]
    assert sync_index() == 0


def test_an_edited_search_is_matched_by_its_new_conditions(ctx, save, make_profile):
    search = save(PEOPLE, query=Query(all=(Condition("role_tags", "has", "photographer"),)))
    model = make_profile(roles=("model",), created_at=at(D, 8))
    user_id = db.session.execute(text("select user_id from saved_search where search_id = :s"),
                                 {"s": search}).scalar()
    searches.update(user_id, search, city="berlin",
                    query_json={"all": [{"field": "role_tags", "op": "has", "value": "model"}], "any": []})
    assert run(D) == [Match(search, 1, [model])]


def test_a_search_using_a_field_no_longer_in_the_catalogue_matches_nothing(ctx, db_conn, make_user, make_profile):
    user = make_user()
    db_conn.execute("insert into saved_search (search_id, user_id, scope, city, query_json, created_at)"
                    " values ('ssv_old', %s, 'people', 'berlin', %s, %s)",
                    (user["user_id"], json.dumps({"all": [{"field": "gone", "op": "has", "value": "x"}], "any": []}),
                     at(D - timedelta(days=1))))
    make_profile(created_at=at(D, 8))
    assert run(D) == []


def test_the_index_captures_every_operator_the_catalogue_declares(db_conn):
    columns = {r[0] for r in db_conn.execute(
        "select column_name from information_schema.columns where table_name = 'saved_search_index'")}
    assert set(matching.bound_columns()) <= columns
    for scope in SCOPES.values():
        for f in scope.fields:
            for op in f.ops:
                value = {"tags": f.values[:1] and f.values[0], "int": f.minimum, "bool": True}[f.kind]
                query = Query(all=(Condition(f.name, op, value),), any=(Condition(f.name, op, value),))
                index_row(scope, "berlin", query)  # raises for an operator the index would ignore
