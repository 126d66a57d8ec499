"""`flask events send FILE`: signs the file's bytes with this environment's secret and posts them
to the running app (or through the app in-process with --local), printing the status and answer."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bench.common import free_port
from tests.internal.conftest import redeem
from webapp.core.security import SIGNATURE_HEADER, body_signature
from webapp.internal.events import parse

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "events"


@pytest.fixture
def bea(make_user, give_credit):
    user = make_user("member", name="Bea Buyer", email="bea@example.com")
    give_credit(user, 2_000)
    return user


@pytest.fixture
def event_file(tmp_path):
    def write(event: dict) -> Path:
        path = tmp_path / f"{event['id']}.json"
        path.write_text(json.dumps(event, indent=2))
        return path
    return write


@pytest.fixture
def live_app(app):
    """The suite's app served over HTTP on a free port, as `make run` would serve it."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join()


def test_send_posts_the_signed_file_to_the_running_app_and_prints_the_answer(runner, live_app, bea, event_file,
                                                                            balance):
    result = runner.invoke(args=["events", "send", str(event_file(redeem(bea, 500))), "--url", live_app])
    assert result.exit_code == 0, result.output
    assert result.output == 'HTTP 200\n{"redeemed_cents":500,"balance_cents":1500}\n'
    assert balance(bea) == 1_500


def test_sending_the_same_file_again_says_it_was_a_repeat(runner, live_app, bea, event_file, balance):
    path = str(event_file(redeem(bea, 500)))
    runner.invoke(args=["events", "send", path, "--url", live_app])
    result = runner.invoke(args=["events", "send", path, "--url", live_app])
    assert result.output.splitlines() == ["HTTP 200 (a repeat of this id: the first answer, nothing applied)",
                                          '{"redeemed_cents":500,"balance_cents":1500}']
    assert balance(bea) == 1_500


def test_send_local_applies_the_event_through_the_app_without_a_server(runner, bea, event_file, balance):
    result = runner.invoke(args=["events", "send", str(event_file(redeem(bea, 700))), "--local"])
    assert result.exit_code == 0 and result.output.startswith("HTTP 200\n")
    assert balance(bea) == 1_300


def test_with_nothing_listening_send_says_so(runner, bea, event_file, balance):
    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(args=["events", "send", str(event_file(redeem(bea, 700))), "--url", url])
    assert result.exit_code == 2
    assert f"Nothing answered at {url}" in result.output and "Is the app running?" in result.output
    assert balance(bea) == 2_000


def test_a_refused_event_exits_non_zero_with_the_app_s_answer(runner, bea, event_file):
    result = runner.invoke(args=["events", "send", str(event_file({**redeem(bea, 1), "max_cents": -1})), "--local"])
    assert result.exit_code == 1
    assert result.output.startswith("HTTP 400\n") and '"max_cents"' in result.output


def test_send_fills_in_accounts_by_e_mail_and_a_new_id(runner, bea, balance):
    example = EXAMPLES / "credit-redeem.json"
    result = runner.invoke(args=["events", "send", str(example), "--local", "--user", "user_id=bea@example.com",
                                 "--new-id"])
    assert result.exit_code == 0, result.output
    assert f'"user_id": "{bea["user_id"]}"' in result.output and "evt_example" not in result.output
    assert balance(bea) == 500  # the example's max_cents is 1,500


def test_an_unknown_e_mail_is_a_usage_error(runner, event_file, bea):
    result = runner.invoke(args=["events", "send", str(event_file(redeem(bea, 1))), "--local",
                                 "--user", "user_id=nobody@example.com"])
    assert result.exit_code == 2 and "no account has that e-mail" in result.output


def test_sign_prints_the_header_for_the_file_s_bytes(app, runner, tmp_path):
    path = tmp_path / "event.json"
    path.write_bytes(b'{"id": "evt_1", "type": "booking.refunded", "booking_id": "bkg_1"}\n')
    result = runner.invoke(args=["events", "sign", str(path)])
    secret = app.config["INTERNAL_EVENTS_SECRET"]
    assert result.output == f"{SIGNATURE_HEADER}: {body_signature(secret, path.read_bytes())}\n"


@pytest.mark.parametrize("name", ["booking-completed.json", "booking-refunded.json", "credit-redeem.json"])
def test_the_example_files_are_valid_events(name):
    assert parse((EXAMPLES / name).read_bytes()).type == name.removesuffix(".json").replace("-", ".", 1)


def test_the_booking_example_sent_as_the_demo_says_earns_the_inviter_s_reward(runner, referrals, provider):
    world = referrals(fixed=2_000, bips=0)
    nora = world.invitee()
    result = runner.invoke(args=["events", "send", str(EXAMPLES / "booking-completed.json"), "--local", "--new-id",
                                 "--now", "--user", f"buyer_user_id={nora['email']}",
                                 "--user", f"provider_user_id={provider['email']}"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "HTTP 200", f'{{"awarded":[{{"user_id":"{world.ada["user_id"]}","amount_cents":2000}}]}}']
