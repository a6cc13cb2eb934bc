"""Calendar forms: moving and copying sessions, days and weeks, templates, and inserting a
library workout. (The session editor's form is the library's: fitr.library.forms.SessionForm.)"""

from wtforms import (
    DateField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from fitr.calendars.models import TEMPLATE_WEEKS
from fitr.calendars.rules import template_day
from fitr.calendars.weeks import PROGRESSIONS
from fitr.forms import DECIMAL, AppForm, choices, number
from fitr.library.forms import most


class DayFields(Form):
    """A date on a dated calendar, or Week and Day on a template."""

    date = DateField("Date", [Optional()])
    week = IntegerField("Week", [Optional(), NumberRange(1, TEMPLATE_WEEKS, f"Week must be from 1 to {TEMPLATE_WEEKS}.")])
    day = IntegerField("Day", [Optional(), NumberRange(1, 7, "Day must be from 1 to 7.")])

    def target(self, template):
        """The chosen day, or None with an error on the field. A date is also accepted on a
        template (dragging a session sends the date of the day it was dropped on)."""
        if self.date.data is not None:
            return self.date.data
        if template and self.week.data is not None and self.day.data is not None:
            return template_day(self.week.data, self.day.data)
        if not (self.date.errors or self.week.errors or self.day.errors):
            missing = self.week if template else self.date
            missing.errors = [*missing.errors, "Enter a week and a day." if template else "Enter a date."]
        return None


class MoveForm(AppForm):
    to = FormField(DayFields, "Move to")


def checkboxes(label, **kw):
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), **kw)


class CopySessionForm(AppForm):
    """Copy a session to other clients of the program, on the same date or another."""

    clients = checkboxes("Copy to clients", validators=[DataRequired("Choose at least one client.")])
    on = FormField(DayFields, "On")


class CopyDaysForm(AppForm):
    """Copy a day or a week of this calendar to other dates, here or on other clients."""

    span = RadioField("Copy", choices=choices([("week", "A week (7 days)"), ("day", "One day")]), default="week")
    source = FormField(DayFields, "From")
    to = FormField(DayFields, "To")
    clients = checkboxes("Onto the calendars of")


class ApplyTemplateForm(AppForm):
    """Copy the template into chosen clients' calendars from a start date."""

    clients = checkboxes("Clients", validators=[DataRequired("Choose at least one client.")])
    start = DateField("Start date", [Optional()])
    mode = RadioField(
        "What is already on their calendars",
        choices=choices([("keep", "Keep it and add the template"), ("replace", "Replace it on the template's days")]),
        default="keep",
    )


class InsertWorkoutForm(AppForm):
    workout = StringField("Workout from your library", [DataRequired("Choose a workout."), most(120)])




class WeekFields(Form):
    """A week: any date in it on a dated calendar, its number on a template."""

    date = DateField("Date", [Optional()])
    week = IntegerField("Week", [Optional(), NumberRange(1, TEMPLATE_WEEKS, f"Week must be from 1 to {TEMPLATE_WEEKS}.")])

    def target(self, template):
        """A day of the chosen week, or None with an error on the field."""
        if self.date.data is not None:
            return self.date.data
        if template and self.week.data is not None:
            return template_day(self.week.data, 1)
        if not (self.date.errors or self.week.errors):
            missing = self.week if template else self.date
            missing.errors = [*missing.errors, "Enter a week." if template else "Enter a date."]
        return None


AMOUNTS = {"kg": (0.1, 100), "lb": (0.1, 200), "percent": (0.1, 50), "reps": (1, 20)}


class CopyWeeksForm(AppForm):
    """Copy weeks: a range of this calendar's weeks onto other weeks, here or on other clients,
    with an optional progression per week."""

    first = FormField(WeekFields, "From the week of")
    last = FormField(WeekFields, "Through the week of")
    to = FormField(WeekFields, "Onto the weeks from")
    clients = checkboxes("Onto the calendars of")
    progression = SelectField("Progression", choices=choices(list(PROGRESSIONS.items())), default="")
    amount = StringField("Amount per week", [number("Enter how much to add each week, like 2.5.")], render_kw=DECIMAL)

    def validate(self, extra_validators=None):
        """The amount is needed, and sane, only with a progression."""
        valid = super().validate(extra_validators)
        kind, amount = self.progression.data, self.amount
        if kind not in AMOUNTS or self.progression.errors or amount.errors:
            return valid
        if amount.parsed is None:
            amount.errors = [*amount.errors, "Enter how much to add each week."]
            return False
        low, high = AMOUNTS[kind]
        if not low <= amount.parsed <= high or (kind == "reps" and amount.parsed != int(amount.parsed)):
            whole = "a whole number " if kind == "reps" else ""
            amount.errors = [*amount.errors, f"Enter {whole}from {low:g} to {high:g}."]
            return False
        return valid
