"""Text PostgreSQL cannot store (a NUL byte, a lone surrogate) is a clear 400 wherever it comes in.

One rule at the edge (webapp/core/edge.py) looks at the path, the query string, form fields and
JSON bodies before any view runs, so no field can forget it; these tests try each way in.
"""
from tests.conftest import csrf_token, page_text

CLEAR = "cannot be stored"


def test_a_nul_in_the_log_in_email_is_a_clear_400(client, make_user):
    user = make_user()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user["email"] + "\x00", "password": user["password"],
                                           "csrf_token": token})
    assert response.status_code == 400
    assert CLEAR in page_text(response)
    assert "(email)" in page_text(response)  # which field


def test_a_nul_in_a_query_parameter_is_a_clear_400(client, signed_in):
    signed_in()
    response = client.get("/people?city=ber%00lin")
    assert response.status_code == 400
    assert CLEAR in page_text(response)


def test_a_nul_in_a_path_segment_is_a_clear_400(client, signed_in):
    signed_in()
    response = client.get("/people/usr_%00")
    assert response.status_code == 400
    assert CLEAR in page_text(response)


def test_a_sign_up_with_a_nul_in_a_field_writes_nothing(client, db_conn):
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={
        "display_name": "Ada\x00Lens", "email": "ada@example.com", "password": "a-long-password",
        "role": "member", "provider_role": "", "city": "berlin", "csrf_token": token})
    assert response.status_code == 400
    assert CLEAR in page_text(response)
    assert db_conn.execute("select count(*) from app_user").fetchone()[0] == 0


def test_an_htmx_request_with_a_nul_gets_the_400_message_partial(client, signed_in):
    signed_in()
    response = client.get("/people?city=%00", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"
    assert CLEAR in page_text(response) and "<html" not in response.get_data(as_text=True)


def test_a_lone_surrogate_in_a_json_body_is_a_400_json_error(client):
    # JSON's \u escapes can spell half a surrogate pair, which no UTF-8 text can hold.
    response = client.post("/login", data='{"email": "ada\\ud800@example.com"}', content_type="application/json",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert CLEAR in response.get_json()["message"]


def test_a_nul_in_a_json_key_is_a_400_json_error(client):
    response = client.post("/login", data='{"e\\u0000mail": "ada@example.com"}', content_type="application/json",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert CLEAR in response.get_json()["message"]
