"""The alert run on the job queue: the run records and queues a job per alert, real workers (procrastinate
on the test database) deliver each once, a refused e-mail is retried later, and the daily periodic
task splits the day into shard jobs."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.alerts.conftest import D, counts, noon, notifications
from tests.conftest import in_own_thread
from tests.conftest import work_off as run_worker_once
from webapp.alerts import service, tasks
from webapp.core.queue import RETRY_STALLED, defer_many, job_queue


def run_queued(day=D, shard=(0, 1)) -> service.RunOutcome:
    """`alerts run --deliver queue`: record here, queue the deliveries."""
    with job_queue().open():
        return service.run(day, shard, deliver=tasks.enqueue_deliveries)


def work_off() -> None:
    """A real worker on the test database takes every job due now, then stops."""
    run_worker_once(job_queue(), queues=[tasks.QUEUE])


def jobs(db_conn, task=tasks.DELIVER) -> list[tuple]:
    """(status, attempts) of each job of `task`; attempts counts the runs begun."""
    return db_conn.execute("select status::text, attempts from procrastinate_jobs where task_name = %s"
                           " order by id", (task,)).fetchall()


def email_sent(db_conn) -> list[bool]:
    return [r[0] for r in db_conn.execute("select email_sent from saved_search_alert order by alert_id")]


def test_a_queued_run_records_the_alerts_and_queues_one_job_each_without_delivering(ctx, db_conn, five_searches,
                                                                                     inbox):
    outcome = run_queued()
    assert (outcome.alerts_recorded, outcome.delivered) == (5, {"queued": (5, 0)})
    assert jobs(db_conn) == [("todo", 0)] * 5
    assert notifications(db_conn) == [] and inbox.messages == []


def test_the_workers_deliver_every_queued_alert_in_app_and_by_e_mail(ctx, db_conn, five_searches, inbox):
    run_queued()
    work_off()
    assert jobs(db_conn) == [("succeeded", 1)] * 5
    assert [n[3] for n in notifications(db_conn)] == [True] * 5
    assert len(inbox.messages) == 5 and email_sent(db_conn) == [True] * 5


def test_a_re_run_while_the_jobs_wait_queues_no_second_job(ctx, db_conn, five_searches):
    run_queued()
    assert run_queued().delivered == {"queued": (0, 0)}
    assert len(jobs(db_conn)) == 5


def test_a_re_run_after_the_workers_finished_queues_nothing_and_sends_nothing_again(ctx, db_conn, five_searches,
                                                                                     inbox):
    run_queued()
    work_off()
    assert run_queued().delivered == {"queued": (0, 0)}
    work_off()
    assert counts(db_conn) == (5, 5) and len(inbox.messages) == 5


def test_a_job_run_twice_delivers_once(ctx, db_conn, save, photographers, inbox):
    save("Editorial shoots")
    photographers("berlin", 2)
    run_queued()
    [(alert_id,)] = db_conn.execute("select alert_id from saved_search_alert").fetchall()
    service.deliver_alert(alert_id, email=True)
    work_off()  # the queued job finds both channels done
    assert counts(db_conn) == (1, 1) and len(inbox.messages) == 1
    assert jobs(db_conn) == [("succeeded", 1)]


def test_an_alert_whose_search_has_e_mail_off_is_queued_for_in_app_only(ctx, db_conn, save, photographers, inbox):
    search_id = save("Editorial shoots")
    db_conn.execute("update saved_search set email_alerts = false where search_id = %s", (search_id,))
    photographers("berlin", 2)
    run_queued()
    [(args,)] = db_conn.execute("select args from procrastinate_jobs where task_name = %s", (tasks.DELIVER,)).fetchall()
    assert args["email"] is False
    work_off()
    assert counts(db_conn) == (1, 1) and inbox.messages == []


@pytest.fixture
def smtp_down(app):
    """The mail server refuses (nothing listens); yields the working server's URL."""
    previous, app.config["SMTP_URL"] = app.config["SMTP_URL"], "smtp://127.0.0.1:1"
    yield previous
    app.config["SMTP_URL"] = previous


def test_a_refused_e_mail_is_retried_later_with_backoff_and_the_notification_is_not_held_back(
        ctx, app, db_conn, save, photographers, inbox, smtp_down):
    save("Editorial shoots")
    photographers("berlin", 2)
    run_queued()
    before = datetime.now(UTC)
    work_off()
    [(status, attempts, scheduled_at)] = db_conn.execute(
        "select status::text, attempts, scheduled_at from procrastinate_jobs where task_name = %s",
        (tasks.DELIVER,)).fetchall()
    assert (status, attempts) == ("todo", 1)
    assert scheduled_at >= before + timedelta(seconds=tasks.DELIVERY_RETRY.exponential_wait)
    assert email_sent(db_conn) == [False] and notifications(db_conn)[0][3] is True


def test_the_retry_sends_the_e_mail_once_the_server_accepts_again(ctx, app, db_conn, save, photographers, inbox,
                                                                   smtp_down):
    save("Editorial shoots")
    photographers("berlin", 2)
    run_queued()
    work_off()
    app.config["SMTP_URL"] = smtp_down  # the server is back
    db_conn.execute("update procrastinate_jobs set scheduled_at = now()")  # the backoff has passed
    work_off()
    assert jobs(db_conn) == [("succeeded", 2)]
    assert email_sent(db_conn) == [True] and len(inbox.messages) == 1


def test_the_daily_tick_queues_yesterdays_run_as_one_job_per_shard(ctx, app, db_conn, five_searches):
    app.config["ALERTS_SHARDS"], previous = 3, app.config["ALERTS_SHARDS"]
    try:
        tick = noon(D + timedelta(days=1)).timestamp()
        with job_queue().open():
            job_queue().configure_task(tasks.DAILY, task_kwargs={"timestamp": int(tick)}).defer()
        work_off()
    finally:
        app.config["ALERTS_SHARDS"] = previous
    shards = db_conn.execute("select args ->> 'day', args ->> 'shard', status::text from procrastinate_jobs"
                             " where task_name = %s order by args ->> 'shard'", (tasks.RUN,)).fetchall()
    assert shards == [(D.isoformat(), f"{i}/3", "succeeded") for i in range(3)]


def test_the_daily_tick_ends_with_every_alert_delivered(ctx, app, db_conn, five_searches, inbox):
    with job_queue().open():
        job_queue().configure_task(tasks.DAILY, task_kwargs={"timestamp": int(noon(D).timestamp()) + 86400}).defer()
    work_off()  # the tick, then the run it queued, then the deliveries that run queued
    assert counts(db_conn) == (5, 5) and len(inbox.messages) == 5


def test_the_cli_can_hand_delivery_to_the_queue_and_flask_worker_delivers(app, runner, db_conn, five_searches,
                                                                          inbox):
    result = runner.invoke(args=["alerts", "run", "--date", D.isoformat(), "--deliver", "queue"])
    assert result.exit_code == 0, result.output
    assert "5 alert(s) queued for the workers" in result.output
    assert counts(db_conn) == (5, 0)
    result = in_own_thread(runner.invoke, args=["worker", "--queue", "alerts", "--once"])
    assert result.exit_code == 0, result.output
    assert counts(db_conn) == (5, 5) and len(inbox.messages) == 5


def periodic_tasks(app) -> set[str]:
    return {p.task.name for p in app.extensions["job_queue"].periodic_registry.periodic_tasks.values()}


def test_the_workers_tick_daily_at_the_configured_hour(make_app):
    app = make_app({"ALERTS_SCHEDULE": "30 2 * * *"})
    [daily] = [p for p in app.extensions["job_queue"].periodic_registry.periodic_tasks.values()
               if p.task.name == tasks.DAILY]
    assert daily.cron == "30 2 * * *"


def test_with_the_schedule_off_the_workers_keep_no_daily_tick(make_app):
    assert tasks.DAILY not in periodic_tasks(make_app({"ALERTS_SCHEDULE": "off"}))


# --- a worker killed half-way -----------------------------------------------------

@pytest.fixture
def silent_smtp_server():
    """A mail server that takes the connection and never answers: a send waits on it."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"smtp://127.0.0.1:{server.getsockname()[1]}"


def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_worker_and_nothing_doubled(
        ctx, app, database_url, db_conn, save, photographers, inbox, silent_smtp_server):
    save("Editorial shoots")
    photographers("berlin", 2)
    run_queued()
    env = {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": silent_smtp_server}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--queue", tasks.QUEUE],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):  # the job is under way: its notification written, its e-mail waiting
            if jobs(db_conn) == [("doing", 0)] and counts(db_conn) == (1, 1):
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the worker never took the job: {jobs(db_conn)} {counts(db_conn)}")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    # Its heartbeat stops; a minute on, another worker's periodic check finds the job stalled.
    db_conn.execute("update procrastinate_workers set last_heartbeat = now() - interval '1 minute'")
    with job_queue().open():  # (the killed worker may have queued the check already, at its start)
        defer_many(job_queue(), [job_queue().configure_task(RETRY_STALLED, task_kwargs={"timestamp": 0}).job])
    run_worker_once(job_queue())
    assert jobs(db_conn) == [("succeeded", 2)]
    assert counts(db_conn) == (1, 1) and len(inbox.messages) == 1 and email_sent(db_conn) == [True]
