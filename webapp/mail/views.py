"""/dev/outbox: read the e-mails the app would have sent (development only).

Each signed-in user sees only the messages addressed to them, the growth team included: a
development server may hold real people's invites and alerts, and their links carry tokens.
"""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from flask import current_app
from flask_login import current_user

from ..accounts.access import login_required
from ..core.errors import NotFound
from ..core.htmx import render_page
from . import bp


def _outbox() -> Path:
    if current_app.config["APP_ENV"] == "production" or current_app.config.get("SMTP_URL"):
        raise NotFound("outbox")
    return Path(current_app.config["OUTBOX_DIR"])


def _read(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def _for_reader(message) -> bool:
    """Addressed to the signed-in user (To or Cc; e-mail addresses compared case-insensitively)."""
    recipients = getaddresses([str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])
    return current_user.email.lower() in {address.lower() for _, address in recipients}


@bp.get("/outbox")
@login_required
def outbox():
    folder = _outbox()
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.exists() else []
    messages = []
    for path in files:
        message = _read(path)
        if _for_reader(message):
            messages.append({"id": path.stem, "msg": message})
            if len(messages) == 200:
                break
    return render_page("mail/outbox.html", messages=messages)


@bp.get("/outbox/<message_id>")
@login_required
def outbox_message(message_id: str):
    folder = _outbox()
    path = folder / f"{message_id}.eml"
    if not message_id.replace("-", "").replace(".", "").isalnum() or not path.exists():
        raise NotFound(message_id)
    message = _read(path)
    if not _for_reader(message):
        raise NotFound(message_id)
    body = message.get_body(preferencelist=("plain",))
    return render_page("mail/message.html", message=message, text=body.get_content() if body else "")
