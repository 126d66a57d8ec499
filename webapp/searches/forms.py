"""Saved-search forms. They parse and draw; the rules (a valid query, a name's length, a pause's date)
are the service's, whose Invalid messages land on these fields by name (core.forms.errors_on)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.widgets import DateInput

from .service import MAX_NAME, MAX_PAUSE_DAYS


class SaveSearchForm(FlaskForm):
    """Save the builder's search: the canonical query it drew (query_json), where, and a name.

    The builder's condition rows are not fields here: they travel in the page's GET form and
    the directory's query parser reads them (docs/decisions.md, Forms).
    """

    scope = HiddenField()
    city = HiddenField()
    query_json = HiddenField()
    name = StringField("Name (optional)", id="search-name", description=f"Up to {MAX_NAME} characters.",
                       render_kw={"maxlength": MAX_NAME, "placeholder": "e.g. Berlin editorial shoots"})


class PauseForm(FlaskForm):
    """Pause a search's alerts: a quick choice (the button pressed) or a date."""

    quick = StringField()  # "week" or "month": the quick-choice button's value
    until = StringField("Or pick a date", widget=DateInput(),
                        description=f"Today or a day up to {MAX_PAUSE_DAYS} days ahead.")


class EmailAlertsForm(FlaskForm):
    """E-mail alerts on or off for one search: the button pressed names the new state ("on" or "off")."""

    email = StringField()
