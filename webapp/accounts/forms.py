"""Account forms. Each field's label is its accessible name."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.taxonomy import CITIES, ROLE_TAGS, tag_label
from .service import MIN_PASSWORD_LENGTH

_CITY_CHOICES = [SelectChoice(c.slug, f"{c.name}, {c.country}") for c in CITIES]
_ROLE_CHOICES = [SelectChoice("", "Choose…")] + [SelectChoice(t, tag_label(t)) for t in ROLE_TAGS]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class SignupForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")],
    )
    role = RadioField(
        "I am here to",
        choices=[SelectChoice("member", "Hire creative people and studios"), SelectChoice("provider", "Offer my services")],
        default="member",
        validators=[DataRequired()],
    )
    provider_role = SelectField("What you do (providers)", choices=_ROLE_CHOICES, validators=[Optional()])
    city = SelectField("City", choices=_CITY_CHOICES, validators=[DataRequired()])


class SettingsForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=80)])
    email_alerts = BooleanField("E-mail me when my saved searches have new matches")
    sensitive_opt_in = BooleanField("Let me reveal blurred sensitive media in the feed")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")],
    )
    confirm_password = PasswordField(
        "Repeat new password", validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")]
    )
