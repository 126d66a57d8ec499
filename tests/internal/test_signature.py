"""Only a request signed with the shared secret is heard: anything else is a 401 in JSON, and
nothing is recorded (no event, no ledger entry, no balance change)."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from tests.internal.conftest import PATH, body_of, redeem, signed_headers
from webapp.core.security import SIGNATURE_HEADER

OTHER_SECRET = "a-different-secret-the-marketplace-never-had-0123"


def unsigned(body: bytes, secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json"}


def wrong_hex(body: bytes, secret: str) -> dict[str, str]:
    return {**signed_headers(body, secret), SIGNATURE_HEADER: "sha256=" + "0" * 64}


def other_secret(body: bytes, secret: str) -> dict[str, str]:
    return signed_headers(body, OTHER_SECRET)


def sha1_prefix(body: bytes, secret: str) -> dict[str, str]:
    return {**signed_headers(body, secret),
            SIGNATURE_HEADER: "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()}


def bare_hex(body: bytes, secret: str) -> dict[str, str]:
    """The right digest without its "sha256=" prefix."""
    return {**signed_headers(body, secret), SIGNATURE_HEADER: signed_headers(body, secret)[SIGNATURE_HEADER][7:]}


def changed_by_one_byte(body: bytes, secret: str) -> dict[str, str]:
    """Signed, then the body changed (see the test: the signature is of the body before)."""
    return signed_headers(body.replace(b'"max_cents": 700', b'"max_cents": 800'), secret)


FORGERIES = [unsigned, wrong_hex, other_secret, sha1_prefix, bare_hex, changed_by_one_byte]


@pytest.fixture
def buyer(make_user, give_credit):
    user = make_user("member", name="Bea Buyer")
    give_credit(user, 1_000)
    return user


@pytest.mark.parametrize("forge", FORGERIES, ids=[f.__name__ for f in FORGERIES])
def test_a_request_not_signed_with_the_secret_is_refused_and_records_nothing(app, client, buyer, recorded, balance,
                                                                             forge):
    body = body_of(redeem(buyer, 700)).replace(b'"max_cents": 800', b'"max_cents": 700')
    assert b'"max_cents": 700' in body
    before = recorded()
    response = client.post(PATH, data=body, headers=forge(body, app.config["INTERNAL_EVENTS_SECRET"]))
    assert response.status_code == 401
    assert response.is_json and response.json["error"] == "Signature missing or wrong"
    assert recorded() == before
    assert balance(buyer) == 1_000


def test_the_same_request_signed_with_the_secret_is_applied(send, buyer, balance):
    """The refusals above are the signature's doing: signed, the same redeem goes through."""
    response = send(redeem(buyer, 700))
    assert response.status_code == 200 and response.json == {"redeemed_cents": 700, "balance_cents": 300}
    assert balance(buyer) == 300


def test_a_signature_in_upper_case_hex_is_refused(app, client, buyer, recorded):
    """The exact form GitHub's signatures take: lower-case hex, compared as sent."""
    body = body_of(redeem(buyer, 100))
    header = signed_headers(body, app.config["INTERNAL_EVENTS_SECRET"])[SIGNATURE_HEADER]
    before = recorded()
    response = client.post(PATH, data=body, headers={SIGNATURE_HEADER: "sha256=" + header[7:].upper()})
    assert response.status_code == 401 and recorded() == before


def test_an_earlier_secret_still_verifies_while_it_rotates_out(make_app, buyer, balance):
    """The marketplace switches to a new secret when it can: until then its old one is still heard."""
    rotated = make_app({"TESTING": True, "INTERNAL_EVENTS_SECRET": "the-new-secret-both-sides-agreed-on-42",
                        "INTERNAL_EVENTS_SECRET_FALLBACKS": [OTHER_SECRET]})
    body = body_of(redeem(buyer, 250))
    response = rotated.test_client().post(PATH, data=body, headers=signed_headers(body, OTHER_SECRET))
    assert response.status_code == 200 and balance(buyer) == 750


def test_a_refusal_is_json_whatever_the_caller_accepts(client, buyer):
    body = body_of(redeem(buyer, 100))
    response = client.post(PATH, data=body, headers={"Accept": "text/html"})
    assert response.status_code == 401 and response.mimetype == "application/json"


def test_an_unsigned_body_is_refused_before_anything_reads_it(client, recorded):
    """Not JSON, or text PostgreSQL could not store: an unsigned caller learns only that it is unsigned."""
    before = recorded()
    for body in (b"not json at all", b'{"id": "evt\\u0000", "type": "credit.redeem"}'):
        response = client.post(PATH, data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 401, body
    assert recorded() == before


def test_the_endpoint_takes_no_session_and_sets_no_cookie(send, client, buyer):
    response = send(redeem(buyer, 100))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("growthdesk_session") is None


def test_a_body_larger_than_an_event_is_refused_unread(app, client, recorded):
    body = b'{"pad": "' + b"x" * 70_000 + b'"}'
    before = recorded()
    response = client.post(PATH, data=body, headers=signed_headers(body, app.config["INTERNAL_EVENTS_SECRET"]))
    assert response.status_code == 413 and response.is_json
    assert recorded() == before


def test_only_post_is_heard(client):
    assert client.get(PATH).status_code == 405
