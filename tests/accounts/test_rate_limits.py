"""Rate limits that hold however many workers and hosts serve the app: per client in a shared
Redis, and failed log-ins per account in PostgreSQL (which holds without Redis too)."""
import os

import pytest
import redis

from tests.conftest import TEST_PASSWORD, csrf_token, page_text
from webapp.core import limits

# A Redis database of the suite's own (CI and developers' machines run Redis on this port).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def redis_url():
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    yield REDIS_URL
    store.flushdb()
    store.close()


def log_in(client, email, password="wrong-password", ip="127.0.0.1"):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


def test_two_hosts_sharing_redis_share_one_limit_on_wrong_passwords(redis_url, make_app):
    # One Flask-Limiter extension serves a whole process and counts where the app bound last
    # tells it, so the second host is made after the first host's attempts: a store of its
    # own (memory://) would start again from zero. Each guess is for another e-mail, so no
    # per-account count is reached: only the per-client limit can refuse.
    first = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": redis_url}).test_client()
    assert [log_in(first, f"guess{i}@example.test").status_code for i in range(6)] == [422] * 6
    second = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": redis_url}).test_client()
    assert [log_in(second, f"guess{i}@example.test").status_code for i in range(6, 10)] == [422] * 4
    assert log_in(second, "guess10@example.test").status_code == 429
    assert log_in(first, "guess11@example.test").status_code == 429


def test_an_account_is_locked_after_ten_wrong_passwords_across_hosts_without_redis(make_app, make_user):
    user = make_user()
    first = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"}).test_client()
    assert [log_in(first, user["email"]).status_code for _ in range(6)] == [422] * 6
    second = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"}).test_client()
    assert [log_in(second, user["email"]).status_code for _ in range(4)] == [422] * 4
    assert log_in(second, user["email"], TEST_PASSWORD).status_code == 429  # even the right password waits
    assert log_in(first, user["email"], TEST_PASSWORD).status_code == 429


def test_guesses_from_many_addresses_still_lock_the_account(client, make_user):
    user = make_user()
    statuses = [log_in(client, user["email"], ip=f"10.0.0.{i}").status_code for i in range(limits.LOGIN_FAILURES)]
    assert statuses == [422] * limits.LOGIN_FAILURES
    assert log_in(client, user["email"], TEST_PASSWORD, ip="10.0.1.1").status_code == 429


def test_a_locked_log_in_looks_the_same_whether_or_not_the_account_exists(client, make_user):
    user = make_user()
    answers = []
    for email in (user["email"], "nobody@example.test"):
        for i in range(limits.LOGIN_FAILURES):
            log_in(client, email, ip=f"10.0.{len(answers)}.{i}")
        answers.append(log_in(client, email, ip=f"10.1.{len(answers)}.1"))
    assert [a.status_code for a in answers] == [429, 429]
    pages = [page_text(a).replace(csrf_token(page_text(a)), "") for a in answers]  # each session's own token
    assert pages[0] == pages[1]


def test_the_locked_log_in_says_to_wait(client, make_user):
    user = make_user()
    for i in range(limits.LOGIN_FAILURES):
        log_in(client, user["email"], ip=f"10.0.0.{i}")
    response = log_in(client, user["email"], TEST_PASSWORD, ip="10.0.1.1")
    assert "Too many attempts" in page_text(response)
    assert 0 < int(response.headers["Retry-After"]) <= limits.LOGIN_LOCK.total_seconds()


def test_the_account_opens_again_once_the_lock_is_over(client, make_user, db_conn):
    user = make_user()
    for i in range(limits.LOGIN_FAILURES):
        log_in(client, user["email"], ip=f"10.0.0.{i}")
    db_conn.execute("update login_throttle set locked_until = now() - interval '1 second',"
                    " window_started_at = now() - interval '1 hour'")
    assert log_in(client, user["email"], TEST_PASSWORD, ip="10.0.1.1").status_code == 303


def test_a_successful_log_in_starts_the_count_again(app, make_user):
    user = make_user()
    for i in range(limits.LOGIN_FAILURES - 1):
        log_in(app.test_client(), user["email"], ip=f"10.0.0.{i}")
    assert log_in(app.test_client(), user["email"], TEST_PASSWORD, ip="10.0.1.1").status_code == 303
    statuses = [log_in(app.test_client(), user["email"], ip=f"10.0.2.{i}").status_code
                for i in range(limits.LOGIN_FAILURES - 1)]
    assert statuses == [422] * (limits.LOGIN_FAILURES - 1)


def test_wrong_current_passwords_in_settings_lock_the_log_in_too(signed_in, auth, app):
    user = signed_in()
    for _ in range(limits.LOGIN_FAILURES):
        auth.post("/settings/password", {"pw-current_password": "a-guess-at-it", "pw-new_password": "brand-new-secret",
                                         "pw-confirm_password": "brand-new-secret"}, page="/settings")
    assert log_in(app.test_client(), user["email"], TEST_PASSWORD, ip="10.0.1.1").status_code == 429


def test_log_in_still_works_while_the_rate_limit_store_is_down(make_app, make_user):
    user = make_user()
    client = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}).test_client()
    assert log_in(client, user["email"], TEST_PASSWORD).status_code == 303


def test_wrong_passwords_still_lock_the_account_while_the_rate_limit_store_is_down(make_app, make_user):
    user = make_user()
    client = make_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}).test_client()
    assert [log_in(client, user["email"]).status_code for _ in range(limits.LOGIN_FAILURES)] == \
        [422] * limits.LOGIN_FAILURES
    assert log_in(client, user["email"], TEST_PASSWORD).status_code == 429


def test_a_program_asking_for_json_gets_the_lock_as_json(client, make_user):
    user = make_user()
    for i in range(limits.LOGIN_FAILURES):
        log_in(client, user["email"], ip=f"10.0.0.{i}")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user["email"], "password": TEST_PASSWORD, "csrf_token": token},
                           headers={"Accept": "application/json"}, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
    assert response.get_json()["error"] == "Too many attempts"
