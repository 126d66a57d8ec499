"""SQL of the alert matching: the saved_search_index rows and the run's streamed statement."""
from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import text

from ..core.extensions import db
from .matching import Match, bound_columns, index_row_from_json

SYNC_BATCH = 1000
STREAM_ROWS = 1000

_INDEX_COLUMNS = ["search_id", "scope", "city", "anchor", "all_facts", "has_any", "any_facts", *bound_columns(),
                  "query_md5"]
_UPSERT = text(
    f"insert into saved_search_index ({', '.join(_INDEX_COLUMNS)})"
    f" values ({', '.join(':' + c for c in _INDEX_COLUMNS)})"
    " on conflict (search_id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in _INDEX_COLUMNS if c != "search_id")
)


def _md5_of(query_json) -> str:
    """md5 of query_json as PostgreSQL prints jsonb: computed by the server, so equal by construction."""
    return db.session.execute(text("select md5(cast(:q as jsonb)::text)"), {"q": json.dumps(query_json)}).scalar()


def index_search(search_id: str, scope: str, city: str, query_json: dict) -> None:
    """Write a search's index row in the caller's transaction (the searches service, on save and edit)."""
    row = index_row_from_json(scope, city, query_json)
    db.session.execute(_UPSERT, {**row, "search_id": search_id, "query_md5": _md5_of(query_json)})


# Rows missing or built from another query or city: this migration's backfill, and searches
# written around the service (demo data, benchmark loaders).
_STALE = text(
    "select s.search_id, s.scope, s.city, s.query_json, md5(s.query_json::text) as query_md5"
    " from saved_search s left join saved_search_index x using (search_id)"
    " where x.search_id is null or x.query_md5 <> md5(s.query_json::text) or x.city <> s.city"
    " or x.scope <> s.scope"
)


def sync_index() -> int:
    """Bring saved_search_index in step with saved_search; returns the rows rebuilt.

    One read streamed from a server-side cursor, written back in batches on a second connection:
    statements grow with the rows to repair, not with the searches."""
    rebuilt = 0
    with db.engine.connect() as reader, db.engine.begin() as writer:
        result = reader.execution_options(stream_results=True, yield_per=SYNC_BATCH).execute(_STALE)
        for batch in result.mappings().partitions():
            writer.execute(_UPSERT, [
                {**index_row_from_json(r["scope"], r["city"], r["query_json"]), "search_id": r["search_id"],
                 "query_md5": r["query_md5"]}
                for r in batch
            ])
            rebuilt += len(batch)
    return rebuilt


def stream_matches(sql: str, params: dict) -> Iterator[Match]:
    """The run's one statement, its rows fetched STREAM_ROWS at a time from a server-side cursor."""
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(text(sql), params)
        for row in result:
            yield Match(row.search_id, row.match_count, list(row.top_ids))
