"""Invites forms. They parse and draw; the rules (the address list, the note's length, the program)
are by_email's, whose Invalid messages land on these fields by name (core.forms.errors_on)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField

from ..referrals.offers import offer
from .by_email import MAX_ADDRESSES, MAX_NOTE


class EmailInviteForm(FlaskForm):
    """Invite by e-mail: a program, up to MAX_ADDRESSES addresses and an optional note.

    Its fields are prefixed ("email-…") so their names and ids stay apart from the other forms
    of /invites. The program is checked by by_email against the programs open to the inviter
    when the form is sent, not against the choices drawn, which may be out of date by then.
    """

    program = SelectField("Program", validate_choice=False)
    addresses = TextAreaField(
        "E-mail addresses",
        description=f"Up to {MAX_ADDRESSES}, separated by commas, spaces or new lines.",
        render_kw={"rows": 4, "autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"})
    note = TextAreaField(
        "A note from you (optional)",
        description=f"Plain text, up to {MAX_NOTE} characters. It appears in the e-mail above your link.",
        render_kw={"rows": 3, "maxlength": MAX_NOTE})

    def __init__(self, *args, programs: Iterable[Mapping] = (), **kwargs):
        super().__init__(*args, prefix="email", **kwargs)
        self.program.choices = [SelectChoice(p["program_id"], " · ".join(filter(None, (p["name"], offer(p)))))
                                for p in programs]
