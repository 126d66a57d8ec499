"""The daily alert run: one alert and one notification per search with new matches, exactly once,
however often, however many at once, and however it was stopped."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from tests.alerts.conftest import D, alerts, counts, noon, notifications
from webapp.alerts import service
from webapp.core.extensions import db
from webapp.directory.query import Condition, Query


@pytest.fixture(autouse=True)
def _mail_to_inbox(inbox):
    """Alert e-mails go to a real SMTP server (the users' e-mail alerts are on by default)."""


# --- what one run does ----------------------------------------------------------

def test_a_run_records_one_alert_per_search_with_new_matches_and_its_count(ctx, db_conn, five_searches, save):
    quiet = save("Nobody new", city="hamburg")
    outcome = service.run(D)
    assert alerts(db_conn) == {search_id: (D, n) for search_id, n in five_searches.items()}
    assert quiet not in alerts(db_conn)
    assert (outcome.searches_matched, outcome.alerts_recorded) == (5, 5)
    assert outcome.delivered == {"in-app": (5, 0), "e-mail": (5, 0)}


def test_a_run_moves_each_alerted_search_window_to_the_day(ctx, db_conn, five_searches, save):
    quiet = save("Nobody new", city="hamburg")
    service.run(D)
    last = dict(db_conn.execute("select search_id, last_alert_dt from saved_search").fetchall())
    assert {search_id: last[search_id] for search_id in five_searches} == dict.fromkeys(five_searches, D)
    assert last[quiet] is None


def test_each_alert_becomes_a_notification_for_the_searchs_owner_titled_with_count_city_and_name(
        ctx, db_conn, save, photographers):
    search_id = save("Editorial shoots")
    photographers("berlin", 3)
    service.run(D)
    owner = db_conn.execute("select user_id from saved_search where search_id = %s", (search_id,)).fetchone()[0]
    assert notifications(db_conn) == [(search_id, owner, "3 new photographers in Berlin for ‘Editorial shoots’",
                                       True)]


def test_an_unnamed_search_is_titled_by_its_description(ctx, db_conn, save, make_profile):
    save(None, query=Query(all=(Condition("role_tags", "has", "photographer"),
                                Condition("style_tags", "has", "editorial"))))
    make_profile("Ed", roles=("photographer",), styles=("editorial",), created_at=noon(D))
    service.run(D)
    assert notifications(db_conn)[0][2] == "1 new photographer in Berlin for ‘Photographers in Berlin · editorial’"


def test_a_paused_search_is_skipped(ctx, db_conn, save, photographers):
    paused = save("On holiday", paused_until=D)
    photographers("berlin", 2)
    service.run(D)
    assert counts(db_conn) == (0, 0)
    last_alert = db_conn.execute("select last_alert_dt from saved_search where search_id = %s", (paused,)).fetchone()
    assert last_alert == (None,)


def test_each_alert_is_e_mailed_once_to_the_owner_of_a_search_with_e_mail_on(ctx, db_conn, save, photographers,
                                                                            inbox):
    on = save("Editorial shoots")
    off = save("Quiet one", city="paris")
    db_conn.execute("update saved_search set email_alerts = false where search_id = %s", (off,))
    photographers("berlin", 3)
    photographers("paris", 2)
    service.run(D)
    owner = db_conn.execute("select u.email from saved_search s join app_user u using (user_id)"
                            " where s.search_id = %s", (on,)).fetchone()[0]
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [
        (owner, "3 new photographers in Berlin for ‘Editorial shoots’")]
    sent = dict(db_conn.execute("select search_id, email_sent from saved_search_alert").fetchall())
    assert sent == {on: True, off: False}
    assert len(notifications(db_conn)) == 2  # in-app goes on for both


def test_an_e_mail_the_server_did_not_take_is_sent_by_the_next_run(app, ctx, db_conn, save, photographers, inbox):
    from bench.common import free_port

    save("Editorial shoots")
    photographers("berlin", 3)
    working = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    try:
        first = service.run(D)
    finally:
        app.config["SMTP_URL"] = working
    assert first.delivered["e-mail"] == (0, 1)
    assert db_conn.execute("select email_sent, inapp_created from saved_search_alert").fetchone() == (False, True)
    again = service.run(D)
    assert again.delivered["e-mail"] == (1, 0)
    assert len(inbox.messages) == 1


def test_an_alert_not_e_mailed_within_a_week_is_no_longer_e_mailed(ctx, db_conn, save, photographers, inbox):
    save("Editorial shoots")
    photographers("berlin", 3)
    db_conn.execute("update saved_search set email_alerts = false")
    service.run(D)
    db_conn.execute("update saved_search set email_alerts = true")
    assert service.run(D + timedelta(days=service.EMAIL_DAYS)).delivered["e-mail"] == (0, 0)
    assert inbox.messages == []
    assert service.run(D + timedelta(days=service.EMAIL_DAYS - 1)).delivered["e-mail"] == (1, 0)


# --- exactly once -----------------------------------------------------------------

def test_running_the_day_again_adds_nothing(ctx, db_conn, five_searches, inbox):
    service.run(D)
    before = (alerts(db_conn), notifications(db_conn), len(inbox.messages))
    outcome = service.run(D)
    assert (alerts(db_conn), notifications(db_conn), len(inbox.messages)) == before
    assert (outcome.searches_matched, outcome.alerts_recorded) == (0, 0)
    assert outcome.delivered == {"in-app": (0, 0), "e-mail": (0, 0)}


def test_two_runs_at_once_that_found_the_same_matches_record_and_notify_each_search_once(
        app, db_conn, five_searches, inbox, monkeypatch):
    # Both runs have read the same matches before either writes: the race the unique keys must win.
    both_matched = threading.Barrier(2, timeout=30)
    record = service._record_batch

    def record_after_both_matched(day, batch):
        both_matched.wait()
        return record(day, batch)

    monkeypatch.setattr(service, "_record_batch", record_after_both_matched)
    outcomes, errors = [], []

    def one_run():
        try:
            with app.app_context():
                outcomes.append(service.run(D))
                db.session.remove()
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert alerts(db_conn) == {search_id: (D, n) for search_id, n in five_searches.items()}
    assert [row[0] for row in notifications(db_conn)] == sorted(five_searches)
    assert sorted(o.searches_matched for o in outcomes) == [5, 5]
    assert sum(o.alerts_recorded for o in outcomes) == 5
    assert sorted(m["Message-ID"] for m in inbox.messages) == sorted({m["Message-ID"] for m in inbox.messages})
    assert len(inbox.messages) == 5
    assert sum(o.delivered["in-app"].done for o in outcomes) == 5


# A run in its own process that stops for good right after committing its first batch of `phase`
# (batches of 2), so the test can kill it there with SIGKILL.
_STOPPING_RUN = """
import sys, time
from datetime import date
from webapp import create_app
from webapp.alerts import service
from webapp.core.config import sqlalchemy_url

url, smtp_url, phase, day = sys.argv[1:]
app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url), "SMTP_URL": smtp_url})
service.BATCH = 2
name = {"record": "_record_batch", "deliver": "_deliver_inapp_batch"}[phase]
first_batch = getattr(service, name)

def then_stop(*args):
    first_batch(*args)
    print("one batch committed", flush=True)
    time.sleep(600)

setattr(service, name, then_stop)
with app.app_context():
    service.run(date.fromisoformat(day))
"""


def kill_after_first_batch(database_url: str, smtp_url: str, phase: str) -> None:
    process = subprocess.Popen([sys.executable, "-c", _STOPPING_RUN, database_url, smtp_url, phase, D.isoformat()],
                               stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    try:
        assert process.stdout.readline().strip() == "one batch committed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("phase", ["record", "deliver"])
def test_a_run_killed_half_way_is_finished_by_the_next_with_nothing_lost_or_doubled(
        app, ctx, db_conn, database_url, five_searches, inbox, phase):
    kill_after_first_batch(database_url, app.config["SMTP_URL"], phase)
    recorded, notified = counts(db_conn)
    # Killed where it stopped: every search fully recorded or untouched, every alert notified or not.
    assert (recorded, notified) == ((2, 0) if phase == "record" else (5, 2))
    windows_closed = db_conn.execute("select count(*) from saved_search where last_alert_dt = %s", (D,)).fetchone()[0]
    assert windows_closed == recorded

    service.run(D)
    assert alerts(db_conn) == {search_id: (D, n) for search_id, n in five_searches.items()}
    assert [(row[0], row[3]) for row in notifications(db_conn)] == [(s, True) for s in sorted(five_searches)]
    assert len(inbox.messages) == 5


# --- shards -------------------------------------------------------------------------

def test_the_shards_together_do_what_one_whole_run_does(ctx, db_conn, save, photographers):
    for n, city in enumerate(["berlin", "paris", "milan", "london", "lyon", "munich", "miami"], start=1):
        for k in range(2):
            save(f"Shoots {n}.{k}", city=city)
        photographers(city, n)
    for i in range(3):
        service.run(D, (i, 3))
    sharded = (alerts(db_conn), notifications(db_conn))
    db_conn.execute("delete from saved_search_alert")
    db_conn.execute("update saved_search set last_alert_dt = null")
    service.run(D)
    assert (alerts(db_conn), notifications(db_conn)) == sharded
    assert len(sharded[0]) == 14


def test_a_shard_delivers_only_its_own_searches_alerts(ctx, db_conn, five_searches):
    by_shard = [service.run(D, (i, 2)).delivered["in-app"].done for i in range(2)]
    assert sum(by_shard) == 5 and counts(db_conn) == (5, 5)
    assert [service.run(D, (i, 2)).delivered["in-app"].done for i in range(2)] == [0, 0]


# --- the command ------------------------------------------------------------------

def test_the_command_runs_a_day_and_says_what_it_did(app, runner, db_conn, five_searches):
    result = runner.invoke(args=["alerts", "run", "--date", D.isoformat()])
    assert result.exit_code == 0, result.output
    assert "5 search(es) with new matches, 5 alert(s) recorded; delivered: 5 in-app, 5 e-mail" in result.output
    assert counts(db_conn) == (5, 5)


def test_without_a_date_the_command_runs_yesterday(app, runner, db_conn, five_searches, pinned_clock):
    pinned_clock.now = noon(D + timedelta(days=1))
    assert runner.invoke(args=["alerts", "run"]).exit_code == 0
    assert set(alerts(db_conn).values()) == {(D, n) for n in five_searches.values()}


@pytest.mark.parametrize("args, message", [
    (["--date", "18/03/2026"], "a day is YYYY-MM-DD"),
    (["--date", "2026-02-30"], "a day is YYYY-MM-DD"),
    (["--date", "2026-03-20"], "has not come yet"),
    (["--shard", "3/3"], "0 ≤ i < n"),
    (["--shard", "-1/3"], "a shard is i/n"),
    (["--shard", "1"], "a shard is i/n"),
    (["--shard", "a/b"], "a shard is i/n"),
])
def test_bad_input_is_a_clear_error_exit_2_and_nothing_written(app, runner, db_conn, five_searches, pinned_clock,
                                                                args, message):
    pinned_clock.now = noon(D + timedelta(days=1))
    result = runner.invoke(args=["alerts", "run", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert counts(db_conn) == (0, 0)
    assert db_conn.execute("select count(*) from saved_search where last_alert_dt is not null").fetchone() == (0,)


def test_the_run_gets_the_jobs_statement_timeout_not_the_webs(ctx, app, monkeypatch):
    monkeypatch.setitem(app.config, "ALERTS_STATEMENT_TIMEOUT", 123)
    with service.job_timeouts(app.config["ALERTS_STATEMENT_TIMEOUT"]):
        inside = db.session.execute(db.text("show statement_timeout")).scalar()
        db.session.commit()
    outside = db.session.execute(db.text("show statement_timeout")).scalar()
    db.session.commit()
    assert (inside, outside) == ("123s", "5s")
