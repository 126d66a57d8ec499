"""The program form. It parses and draws; what a valid program is stays in service.validate, whose
Invalid messages land on these fields by name (core.forms.errors_on)."""
from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.widgets import NumberInput

from ..core.forms import MultiCheckboxField
from ..core.ids import new_id
from ..core.templating import money
from ..credits.rules import MAX_CENTS
from ..credits.service import MAX_REASON
from .service import (
    ADJUSTMENT_KINDS,
    CREDIT_SCOPES,
    KIND_LABELS,
    MAX_BIPS,
    MAX_CAP,
    MAX_NAME,
    ROLE_LABELS,
    ProgramInput,
    dollars,
)

_KIND_CHOICES = [SelectChoice("", "Choose…"), *(SelectChoice(k, v) for k, v in KIND_LABELS.items())]
_MONEY = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}


class ProgramForm(FlaskForm):
    # Room past the limit, so a pasted long name is reported (with its length), not cut off silently.
    name = StringField("Name", render_kw={"maxlength": MAX_NAME + 40, "required": True},
                       description=f"What the team calls it, up to {MAX_NAME} characters. "
                                   "Inviters see the offer, not this.")
    # Choices are not checked here: service.validate says what is wrong in the product's words.
    kind = SelectField("Who invites whom", choices=_KIND_CHOICES, validate_choice=False)
    reward_bips = StringField(
        "Inviter's reward: share of the buyer fee, in basis points", widget=NumberInput(min=0, max=MAX_BIPS),
        description="1,000 bips = 10% of the buyer fee of the invitee's first booking. 0 for none.")
    reward_fixed = StringField("Inviter's reward: fixed amount, in dollars", render_kw=_MONEY,
                               description=f"Dollars and cents, such as 25 or 12.50, up to {money(MAX_CENTS)}. "
                                           "Leave empty for none. A program needs this, a share of the fee, or both.")
    invitee_fixed = StringField("Welcome credit for the invitee, in dollars", render_kw=_MONEY,
                                description="A double-sided offer gives the person invited credit too. "
                                            "Leave empty for a one-sided offer.")
    credit_scope = SelectField("Credit pays for", validate_choice=False,
                               choices=[SelectChoice(k, v) for k, v in CREDIT_SCOPES.items()])
    monthly_cap = StringField("Monthly cap per inviter", widget=NumberInput(min=0, max=MAX_CAP),
                              description="At most this many rewards per inviter each calendar month "
                                          f"(up to {MAX_CAP:,}); invites past it still count. 0 pays none.")
    inviter_roles = MultiCheckboxField("Who may invite", validate_choice=False,
                                       choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    active = BooleanField("Active: invite links work and people get their codes")

    @staticmethod
    def values_of(program: Mapping) -> dict:
        """A program's terms as the form shows them for editing."""
        return dict(name=program["name"], kind=program["kind"], reward_bips=str(program["reward_bips"]),
                    reward_fixed=dollars(program["reward_fixed_cents"]) if program["reward_fixed_cents"] else "",
                    invitee_fixed=dollars(program["invitee_fixed_cents"]) if program["invitee_fixed_cents"] else "",
                    credit_scope=program["credit_scope"], monthly_cap=str(program["monthly_cap"]),
                    inviter_roles=list(program["inviter_roles"]), active=program["active"])

    # What a new program starts from: the schema's defaults, open to both roles, active.
    NEW = dict(reward_bips="0", credit_scope="buyer_fee_only", monthly_cap="5", inviter_roles=list(ROLE_LABELS),
               active=True)

    def lock_kind(self, kind: str) -> None:
        """The program has invites: its kind is the only choice, and the form says why."""
        self.kind.choices = [SelectChoice(kind, KIND_LABELS.get(kind, kind))]
        self.kind.description = "This program has invites, so its kind stays. Start a new program for another kind."

    def program_input(self) -> ProgramInput:
        return ProgramInput(name=self.name.data or "", kind=self.kind.data or "",
                            reward_bips=self.reward_bips.data or "", reward_fixed=self.reward_fixed.data or "",
                            invitee_fixed=self.invitee_fixed.data or "", credit_scope=self.credit_scope.data or "",
                            monthly_cap=self.monthly_cap.data or "", inviter_roles=self.inviter_roles.data or [],
                            active=bool(self.active.data))


class AdjustmentForm(FlaskForm):
    """A manual award or clawback on /growth/users/<id>. Parsing and its messages are the service's
    (growth.service.adjust: the amount in dollars through cents_of, the reason required)."""
    # Choices are not checked here: the service says what is wrong in the product's words.
    kind = RadioField("Adjustment", validate_choice=False, default="award",
                      choices=[SelectChoice(k, v) for k, v in ADJUSTMENT_KINDS.items()])
    amount = StringField("Amount, in dollars", render_kw={**_MONEY, "required": True},
                         description=f"Dollars and cents, such as 25 or 12.50, up to {money(MAX_CENTS)}.")
    # Room past the limit, so a long reason is reported, not cut off silently.
    reason = TextAreaField("Reason", render_kw={"maxlength": MAX_REASON + 100, "rows": 3, "required": True},
                           description=f"Kept with the entry and shown to the team, up to {MAX_REASON} characters.")
    # The one-time key of this drawing of the form: a second submit of it (a double click, a resend)
    # is recorded once (credits.service.adjust). A re-drawn form after a refusal keeps it: nothing
    # was recorded under it yet.
    decision_id = HiddenField(default=lambda: new_id("gdc"))

