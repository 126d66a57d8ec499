"""The page's one status region: a flashed message reaches it with and without JavaScript, and a
live-only announcement reaches it from an htmx answer alone."""
from pathlib import Path

from flask import Flask, flash, make_response

from webapp.core.htmx import announce, announce_out_of_band, redirect_to

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parents[2] / "templates"))
app.secret_key = "test only"
HX = {"HX-Request": "true"}
REGION = 'hx-swap-oob="innerHTML:#messages"'


def answer(view, headers: dict | None = None):
    with app.test_request_context("/people", method="POST", headers=headers):
        return announce_out_of_band(view())


def a_row_with(message: str):
    def view():
        flash(message, "success")
        return make_response("<tr id='row'><td>Row</td></tr>")
    return view


def test_an_htmx_answer_carries_the_flashed_message_into_the_status_region():
    body = answer(a_row_with("You follow Hannah Seidel."), HX).get_data(as_text=True)
    assert f'{REGION}><p class="message message--success">You follow Hannah Seidel.</p>' in body


def test_the_message_travels_in_a_template_so_it_parses_beside_a_table_row():
    body = answer(a_row_with("Revoked."), HX).get_data(as_text=True)
    assert body.endswith("</div></template>") and "<template><div " + REGION in body


def test_a_plain_answer_leaves_the_message_for_the_page_that_draws_it():
    with app.test_request_context("/people", method="POST"):
        response = announce_out_of_band(a_row_with("You follow Hannah Seidel.")())
        assert REGION not in response.get_data(as_text=True)
        from flask import get_flashed_messages
        assert get_flashed_messages() == ["You follow Hannah Seidel."]


def test_a_redirect_told_to_htmx_leaves_the_message_for_the_next_page():
    def view():
        flash("Deleted “Berlin photographers”.", "success")
        return redirect_to("/searches")
    response = answer(view, {**HX, "HX-Current-URL": "http://example.test/people"})
    assert response.status_code == 204 and response.get_data() == b""


def test_an_announcement_reaches_only_an_htmx_answer():
    def view():
        announce("3 people match")
        return make_response("<ul></ul>")
    assert "3 people match" in answer(view, HX).get_data(as_text=True)
    assert "3 people match" not in answer(view).get_data(as_text=True)


def test_an_answer_without_messages_is_left_alone():
    assert answer(lambda: make_response("<ul></ul>"), HX).get_data(as_text=True) == "<ul></ul>"
