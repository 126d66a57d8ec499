"""The job queue: procrastinate, on the app's own PostgreSQL (migration 090 holds its schema).

Jobs are rows in our database, so enqueueing needs no other server, workers on any number of hosts
share them, and a job is retried with backoff when it fails. One procrastinate App per Flask app,
built in create_app from the same DATABASE_URL; each feature adds its tasks with a
`register(queue, config)` function (webapp/alerts/tasks.py). A task runs inside an app context of
its own, so it reads settings and uses `db.session` as a request does.

    with job_queue().open():                       # a CLI command or script deferring jobs
        defer_many(job_queue(), [job(...), ...])
    flask --app wsgi worker [--queue alerts] [--concurrency 4] [--once]

docs/operations.md, "The job queue"; docs/decisions.md, "Alerts — delivery on the job queue".
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import procrastinate
from flask import Flask, current_app
from procrastinate import builtin_tasks
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job

from .config import libpq_url

# A worker's connections: one listens for new jobs, the others fetch and finish them.
POOL_MAX_SIZE = 4
# Finished jobs are rows too: succeeded ones are removed after a week (failed ones stay to be read).
KEEP_SUCCEEDED_HOURS = 7 * 24
CLEAN_UP, CLEAN_UP_CRON = "queue:remove_succeeded_jobs", "45 3 * * *"
# A job whose worker died (SIGKILL, a lost host: no heartbeat for 30 s) goes back to the queue.
RETRY_STALLED, RETRY_STALLED_CRON = "queue:retry_stalled_jobs", "*/5 * * * *"

Registration = Callable[[procrastinate.App, dict], None]


def init_app(app: Flask, registrations: Iterable[Registration]) -> None:
    def in_app_context(call_next, context, worker):
        # A sync task runs in a worker thread: give it the app (config, a database session of its
        # own, removed when it ends), as a request has.
        with app.app_context():
            return call_next()

    queue = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=libpq_url(app.config["SQLALCHEMY_DATABASE_URI"]), min_size=1, max_size=POOL_MAX_SIZE,
            kwargs={"connect_timeout": max(1, round(app.config["DB_CONNECT_TIMEOUT"]))},
        ),
        worker_defaults={"task_middleware": [in_app_context]},
    )
    queue.periodic(cron=CLEAN_UP_CRON, periodic_id="daily")(
        queue.task(name=CLEAN_UP, queue="builtin", pass_context=True)(remove_succeeded_jobs))
    queue.periodic(cron=RETRY_STALLED_CRON, periodic_id="often")(
        queue.task(name=RETRY_STALLED, queue="builtin", pass_context=True, queueing_lock=RETRY_STALLED)(
            retry_stalled_jobs))
    for register in registrations:
        register(queue, app.config)
    app.extensions["job_queue"] = queue


async def remove_succeeded_jobs(context, timestamp: int) -> None:
    await builtin_tasks.remove_old_jobs(context, max_hours=KEEP_SUCCEEDED_HOURS)


async def retry_stalled_jobs(context, timestamp: int) -> None:
    """procrastinate's own recipe: every job still `doing` whose worker stopped beating is queued
    again (the jobs are idempotent: a second run of one finishes what the first did not)."""
    for job in await context.app.job_manager.get_stalled_jobs():
        await context.app.job_manager.retry_job(job)


def job_queue() -> procrastinate.App:
    """The current app's queue."""
    return current_app.extensions["job_queue"]


def defer_many(queue: procrastinate.App, jobs: list[Job]) -> int:
    """Defer `jobs` (each from `queue.configure_task(...).job`) in one statement; returns how many were
    added. A job whose queueing lock is already held by a waiting job is not added again: the batch is
    then deferred one by one, skipping those (a re-run re-offers work that is still queued)."""
    if not jobs:
        return 0
    try:
        queue.job_manager.batch_defer_jobs(jobs)
        return len(jobs)
    except AlreadyEnqueued:
        added = 0
        for job in jobs:
            try:
                queue.job_manager.defer_job(job)
                added += 1
            except AlreadyEnqueued:
                pass
        return added
