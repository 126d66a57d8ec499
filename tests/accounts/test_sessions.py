"""Sessions that end: log-out, a password change and "sign out everywhere" make every copy of
the session cookie useless at once, on this host and on any other sharing the database."""
import pytest

from tests.conftest import TEST_PASSWORD, Auth, csrf_token, page_text
from webapp.accounts.loader import SESSION_KEY

COOKIE = "growthdesk_session"
NEW_PASSWORD = "brand-new-secret"


def copy_cookie(client, app):
    """A second browser, on `app`, holding the same session cookie as `client` (a stolen copy)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def change_password(auth):
    return auth.post("/settings/password", {"pw-current_password": TEST_PASSWORD, "pw-new_password": NEW_PASSWORD,
                                            "pw-confirm_password": NEW_PASSWORD}, page="/settings")


ENDINGS = {
    "logout": lambda auth: auth.logout(),
    "password change": change_password,
    "sign out everywhere": lambda auth: auth.post("/settings/sign-out-everywhere", page="/settings"),
}


@pytest.fixture(params=["this host", "another host"])
def host(request, app, make_app):
    """Where the copied cookie is used: the app the user signed in on, or a second one on the same database."""
    return app if request.param == "this host" else make_app({"TESTING": True})


@pytest.mark.parametrize("ending", ENDINGS)
def test_after_the_session_ends_a_copy_of_its_cookie_opens_nothing(ending, host, signed_in, auth, client):
    signed_in()
    thief = copy_cookie(client, host)
    assert thief.get("/settings").status_code == 200  # the copy works while the session lives
    ENDINGS[ending](auth)
    response = thief.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("ending", ENDINGS)
def test_after_the_session_ends_a_copy_of_its_cookie_changes_nothing(ending, host, signed_in, auth, client, db_conn):
    user = signed_in(name="Kept Name")
    thief = copy_cookie(client, host)
    token = csrf_token(thief.get("/settings").get_data(as_text=True))  # taken while the session lived
    ENDINGS[ending](auth)
    response = thief.post("/settings", data={"display_name": "Stolen", "email_alerts": "y", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert db_conn.execute("select display_name from app_user where user_id = %s",
                           (user["user_id"],)).fetchone()[0] == "Kept Name"


def test_logging_in_again_after_logout_works(signed_in, auth, client):
    user = signed_in()
    auth.logout()
    assert auth.login(user["email"]).status_code == 303
    assert client.get("/settings").status_code == 200


def test_logging_in_again_after_signing_out_everywhere_works(signed_in, auth, client):
    user = signed_in()
    response = auth.post("/settings/sign-out-everywhere", page="/settings")
    assert response.headers["Location"] == "/login"
    assert "signed out on every device" in page_text(client.get("/login"))
    assert auth.login(user["email"]).status_code == 303
    assert client.get("/settings").status_code == 200


def test_logging_out_on_one_device_leaves_the_others_signed_in(signed_in, auth, client, app):
    user = signed_in()
    phone = Auth(app.test_client())
    assert phone.login(user["email"]).status_code == 303  # the phone is signed in before anything ends
    auth.logout()
    assert phone.client.get("/settings").status_code == 200


def test_signing_out_everywhere_ends_every_device(signed_in, auth, client, app):
    user = signed_in()
    phone = Auth(app.test_client())
    assert phone.login(user["email"]).status_code == 303  # the phone is signed in before anything ends
    auth.post("/settings/sign-out-everywhere", page="/settings")
    assert phone.client.get("/settings").status_code == 302


def test_a_password_change_ends_the_other_devices_and_keeps_this_one(signed_in, auth, client, app):
    user = signed_in()
    phone = Auth(app.test_client())
    assert phone.login(user["email"]).status_code == 303  # the phone is signed in before anything ends
    assert change_password(auth).status_code == 303
    assert client.get("/settings").status_code == 200
    assert phone.client.get("/settings").status_code == 302
    assert phone.login(user["email"], NEW_PASSWORD).status_code == 303


def test_an_expired_session_opens_nothing(signed_in, client, db_conn):
    user = signed_in()
    db_conn.execute("update user_session set created_at = now() - interval '15 days',"
                    " expires_at = now() - interval '1 day' where user_id = %s", (user["user_id"],))
    assert client.get("/settings").status_code == 302


def test_a_cookie_without_a_session_id_opens_nothing(signed_in, client):
    signed_in()
    with client.session_transaction() as session:  # as signed before sessions had rows
        del session[SESSION_KEY]
    assert client.get("/settings").status_code == 302


def test_a_role_given_elsewhere_shows_on_the_next_page(signed_in, client, db_conn):
    user = signed_in("member")
    assert client.get("/growth").status_code == 403
    db_conn.execute("update app_user set role = 'growth' where user_id = %s", (user["user_id"],))
    assert client.get("/growth").status_code == 200


def test_a_log_in_clears_the_accounts_ended_sessions(signed_in, auth, db_conn):
    user = signed_in()
    for _ in range(3):
        auth.logout()
        auth.login(user["email"])
    assert db_conn.execute("select count(*), count(revoked_at) from user_session where user_id = %s",
                           (user["user_id"],)).fetchone() == (1, 0)


def test_the_command_signs_an_account_out_everywhere(signed_in, client, runner):
    user = signed_in()
    result = runner.invoke(args=["users", "sign-out-everywhere", user["email"].upper()])
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended" in result.output
    assert client.get("/settings").status_code == 302


def test_the_command_names_an_unknown_email(runner):
    result = runner.invoke(args=["users", "sign-out-everywhere", "nobody@example.test"])
    assert result.exit_code != 0
    assert "No account with e-mail nobody@example.test" in result.output
