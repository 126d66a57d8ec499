"""/settings: a user changes their own name, alert default, sensitive opt-in and password."""
from tests.conftest import TEST_PASSWORD, page_text


def test_settings_change_name_and_preferences(signed_in, auth, db_conn):
    user = signed_in()
    response = auth.post("/settings", {"display_name": "New Name", "email_alerts": "", "sensitive_opt_in": "y"},
                         page="/settings")
    assert response.status_code == 303
    row = db_conn.execute("select display_name, email_alerts, sensitive_opt_in from app_user where user_id = %s",
                          (user["user_id"],)).fetchone()
    assert row == ("New Name", False, True)


def test_an_empty_display_name_is_refused(signed_in, auth, db_conn):
    user = signed_in(name="Kept Name")
    response = auth.post("/settings", {"display_name": "  "}, page="/settings")
    assert response.status_code == 422
    assert "Enter the name others see." in page_text(response)
    assert db_conn.execute("select display_name from app_user where user_id = %s",
                           (user["user_id"],)).fetchone()[0] == "Kept Name"


def test_htmx_settings_errors_come_back_as_the_form_partial(signed_in, auth, client):
    signed_in()
    response = client.post("/settings", data={"display_name": "", "csrf_token": auth.token("/settings")},
                           headers={"HX-Request": "true"})
    body = page_text(response)
    assert response.status_code == 422
    assert body.lstrip().startswith("<form") and "<html" not in body


def test_changing_the_password_needs_the_current_one(signed_in, auth):
    signed_in()
    response = auth.post("/settings/password", {"pw-current_password": "not-it", "pw-new_password": "brand-new-secret",
                                                "pw-confirm_password": "brand-new-secret"}, page="/settings")
    assert response.status_code == 422
    assert "current password is not right" in page_text(response)


def test_a_changed_password_is_the_one_that_logs_in(signed_in, auth):
    user = signed_in()
    response = auth.post("/settings/password", {"pw-current_password": TEST_PASSWORD,
                                                "pw-new_password": "brand-new-secret",
                                                "pw-confirm_password": "brand-new-secret"}, page="/settings")
    assert response.status_code == 303
    auth.logout()
    assert auth.login(user["email"], TEST_PASSWORD).status_code == 422
    assert auth.login(user["email"], "brand-new-secret").status_code == 303


def test_settings_need_a_signed_in_user(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
