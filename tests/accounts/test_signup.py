"""Signing up: a new member or provider gets an account and is signed in."""
from tests.conftest import csrf_token, page_text


def signup_form(client, **overrides):
    data = {
        "display_name": "Ada Lens", "email": "ada@example.com", "password": "a-long-password",
        "role": "member", "provider_role": "", "city": "berlin",
    }
    data.update(overrides)
    data["csrf_token"] = csrf_token(client.get("/signup").get_data(as_text=True))
    return client.post("/signup", data=data)


def test_signing_up_lands_on_the_dashboard(client):
    response = signup_form(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "Hello, Ada Lens" in client.get("/").get_data(as_text=True)


def test_a_provider_gets_a_directory_profile(client, db_conn):
    signup_form(client, role="provider", provider_role="photographer", email="pro@example.com")
    row = db_conn.execute(
        "select p.role_tags, p.city from service_profile p join app_user u using (user_id) where u.email = %s",
        ("pro@example.com",),
    ).fetchone()
    assert row == (["photographer"], "berlin")


def test_a_provider_must_say_what_they_do(client, db_conn):
    response = signup_form(client, role="provider", provider_role="")
    assert response.status_code == 422
    assert "Tell us what you do." in page_text(response)
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_an_email_can_hold_only_one_account_whatever_its_case(client, make_user):
    make_user(email="ada@example.com")
    response = signup_form(client, email="ADA@Example.com")
    assert response.status_code == 422
    assert "already exists" in page_text(response)


def test_a_taken_email_is_told_beside_the_email_field(client, make_user):
    make_user(email="ada@example.com")
    body = page_text(signup_form(client))
    assert 'id="email-error">An account with that e-mail already exists. Log in instead.</p>' in body


def test_the_password_hint_states_the_length_the_sign_up_enforces(client):
    from webapp.accounts.service import MIN_PASSWORD_LENGTH

    body = page_text(client.get("/signup"))
    assert f"At least {MIN_PASSWORD_LENGTH} characters." in body and f'minlength="{MIN_PASSWORD_LENGTH}"' in body


def test_a_short_password_is_refused_with_a_message(client, db_conn):
    response = signup_form(client, password="short")
    assert response.status_code == 422
    assert "at least 10 characters" in page_text(response)
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_nobody_can_sign_up_into_the_growth_team(client, db_conn):
    response = signup_form(client, role="growth")
    assert response.status_code == 422
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_an_unknown_city_is_refused(client):
    response = signup_form(client, city="atlantis")
    assert response.status_code == 422
    assert "Not a valid choice" in page_text(response)


def test_passwords_are_stored_as_argon2_hashes(client, db_conn):
    signup_form(client)
    stored = db_conn.execute("select password_hash from app_user").fetchone()[0]
    assert stored.startswith("$argon2") and "a-long-password" not in stored


def test_signup_without_a_csrf_token_is_refused(client, db_conn):
    response = client.post("/signup", data={"display_name": "X", "email": "x@example.com",
                                             "password": "a-long-password", "role": "member", "city": "berlin"})
    assert response.status_code == 400
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0
