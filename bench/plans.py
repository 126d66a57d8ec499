"""PostgreSQL's plan for a statement the app runs: the directory benchmark records them, and
tests prove index use with them (tests/directory/test_compiler.py)."""
from __future__ import annotations

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
