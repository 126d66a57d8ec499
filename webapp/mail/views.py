"""/dev/outbox: read the e-mails the app would have sent (development only)."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import current_app

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


@bp.get("/outbox")
@login_required
def outbox():
    folder = _outbox()
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)[:200] if folder.exists() else []
    messages = [{"id": p.stem, "msg": _read(p)} for p in files]
    return render_page("mail/outbox.html", messages=messages)


@bp.get("/outbox/<message_id>")
@login_required
def outbox_message(message_id: str):
    folder = _outbox()
    path = folder / f"{message_id}.eml"
    if not message_id.replace("-", "").replace(".", "").isalnum() or not path.exists():
        raise NotFound(message_id)
    message = _read(path)
    body = message.get_body(preferencelist=("plain",))
    return render_page("mail/message.html", message=message, text=body.get_content() if body else "")
