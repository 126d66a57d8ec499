"""The demo data writes its facts with plain SQL; the rollups' triggers keep up with it, so the growth
dashboard shows the demo as a rebuild from its facts would."""
from __future__ import annotations

from tests.reporting.facts import rollups


class Undo(Exception):
    """Leaves the rebuild's transaction rolled back: the demo database stays as seeded."""


def test_the_seeded_rollups_equal_a_rebuild_from_the_demo_facts(demo):
    kept = rollups(demo.conn)
    assert kept[0] and kept[1]
    rebuilt = None
    try:
        with demo.conn.transaction():
            demo.conn.execute("select growth_rollups_rebuild()")
            rebuilt = rollups(demo.conn)
            raise Undo
    except Undo:
        pass
    assert rebuilt == kept
    assert rollups(demo.conn) == kept


def test_the_demo_leaves_nothing_waiting_for_a_commit(demo):
    assert demo.one("select (select count(*) from growth_daily_pending)"
                    " + (select count(*) from activity_daily_pending)") == 0


