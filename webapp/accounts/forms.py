"""Account forms. Each field's label is its accessible name; limits and hints come from the service's rules."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.forms import CITY_CHOICES
from ..core.taxonomy import ROLE_TAGS, tag_label
from .service import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SIGNUP_ROLES

_ROLE_CHOICES = [SelectChoice("", "Choose…")] + [SelectChoice(t, tag_label(t)) for t in ROLE_TAGS]
_NEW_PASSWORD = [DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                                        message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")]
_NEW_PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters."


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class SignupForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False),
                                             Length(max=MAX_EMAIL_LENGTH)])
    password = PasswordField("Password", validators=_NEW_PASSWORD, description=_NEW_PASSWORD_HINT)
    role = RadioField("I am here to", choices=[SelectChoice(k, v) for k, v in SIGNUP_ROLES.items()],
                      default="member", validators=[DataRequired()])
    provider_role = SelectField("What you do (providers)", choices=_ROLE_CHOICES, validators=[Optional()],
                                description="Only if you offer services.")
    city = SelectField("City", choices=CITY_CHOICES, validators=[DataRequired()])


class SettingsForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    email_alerts = BooleanField("E-mail me alerts for new saved searches")
    sensitive_opt_in = BooleanField("Let me reveal blurred sensitive media in the feed")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    new_password = PasswordField("New password", validators=_NEW_PASSWORD, description=_NEW_PASSWORD_HINT)
    confirm_password = PasswordField(
        "Repeat new password", validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")]
    )
