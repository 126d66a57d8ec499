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
    assert "Choose what you do: providers are listed by it in the directory." in page_text(response)
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_an_email_can_hold_only_one_account_whatever_its_case(client, make_user):
    make_user(email="ada@example.com")
    response = signup_form(client, email="ADA@Example.com")
    assert response.status_code == 422
    assert "That e-mail already has an account" in page_text(response)


def test_a_taken_email_is_told_beside_the_email_field_with_a_link_to_log_in(client, make_user):
    make_user(email="ada@example.com")
    body = page_text(signup_form(client))
    assert ('id="email-error">'
            'That e-mail already has an account — <a href="/login">log in?</a></p>') in body


def test_the_password_hint_states_the_length_the_sign_up_enforces(client):
    from webapp.accounts.service import MIN_PASSWORD_LENGTH

    body = page_text(client.get("/signup"))
    assert f"At least {MIN_PASSWORD_LENGTH} characters." in body and f'minlength="{MIN_PASSWORD_LENGTH}"' in body


def test_a_short_password_is_refused_with_the_length_the_sign_up_enforces(client, db_conn):
    from webapp.accounts.service import MIN_PASSWORD_LENGTH

    response = signup_form(client, password="short")
    assert response.status_code == 422
    assert f'id="password-error">At least {MIN_PASSWORD_LENGTH} characters.' \
        in page_text(response)
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_nobody_can_sign_up_into_the_growth_team(client, db_conn):
    response = signup_form(client, role="growth")
    assert response.status_code == 422
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_an_unknown_city_is_refused_with_what_to_do(client):
    response = signup_form(client, city="atlantis")
    assert response.status_code == 422
    assert "Choose your city from the list." in page_text(response)
    assert "Not a valid choice" not in page_text(response)


def test_passwords_are_stored_as_argon2_hashes(client, db_conn):
    signup_form(client)
    stored = db_conn.execute("select password_hash from app_user").fetchone()[0]
    assert stored.startswith("$argon2") and "a-long-password" not in stored


def test_signup_without_a_csrf_token_is_refused(client, db_conn):
    response = client.post("/signup", data={"display_name": "X", "email": "x@example.com",
                                             "password": "a-long-password", "role": "member", "city": "berlin"})
    assert response.status_code == 400
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_a_long_password_is_refused_with_the_longest_the_sign_up_takes(client):
    from webapp.accounts.service import MAX_PASSWORD_LENGTH

    response = signup_form(client, password="x" * (MAX_PASSWORD_LENGTH + 1))
    assert response.status_code == 422
    assert f"At most {MAX_PASSWORD_LENGTH} characters." in page_text(response)


def test_each_empty_field_says_what_to_enter(client):
    body = page_text(signup_form(client, display_name="", email="", password=""))
    assert "This field is required." not in body
    assert "Enter your name, as others will see it." in body
    assert "Enter your e-mail address." in body
    assert "Choose a password." in body


def test_an_address_that_is_not_one_says_what_an_address_looks_like(client):
    assert "Enter an e-mail address like name@example.com." in page_text(signup_form(client, email="ada-at-home"))


def test_a_long_name_is_refused_with_the_longest_the_account_takes(client):
    from webapp.accounts.service import MAX_NAME_LENGTH

    body = page_text(signup_form(client, display_name="N" * (MAX_NAME_LENGTH + 1)))
    assert f"At most {MAX_NAME_LENGTH} characters." in body
    assert f"As others will see it, up to {MAX_NAME_LENGTH} characters." in body


def test_a_failed_sign_up_opens_with_a_summary_linking_each_message_to_its_field(client):
    from webapp.accounts.service import MIN_PASSWORD_LENGTH

    body = page_text(signup_form(client, display_name="", password="short"))
    start = body.index('<div class="error-summary"')
    summary = body[start:body.index("</div>", start)]
    assert 'tabindex="-1" autofocus' in summary and "Your account was not created" in summary
    assert '<a href="#display_name">Your name: Enter your name, as others will see it.</a>' in summary
    assert f'<a href="#password">Password: At least {MIN_PASSWORD_LENGTH} characters.</a>' in summary


def test_the_invalid_field_points_at_its_message_and_its_hint(client):
    body = page_text(signup_form(client, display_name=""))
    assert 'aria-describedby="display_name-error display_name-hint" aria-invalid="true"' in body


def test_a_message_that_repeats_the_hint_is_said_once(client):
    from webapp.accounts.service import MIN_PASSWORD_LENGTH

    body = page_text(signup_form(client, password="short"))
    assert 'aria-describedby="password-error" aria-invalid="true"' in body
    assert body.count(f"At least {MIN_PASSWORD_LENGTH} characters.") == 2  # the summary's link and the field's


def test_a_taken_email_in_the_summary_is_words_that_lead_to_the_field(client, make_user):
    make_user(email="ada@example.com")
    body = page_text(signup_form(client))
    assert '<li><a href="#email">E-mail: That e-mail already has an account — log in?</a></li>' in body


def test_an_htmx_sign_up_that_fails_answers_the_form_with_its_summary(client):
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    data = {"display_name": "", "email": "ada@example.com", "password": "a-long-password", "role": "member",
            "provider_role": "", "city": "berlin", "csrf_token": token}
    response = client.post("/signup", data=data, headers={"HX-Request": "true"})
    body = page_text(response)
    assert response.status_code == 422 and body.lstrip().startswith('<form id="signup-form"')
    assert 'class="error-summary"' in body and "autofocus" in body
