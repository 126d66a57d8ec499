"""Account forms. Each field's label is its accessible name; limits, hints and messages come from the
service's constants, so what a field says it takes is what it takes."""
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.forms import CITY_CHOICES, RadioField, SelectField
from ..core.taxonomy import ROLE_TAGS, tag_label
from .service import (
    CHOOSE_ROLE,
    EMAIL_TAKEN,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    SIGNUP_ROLES,
)

_ROLE_CHOICES = [SelectChoice("", "Choose…")] + [SelectChoice(t, tag_label(t)) for t in ROLE_TAGS]


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=f"At most {limit} characters.")


def _new_password(missing: str) -> list:
    # Two Length checks, so a short and a long password each hear their own limit.
    return [DataRequired(missing),
            Length(min=MIN_PASSWORD_LENGTH, message=f"At least {MIN_PASSWORD_LENGTH} characters."),
            _at_most(MAX_PASSWORD_LENGTH)]


_NEW_PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters."
_EMAIL = [Email("Enter an e-mail address like name@example.com.", check_deliverability=False),
          _at_most(MAX_EMAIL_LENGTH)]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired("Enter your e-mail address."), _at_most(MAX_EMAIL_LENGTH)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     _at_most(MAX_PASSWORD_LENGTH)])


class SignupForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired("Enter your name, as others will see it."),
                                                        _at_most(MAX_NAME_LENGTH)],
                               description=f"As others will see it, up to {MAX_NAME_LENGTH} characters.")
    email = EmailField("E-mail", validators=[DataRequired("Enter your e-mail address."), *_EMAIL])
    password = PasswordField("Password", validators=_new_password("Choose a password."),
                             description=_NEW_PASSWORD_HINT)
    role = RadioField("I am here to", choices=[SelectChoice(k, v) for k, v in SIGNUP_ROLES.items()],
                      default="member", choose=CHOOSE_ROLE, validators=[DataRequired(CHOOSE_ROLE)])
    provider_role = SelectField("What you do (providers)", choices=_ROLE_CHOICES, validators=[Optional()],
                                choose="Choose what you do from the list.", description="Only if you offer services.")
    city = SelectField("City", choices=CITY_CHOICES, choose="Choose your city from the list.",
                       validators=[DataRequired("Choose your city from the list.")])

    def offer_login(self, login_url: str) -> None:
        """A taken e-mail's message, beside the field, links to the log-in page (the summary at the
        top of the form keeps its words, as a link to the field)."""
        self.email.errors = [Markup('That e-mail already has an account — <a href="{}">log in?</a>').format(login_url)
                             if error == EMAIL_TAKEN else error for error in self.email.errors]


class SettingsForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired("Enter the name others see."),
                                                           _at_most(MAX_NAME_LENGTH)],
                               description=f"Up to {MAX_NAME_LENGTH} characters.")
    email_alerts = BooleanField("E-mail me alerts for new saved searches")
    sensitive_opt_in = BooleanField("Let me reveal blurred sensitive media in the feed")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Enter your current password."),
                                                 _at_most(MAX_PASSWORD_LENGTH)])
    new_password = PasswordField("New password", validators=_new_password("Choose a new password."),
                                 description=_NEW_PASSWORD_HINT)
    confirm_password = PasswordField(
        "Repeat new password",
        validators=[DataRequired("Type the new password again."),
                    EqualTo("new_password", message="This differs from the new password: type the same one twice.")]
    )
