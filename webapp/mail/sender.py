"""Build and deliver messages. `send()` returns only after the server (or the
outbox) accepted the message, so callers can record `email_sent` truthfully."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from ..core import clock

DEFAULT_FROM = "Growth desk <no-reply@growthdesk.invalid>"


class DeliveryError(RuntimeError):
    """The message was not accepted; nothing may be recorded as sent.

    Not one of core.errors' outcomes on purpose: no user input caused it and no user
    message fixes it. Callers (the alert run) catch it to retry; anywhere else it is a 500.
    """


def build_message(*, to: str, subject: str, text: str, html: str | None = None,
                  headers: dict[str, str] | None = None, sender: str = DEFAULT_FROM,
                  message_id: str | None = None) -> EmailMessage:
    """A text message, multipart/alternative when `html` is given. `message_id` (`<local@domain>`)
    replaces the random one for a message that may be sent again and must be known as the same
    (an alert resent after a crash: mail clients drop the copy)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id or make_msgid(domain="growthdesk.invalid")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Deliver via SMTP_URL, or write to the outbox folder in development."""
    smtp_url = current_app.config.get("SMTP_URL")
    if smtp_url:
        _send_smtp(smtp_url, message)
    else:
        _write_outbox(Path(current_app.config["OUTBOX_DIR"]), message)


def _send_smtp(smtp_url: str, message: EmailMessage) -> None:
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps"):
        raise DeliveryError("SMTP_URL must look like smtp://host:port")
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    try:
        with client_class(parts.hostname, port, timeout=15) as client:
            if parts.username:
                client.login(parts.username, parts.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP delivery failed: {exc}") from exc


def _write_outbox(folder: Path, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").split("@")[0]
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(bytes(message))
    tmp.rename(folder / f"{name}.eml")  # atomic: the outbox never lists half a message
