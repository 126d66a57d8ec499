"""The overview's filter form: a GET form (no CSRF: it changes nothing) whose query string is the view.

Bad input never costs the page: the form says what is wrong beside the field, and the page shows the
default view (the last 30 days, no filters) underneath.
"""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..core.errors import Invalid
from .model import MAX_RANGE_DAYS, Filters, Preset, preset_range

DEFAULT_PRESET = Preset.LAST_30_DAYS
MAX_FILTER_LENGTH = 64  # program ids, sources and city slugs are all short
_AT_MOST = Length(max=MAX_FILTER_LENGTH, message=f"At most {MAX_FILTER_LENGTH} characters.")


class DayField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Write the day as year-month-day, for example 2026-11-30.") from None


class RangeField(SelectField):
    def pre_validate(self, form):
        if self.data not in {p.value for p in Preset}:
            raise ValidationError("Choose one of the ranges offered: " + ", ".join(p.label for p in Preset) + ".")


class OverviewFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only reads: the URL is the whole state, shareable

    range = RangeField("Date range", choices=[SelectChoice(p.value, p.label) for p in Preset],
                       default=DEFAULT_PRESET.value)
    start = DayField("From", validators=[Optional()], description="For a custom range")
    end = DayField("To", validators=[Optional()], description="For a custom range")
    program = StringField("Program", validators=[Optional(), _AT_MOST])
    source = StringField("Source", validators=[Optional(), _AT_MOST])
    city = StringField("City", validators=[Optional(), _AT_MOST])

    def filters(self, today: date) -> Filters:
        """The view the form asks for, or the default view when any of it is wrong (errors on the form)."""
        if not self.validate():
            return default_filters(today)
        preset = Preset(self.range.data or DEFAULT_PRESET)
        if preset is not Preset.CUSTOM:
            start, end = preset_range(preset, today)
        else:
            start, end = self.start.data, self.end.data
            if start is None:
                self.start.errors.append("Choose the first day of the custom range.")
            if end is None:
                self.end.errors.append("Choose the last day of the custom range.")
            if start and end and start > end:
                self.end.errors.append("The last day comes before the first: swap them, or pick another day.")
            elif start and end and (end - start).days + 1 > MAX_RANGE_DAYS:
                self.end.errors.append(f"A range covers at most {MAX_RANGE_DAYS:,} days: pick a later first day.")
            if self.errors:
                return default_filters(today)
        return Filters(preset, start, end, program_id=self.program.data or None,
                       source=self.source.data or None, city=self.city.data or None)

    def show(self, filters: Filters) -> None:
        """Fill the fields with the view shown, so picking "Custom" starts from the dates on screen.

        Only for a valid form: one with errors keeps what the person typed, to correct it."""
        self.range.data = filters.preset.value
        self.start.data, self.end.data = filters.start, filters.end


def parse_filters(args, today: date) -> Filters:
    """The view a query string names (the format of Filters.query_args), for callers with no form to
    show it on (the CSV exports, a reader link's stored view): Invalid, naming each wrong field, when
    any is wrong, where the page would show the default view under the form's messages."""
    form = OverviewFilterForm(MultiDict(args), meta={"csrf": False})
    filters = form.filters(today)
    if form.errors:
        raise Invalid(fields={name: messages[0] for name, messages in form.errors.items()})
    return filters


def default_filters(today: date) -> Filters:
    return Filters(DEFAULT_PRESET, *preset_range(DEFAULT_PRESET, today))
