"""SQL for saved searches. Every read and write is scoped to the owner's user_id."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import array

from ..core import reads
from ..core.extensions import db
from ..directory.catalogue import Scope
from ..directory.queries import COUNT_PLANNER, count_statement
from ..directory.query import Query

_COLUMNS = ("search_id, user_id, scope, city, query_json, name, paused_until, last_alert_dt, email_alerts, created_at,"
            " updated_at")


def get_search(user_id: str, search_id: str):
    """The user's own search, or None (someone else's is as missing as a wrong id)."""
    return db.session.execute(
        text(f"select {_COLUMNS} from saved_search where search_id = :id and user_id = :u"),
        {"id": search_id, "u": user_id},
    ).mappings().first()


# The user's (%(u)s) searches, newest first: /searches, and the side panel's statement (dashboard/queries.py).
USER_SEARCHES = f"select {_COLUMNS} from saved_search where user_id = %(u)s order by created_at desc, search_id desc"


def list_searches(user_id: str) -> list[dict]:
    """The user's searches, newest first (the /searches page)."""
    return reads.rows(USER_SEARCHES, {"u": user_id})


def find_equal(user_id: str, scope: str, city: str, query_json: dict, *, except_id: str | None = None):
    """The user's search with the same scope, city and (canonical) query, if any."""
    return db.session.execute(
        text(f"select {_COLUMNS} from saved_search where user_id = :u and scope = :s and city = :c"
             " and md5(query_json::text) = md5(cast(:q as jsonb)::text) and query_json = cast(:q as jsonb)"
             " and search_id is distinct from :except_id"),
        {"u": user_id, "s": scope, "c": city, "q": json.dumps(query_json), "except_id": except_id},
    ).mappings().first()


def insert_search(*, search_id: str, user_id: str, scope: str, city: str, query_json: dict, name: str | None) -> None:
    """A new search; its e-mail alerts start as its owner's default (app_user.email_alerts)."""
    db.session.execute(
        text("insert into saved_search (search_id, user_id, scope, city, query_json, name, email_alerts)"
             " select :id, :u, :s, :c, cast(:q as jsonb), :n, email_alerts from app_user where user_id = :u"),
        {"id": search_id, "u": user_id, "s": scope, "c": city, "q": json.dumps(query_json), "n": name},
    )


def update_search(*, search_id: str, user_id: str, city: str, query_json: dict, name: str | None) -> int:
    return db.session.execute(
        text("update saved_search set city = :c, query_json = cast(:q as jsonb), name = :n, updated_at = now()"
             " where search_id = :id and user_id = :u"),
        {"id": search_id, "u": user_id, "c": city, "q": json.dumps(query_json), "n": name},
    ).rowcount


def delete_search(user_id: str, search_id: str) -> int:
    return db.session.execute(
        text("delete from saved_search where search_id = :id and user_id = :u"), {"id": search_id, "u": user_id}
    ).rowcount


def set_paused_until(user_id: str, search_id: str, until: date | None) -> int:
    return db.session.execute(
        text("update saved_search set paused_until = :d, updated_at = now() where search_id = :id and user_id = :u"),
        {"id": search_id, "u": user_id, "d": until},
    ).rowcount


def set_email_alerts(user_id: str, search_id: str, on: bool) -> int:
    return db.session.execute(
        text("update saved_search set email_alerts = :on, updated_at = now() where search_id = :id and user_id = :u"),
        {"id": search_id, "u": user_id, "on": on},
    ).rowcount


def owner_of(search_id: str) -> str | None:
    """Whose search this is: only for the alert e-mail's signed links (alerts/links.py), where the
    token, not a session, says who may act on the search."""
    return db.session.execute(text("select user_id from saved_search where search_id = :id"),
                              {"id": search_id}).scalar()


def match_counts(searches: list[tuple[Scope, str, Query]], cap: int) -> list[int]:
    """How many profiles or studios match each (scope, city, query), counted up to `cap` + 1,
    in the order given: the directory's capped counts, all in one statement (one round trip
    for the whole list, however many searches it holds)."""
    if not searches:
        return []
    counts = [count_statement(scope, city, query, cap).scalar_subquery() for scope, city, query in searches]
    return reads.scalar(*reads.compiled(select(array(counts))), prepare=False, planner=COUNT_PLANNER)


_ALERT_COLUMNS = "a.alert_id, a.alert_dt, a.match_count, a.email_sent, a.inapp_created"


def alert_histories(user_id: str, search_ids: list[str], per_search: int) -> dict[str, list[dict]]:
    """The newest `per_search` alerts of each of the user's searches, in one statement (each a
    bounded walk down the (search_id, alert_dt) unique index), newest first per search."""
    if not search_ids:
        return {}
    rows = reads.rows(
        f"select s.search_id, {_ALERT_COLUMNS} from saved_search s cross join lateral"
        f" (select * from saved_search_alert a where a.search_id = s.search_id"
        f"  order by a.alert_dt desc limit %(n)s) a"
        f" where s.user_id = %(u)s and s.search_id = any(%(ids)s) order by s.search_id, a.alert_dt desc",
        {"u": user_id, "ids": list(search_ids), "n": per_search})
    histories: dict[str, list[dict]] = {}
    for row in rows:
        histories.setdefault(row.pop("search_id"), []).append(row)
    return histories


def alert_history(user_id: str, search_id: str, limit: int) -> list[dict]:
    """The newest `limit` alerts of the user's search (its history page)."""
    return reads.rows(
        f"select {_ALERT_COLUMNS} from saved_search_alert a join saved_search s using (search_id)"
        f" where a.search_id = %(id)s and s.user_id = %(u)s order by a.alert_dt desc limit %(n)s",
        {"u": user_id, "id": search_id, "n": limit})
