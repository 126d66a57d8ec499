"""The reader-link form: a name, how many days it works, and the view it fixes (the overview's
filters). It parses and draws; readers.create and forms.parse_filters say what is valid."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.widgets import NumberInput

from ..core.forms import CITY_CHOICES
from .forms import MAX_FILTER_LENGTH
from .model import Preset
from .readers import DEFAULT_DAYS, MAX_DAYS, MAX_LABEL


class ReaderLinkForm(FlaskForm):
    label = StringField("Name", render_kw={"maxlength": MAX_LABEL + 40, "required": True, "autocomplete": "off"},
                        description=f"Whom or what it is for, up to {MAX_LABEL} characters (only the team sees it).")
    days = StringField("Works for (days)", widget=NumberInput(min=1, max=MAX_DAYS), default=str(DEFAULT_DAYS),
                       description=f"From today, at most {MAX_DAYS} days. You can revoke it sooner.")
    range = SelectField("Date range", validate_choice=False, default=Preset.LAST_30_DAYS.value,
                        choices=[SelectChoice(p.value, p.label) for p in Preset],
                        description="A preset moves on with the days (“last 30 days” is always the last 30); "
                                    "a custom range stays fixed.")
    start = StringField("From (custom range)", render_kw={"type": "date"})
    end = StringField("To (custom range)", render_kw={"type": "date"})
    program = SelectField("Program", validate_choice=False)
    source = StringField("Source", render_kw={"maxlength": MAX_FILTER_LENGTH, "autocomplete": "off"},
                         description="Such as sharecard or linkinbio; empty for every source.")
    city = SelectField("Inviters' city", validate_choice=False,
                       choices=[SelectChoice("", "Every city"), *CITY_CHOICES])

    def with_programs(self, programs: list[dict]) -> ReaderLinkForm:
        self.program.choices = [SelectChoice("", "Every program"),
                                *(SelectChoice(p["program_id"], p["name"] or p["program_id"]) for p in programs)]
        return self

    def filter_args(self) -> dict[str, str]:
        """The view's query args as the overview's URL carries them (forms.parse_filters reads them)."""
        names = ("range", "start", "end", "program", "source", "city")
        return {name: (self[name].data or "").strip() for name in names}

    def days_value(self) -> int:
        try:
            return int((self.days.data or "").strip())
        except ValueError:
            return 0
