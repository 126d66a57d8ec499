"""The job queue's schema is the installed procrastinate's own."""
from __future__ import annotations

from procrastinate.schema import SchemaManager

from tests.conftest import work_off
from webapp.core.migrations import MIGRATIONS_DIR


def test_migration_090_holds_the_installed_procrastinates_schema_verbatim():
    """An upgrade of procrastinate brings a schema of its own: this fails then, as a reminder to add that
    version's migration files after 090 (docs/operations.md, "The job queue") and point this check at them."""
    body = (MIGRATIONS_DIR / "090_job_queue.sql").read_text()
    schema = SchemaManager.get_schema()
    assert body.endswith(schema) and body[: -len(schema)].strip().startswith("--")


def test_succeeded_jobs_are_removed_once_a_week_old(app, db_conn):
    from webapp.alerts.tasks import DELIVER
    from webapp.core.queue import CLEAN_UP, job_queue

    def run_jobs(*names: str) -> None:
        with job_queue().open():
            for name in names:  # alerts that no longer exist: nothing to deliver, the job succeeds
                job_queue().configure_task(DELIVER, task_kwargs={"alert_id": name, "email": False}).defer()
        work_off(job_queue())

    with app.app_context():
        run_jobs("ssa_gone_1", "ssa_gone_2")
        db_conn.execute("update procrastinate_events set at = at - interval '8 days'")
        run_jobs("ssa_gone_3")
        with job_queue().open():
            job_queue().configure_task(CLEAN_UP, task_kwargs={"timestamp": 0}).defer()
        work_off(job_queue(), queues=["builtin"])
    left = db_conn.execute("select args ->> 'alert_id' from procrastinate_jobs where task_name = %s",
                           (DELIVER,)).fetchall()
    assert left == [("ssa_gone_3",)]
