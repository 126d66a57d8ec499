"""Properties of the canonical form (Hypothesis), the last one on random data in PostgreSQL."""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from webapp.core.extensions import db
from webapp.core.taxonomy import LANGUAGES, ROLE_TAGS, STYLE_TAGS
from webapp.directory.catalogue import PEOPLE
from webapp.directory.compiler import match_select
from webapp.directory.query import canonical, canonical_json, parse_json

RATES = (0, 5000, 10000, 15000, 20000, 30000)


def _spelling(tag):
    """A tag as someone might type it: any case, stray spaces."""
    return st.tuples(st.sampled_from(["", " ", "  "]), st.booleans(), st.sampled_from(["", " "])).map(
        lambda t: t[0] + (tag.upper() if t[1] else tag) + t[2])


def _condition():
    tags = st.one_of(
        st.sampled_from(ROLE_TAGS[:4]).flatmap(lambda v: _spelling(v).map(lambda s: ("role_tags", "has", s))),
        st.sampled_from(STYLE_TAGS[:4]).flatmap(lambda v: _spelling(v).map(lambda s: ("style_tags", "has", s))),
        st.sampled_from(LANGUAGES[:3]).map(lambda v: ("languages", "has", v)),
    )
    numbers = st.tuples(st.just("rate_cents"), st.sampled_from(["lte", "gte"]), st.sampled_from(RATES))
    flags = st.tuples(st.sampled_from(["verified", "travels"]), st.just("is"), st.booleans())
    return st.one_of(tags, numbers, flags).map(lambda c: {"field": c[0], "op": c[1], "value": c[2]})


queries = st.fixed_dictionaries({"all": st.lists(_condition(), max_size=5), "any": st.lists(_condition(), max_size=5)})


@given(queries)
def test_canonicalisation_is_idempotent(doc):
    once = canonical_json(doc, PEOPLE)
    assert canonical_json(once, PEOPLE) == once


@given(queries, st.randoms(use_true_random=False))
def test_canonicalisation_ignores_order(doc, rnd):
    shuffled = {"all": rnd.sample(doc["all"], len(doc["all"])), "any": rnd.sample(doc["any"], len(doc["any"]))}
    assert canonical_json(shuffled, PEOPLE) == canonical_json(doc, PEOPLE)


@given(queries)
def test_canonical_json_has_both_keys_and_no_lone_any(doc):
    canon = canonical_json(doc, PEOPLE)
    assert set(canon) == {"all", "any"} and len(canon["any"]) != 1


profiles = st.lists(st.fixed_dictionaries({
    "roles": st.lists(st.sampled_from(ROLE_TAGS[:4]), max_size=2, unique=True),
    "styles": st.lists(st.sampled_from(STYLE_TAGS[:4]), max_size=3, unique=True),
    "languages": st.lists(st.sampled_from(LANGUAGES[:3]), max_size=2, unique=True),
    "rate": st.sampled_from(RATES + (7500, 20001)),
    "verified": st.booleans(), "travels": st.booleans(), "city": st.sampled_from(["berlin", "paris"]),
}), max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=profiles, doc=queries)
def test_a_canonical_query_matches_exactly_what_its_original_matches(app, rows, doc):
    """Random people in PostgreSQL (rolled back after each example), the query before and after."""
    original = parse_json(doc, PEOPLE)
    with app.app_context():
        try:
            for i, r in enumerate(rows):
                uid = f"usr_prop{i:02d}{random.randrange(10**6):06d}"
                db.session.execute(text(
                    "insert into app_user (user_id, email, password_hash, display_name, role, city)"
                    " values (:u, :u || '@x.test', 'x', 'P', 'provider', :city)"), {"u": uid, "city": r["city"]})
                db.session.execute(text(
                    "insert into service_profile (user_id, display_name, city, role_tags, style_tags, languages,"
                    " rate_cents, verified, travels) values (:u, 'P', :city, :roles, :styles, :langs, :rate,"
                    " :verified, :travels)"),
                    {"u": uid, "city": r["city"], "roles": r["roles"], "styles": r["styles"], "langs": r["languages"],
                     "rate": r["rate"], "verified": r["verified"], "travels": r["travels"]})
            before = set(db.session.execute(match_select(PEOPLE, "berlin", original)).scalars())
            after = set(db.session.execute(match_select(PEOPLE, "berlin", canonical(original))).scalars())
            expected = {f"usr_prop{i:02d}" for i, r in enumerate(rows) if r["city"] == "berlin" and _holds(original, r)}
        finally:
            db.session.rollback()
    assert before == after
    assert {u[:10] for u in before} == expected


def _holds(query, r):
    """The meaning of a query, written out plainly in Python, as a third opinion."""
    def one(c):
        if c.field == "rate_cents":
            return r["rate"] <= c.value if c.op == "lte" else r["rate"] >= c.value
        if c.field in ("verified", "travels"):
            return r[c.field] is c.value
        column = {"role_tags": "roles", "style_tags": "styles", "languages": "languages"}[c.field]
        return c.value in r[column]
    return all(one(c) for c in query.all) and (not query.any or any(one(c) for c in query.any))
