"""PostgreSQL's plan for a statement the app runs: the directory benchmark and
bench/explain_lists.py record them, and tests prove index use with them
(tests/directory/test_compiler.py)."""
from __future__ import annotations

import re

import psycopg
from psycopg import sql as pgsql

from webapp.core.extensions import db


def explain(stmt, *, analyze: bool = False, planner: dict[str, str] | None = None) -> list[str]:
    """The plan of a SQLAlchemy statement, on db.session (in an app context), under the
    `planner` settings it runs with; they last until the session's transaction ends."""
    conn = db.session.connection()
    for name, value in (planner or {}).items():
        conn.exec_driver_sql("select set_config(%(name)s, %(value)s, true)", {"name": name, "value": value})
    compiled = stmt.compile(dialect=conn.dialect)
    prefix = "explain (analyze, buffers off) " if analyze else "explain "
    return [r[0] for r in conn.exec_driver_sql(prefix + str(compiled), compiled.params)]


def prepared_plan(url: str, statement: str, params: dict) -> list[str]:
    """EXPLAIN ANALYZE of `statement` (psycopg's %(name)s style) prepared and run 12 times first,
    as the app's pooled connections end up running a statement psycopg prepares: PostgreSQL
    plans the first five executions for their values, then may keep one generic plan."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", statement)))
    positional = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", statement).replace("%%", "%")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"prepare page as {positional}")
        args = ", ".join(pgsql.Literal(params[n]).as_string(conn) for n in names)
        for _ in range(12):
            conn.execute(f"execute page({args})")
        return [r[0] for r in conn.execute(f"explain (analyze, costs off, buffers off) execute page({args})")]


def plan(url: str, statement: str, params: dict) -> list[str]:
    """EXPLAIN ANALYZE of `statement` (psycopg's %(name)s style) with its values, planned for them."""
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(3):
            conn.execute("explain analyze " + statement, params)
        return [r[0] for r in conn.execute("explain (analyze, costs off, buffers off) " + statement, params)]
