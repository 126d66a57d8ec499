"""The one way a form view answers a service's Invalid: the messages beside their fields, status 422.

    form = PostForm()
    if form.validate_on_submit():
        with errors_on(form):
            service.create_post(...)
            return redirect_to(...)
    return render_page("feed/editor.html", "editor", status=form_status(form), form=form)

htmx swaps a 422 in place (docs/architecture.md, htmx conventions), so the re-rendered
form replaces the one that was sent, with or without JavaScript.
"""
from __future__ import annotations

from contextlib import contextmanager

import wtforms
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .errors import Invalid
from .taxonomy import CITIES

CITY_CHOICES = [SelectChoice(c.slug, f"{c.name}, {c.country}") for c in CITIES]


@contextmanager
def errors_on(form):
    """Turn an Invalid raised inside the block into errors on `form`.

    Each of its `fields` goes on the form field of that name; the message (or a
    field the form doesn't have) goes on the form as a whole. The block's code
    after the raise does not run; the view goes on to re-render the form.
    """
    try:
        yield
    except Invalid as exc:
        if not exc.fields:
            form.form_errors.append(str(exc))
        for name, message in exc.fields.items():
            field = form._fields.get(name)
            if field is None:
                form.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]


def form_status(*forms) -> int:
    """422 when any of `forms` carries an error (a re-rendered form), else 200."""
    return 422 if any(form.errors for form in forms) else 200


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, one per choice (the field macro draws it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _SaysWhatToChoose:
    """A choice field whose "not one of the choices" message says what to choose (`choose`), where
    WTForms says only "Not a valid choice."; the message is the field's only one (no second from
    its validators)."""

    def __init__(self, *args, choose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = choose

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise StopValidation(self.choose) from None


class SelectField(_SaysWhatToChoose, wtforms.SelectField):
    pass


class RadioField(_SaysWhatToChoose, wtforms.RadioField):
    pass
