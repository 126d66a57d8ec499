"""The SQL compiler against the real database: parameters only, indexed operators, right rows."""
from datetime import UTC

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql

from bench.plans import explain
from webapp.core.extensions import db
from webapp.directory.catalogue import PEOPLE, STUDIOS
from webapp.directory.compiler import match_condition, match_select, scope_table, search_id_column
from webapp.directory.query import Condition, Query


def sql_of(stmt):
    return str(stmt.compile(dialect=postgresql.dialect()))


def ids(app, scope, city, query, **bounds):
    with app.app_context():
        return set(db.session.execute(match_select(scope, city, query, **bounds)).scalars())


def test_all_of_tags_is_one_containment_and_any_of_tags_one_overlap():
    q = Query(all=(Condition("role_tags", "has", "photographer"), Condition("role_tags", "has", "model")),
              any=(Condition("style_tags", "has", "editorial"), Condition("style_tags", "has", "fashion"),
                   Condition("verified", "is", True)))
    sql = sql_of(select(scope_table(PEOPLE).c.user_id).where(match_condition(PEOPLE, "berlin", q)))
    assert "service_profile.role_tags @> %(role_tags_1)s::VARCHAR[]" in sql or "role_tags @>" in sql
    assert "style_tags && " in sql and " OR service_profile.verified IS true" in sql
    assert sql.count("@>") == 1 and sql.count("&&") == 1


def test_user_text_never_reaches_the_sql_string():
    sneaky = "x'); drop table app_user; --"
    q = Query(all=(Condition("role_tags", "has", sneaky),))
    assert sneaky not in sql_of(select(scope_table(PEOPLE).c.user_id).where(match_condition(PEOPLE, "berlin", q)))


def test_matches_against_the_database(app, make_profile):
    eve = make_profile("Eve", roles=("photographer",), styles=("editorial",), rate_cents=15000)
    fay = make_profile("Fay", roles=("photographer", "videographer"), styles=("fashion",), rate_cents=25000,
                       verified=True)
    make_profile("Gus", roles=("model",), styles=("editorial",), rate_cents=5000)
    make_profile("Hal", city="paris", roles=("photographer",), styles=("editorial",))
    photographers_any_style = Query(all=(Condition("role_tags", "has", "photographer"),),
                                    any=(Condition("style_tags", "has", "editorial"),
                                         Condition("style_tags", "has", "fashion")))
    assert ids(app, PEOPLE, "berlin", photographers_any_style) == {eve, fay}
    assert ids(app, PEOPLE, "berlin", Query(all=(Condition("role_tags", "has", "photographer"),
                                                  Condition("role_tags", "has", "videographer")))) == {fay}
    assert ids(app, PEOPLE, "berlin", Query(all=(Condition("rate_cents", "lte", 15000),
                                                  Condition("rate_cents", "gte", 10000)))) == {eve}
    assert ids(app, PEOPLE, "berlin", Query(any=(Condition("verified", "is", True),
                                                  Condition("rate_cents", "lte", 6000)))) == {fay} | (
        ids(app, PEOPLE, "berlin", Query(all=(Condition("role_tags", "has", "model"),))))


def test_no_city_searches_everywhere_and_created_bounds_window_the_rows(app, make_profile):
    from datetime import datetime

    early = make_profile("Early", created_at=datetime(2025, 1, 1, tzinfo=UTC))
    late = make_profile("Late", city="paris", created_at=datetime(2025, 2, 1, tzinfo=UTC))
    assert ids(app, PEOPLE, None, Query()) == {early, late}
    assert ids(app, PEOPLE, None, Query(), created_after=datetime(2025, 1, 1, tzinfo=UTC),
               created_until=datetime(2025, 2, 1, tzinfo=UTC)) == {late}


def test_studios_compile_too(app, make_studio):
    big = make_studio("Big", amenities=("cyclorama", "parking"), capacity=30, size_sqm=200)
    make_studio("Small", amenities=("cyclorama",), capacity=3, size_sqm=20)
    q = Query(all=(Condition("amenity_tags", "has", "cyclorama"), Condition("size_sqm", "gte", 100)))
    assert ids(app, STUDIOS, "berlin", q) == {big}


def test_a_union_of_searches_runs_as_one_statement(app, make_profile):
    """The shape a set-based alert job uses: one select per search, tagged, unioned."""
    eve = make_profile("Eve", roles=("photographer",))
    gus = make_profile("Gus", roles=("model",))
    a = match_select(PEOPLE, "berlin", Query(all=(Condition("role_tags", "has", "photographer"),)),
                     search_id_column("ssv_a"), scope_table(PEOPLE).c.user_id)
    b = match_select(PEOPLE, "berlin", Query(all=(Condition("role_tags", "has", "model"),)),
                     search_id_column("ssv_b"), scope_table(PEOPLE).c.user_id)
    with app.app_context():
        rows = set(db.session.execute(a.union_all(b)).all())
    assert rows == {("ssv_a", eve), ("ssv_b", gus)}


@pytest.mark.parametrize("query, index", [  # across cities, so the city B-tree can't stand in
    (Query(all=(Condition("role_tags", "has", "photographer"), Condition("role_tags", "has", "model"))),
     "idx_service_profile_role_tags"),
    (Query(any=(Condition("style_tags", "has", "editorial"), Condition("style_tags", "has", "fashion"))),
     "idx_service_profile_style_tags"),
    (Query(all=(Condition("rate_cents", "lte", 20000),)), "idx_service_profile_rate"),
])
def test_each_operator_shape_can_use_its_index(app, make_profile, query, index):
    make_profile("Eve")
    with app.app_context():
        db.session.execute(text("set local enable_seqscan = off"))
        plan = "\n".join(explain(match_select(PEOPLE, None, query)))
        db.session.rollback()
    assert index in plan, plan


def test_counts_are_remembered_briefly_when_the_cache_is_on(app, make_profile, monkeypatch):
    from webapp.directory.queries import count_matches, forget_counts

    make_profile("Eve")
    query = Query(all=(Condition("role_tags", "has", "photographer"),))
    monkeypatch.setitem(app.config, "DIRECTORY_COUNT_CACHE_SECONDS", 30)
    try:
        with app.app_context():
            forget_counts()
            assert count_matches(PEOPLE, "berlin", query) == 1
            make_profile("Fay")
            assert count_matches(PEOPLE, "berlin", query) == 1  # remembered
            assert count_matches(PEOPLE, "berlin", query, cached=False) == 2
            forget_counts()
            assert count_matches(PEOPLE, "berlin", query) == 2
    finally:
        forget_counts()


def test_a_capped_count_is_planned_without_a_sequential_scan(app, make_profile, db_conn):
    from webapp.directory.queries import COUNT_PLANNER, count_statement

    for name in ("Eve", "Gus", "Ida"):
        make_profile(name, styles=("editorial",))
    db_conn.execute("analyze service_profile")  # a table this small PostgreSQL would otherwise just read
    query = Query(any=(Condition("style_tags", "has", "editorial"), Condition("role_tags", "has", "model")))
    with app.app_context():
        plan = "\n".join(explain(count_statement(PEOPLE, "berlin", query), planner=COUNT_PLANNER))
        db.session.rollback()
    assert "Seq Scan" not in plan and "Index" in plan, plan
