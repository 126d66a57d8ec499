"""`flask events …`: sign an event file with this environment's INTERNAL_EVENTS_SECRET and send it,
as the marketplace would. For operators (replaying an event the marketplace could not deliver)
and demos.

    flask --app wsgi events send docs/examples/events/credit-redeem.json --user user_id=buyer@demo.test --new-id
    flask --app wsgi events send event.json --url https://growthdesk.example   # another server
    flask --app wsgi events send event.json --local                            # through this app, in-process
    flask --app wsgi events sign event.json                                    # the header, for curl

The default address is the one `make run` serves: http://127.0.0.1:$PORT (8000 unless PORT is set,
as in gunicorn.conf.py).
"""
from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import NamedTuple
from urllib.parse import urljoin

import click
from flask import current_app, url_for

from ..accounts import queries as accounts
from ..core import clock
from ..core.ids import new_id
from ..core.security import SIGNATURE_HEADER, body_signature
from . import bp
from .views import REPLAYED_HEADER

TIMEOUT_S = 10


def default_url() -> str:
    # PORT is gunicorn's setting, not the app's (core/config.py's docstring): read here exactly as
    # gunicorn.conf.py reads it, so this names the server `make run` started.
    return f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"


class Reply(NamedTuple):
    status: int
    body: str
    replayed: bool


def _path() -> str:
    with current_app.test_request_context():
        return url_for("internal.events")


def _headers(body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json",
            SIGNATURE_HEADER: body_signature(current_app.config["INTERNAL_EVENTS_SECRET"], body)}


def post(base_url: str, body: bytes) -> Reply:
    """POST the signed body to the app at `base_url`; URLError when nothing answers there."""
    request = urllib.request.Request(urljoin(base_url, _path()), data=body, headers=_headers(body), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return Reply(response.status, response.read().decode(), response.headers.get(REPLAYED_HEADER) == "true")
    except urllib.error.HTTPError as exc:  # a 4xx or 5xx is still the app's answer
        return Reply(exc.code, exc.read().decode(errors="replace"), False)


def post_locally(body: bytes) -> Reply:
    """The same request through this app in-process (its database, its limits), no server needed."""
    response = current_app.test_client().post(_path(), data=body, headers=_headers(body))
    return Reply(response.status_code, response.get_data(as_text=True),
                 response.headers.get(REPLAYED_HEADER) == "true")


def _edited(body: bytes, users: tuple[str, ...], fresh_id: bool, now: bool) -> bytes:
    """The file's event with `--user FIELD=EMAIL` fields set to those accounts' ids; with --new-id,
    an id of its own (so one file can be sent again as a new event); with --now, occurred_at now."""
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise click.UsageError("--user, --new-id and --now need the file to hold a JSON object") from exc
    if not isinstance(event, dict):
        raise click.UsageError("--user, --new-id and --now need the file to hold a JSON object")
    for pair in users:
        field, _, email = pair.partition("=")
        login = accounts.get_login_row(email.strip()) if field and email else None
        if login is None:
            raise click.UsageError(f"--user {pair}: no account has that e-mail (give FIELD=EMAIL)")
        event[field.strip()] = login["user_id"]
    if fresh_id:
        event["id"] = new_id("evt")
    if now:
        event["occurred_at"] = clock.now().isoformat(timespec="seconds")
    return json.dumps(event, indent=2).encode()


@bp.cli.command("send")
@click.argument("file", type=click.File("rb"))
@click.option("--url", default=None, metavar="URL",
              help="The app's address (default: http://127.0.0.1:$PORT, what `make run` serves).")
@click.option("--local", is_flag=True, help="Apply it through this app in-process instead: no server needed.")
@click.option("--user", "users", multiple=True, metavar="FIELD=EMAIL",
              help="Set a user-id field to the id of the account with that e-mail (repeatable).")
@click.option("--new-id", "fresh_id", is_flag=True,
              help="Give the event a new id (else a repeat gets the first answer).")
@click.option("--now", is_flag=True, help="Set occurred_at to this moment.")
def send(file, url: str | None, local: bool, users: tuple[str, ...], fresh_id: bool, now: bool):
    """Sign FILE's bytes (a JSON event; - for standard input) and POST them to /internal/events;
    print the status and the answer. Exits 1 when the app refused it, 2 when nothing answered."""
    if local and url:
        raise click.UsageError("--local applies the event here; --url sends it to a server: choose one")
    body = file.read()
    if users or fresh_id or now:
        body = _edited(body, users, fresh_id, now)
        click.echo(body.decode())
    if local:
        reply = post_locally(body)
    else:
        base = url or default_url()
        try:
            reply = post(base, body)
        except urllib.error.URLError as exc:
            click.echo(f"Nothing answered at {base} ({getattr(exc, 'reason', exc)}). Is the app running? "
                       "`make run` serves it at http://127.0.0.1:8000; --url names another address, and "
                       "--local applies the event through this app without a server.", err=True)
            sys.exit(2)
    repeat = " (a repeat of this id: the first answer, nothing applied)" if reply.replayed else ""
    click.echo(f"HTTP {reply.status}{repeat}")
    click.echo(reply.body)
    if reply.status >= 400:
        sys.exit(1)


@bp.cli.command("sign")
@click.argument("file", type=click.File("rb"))
def sign(file):
    """Print FILE's X-Growth-Signature header, for sending it by other means (curl --data-binary @FILE)."""
    click.echo(f"{SIGNATURE_HEADER}: {body_signature(current_app.config['INTERNAL_EVENTS_SECRET'], file.read())}")
