"""Calendar forms: the session editor with its prescriptions, moving and copying, templates and
the exercise and workout libraries."""

import math
import re
from collections import defaultdict

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from fitr.calendar.models import CATEGORIES, LOAD_UNITS, MEASURES, TEMPLATE_WEEKS
from fitr.calendar.rules import MAX_PRESCRIPTIONS, template_day

SECONDS = r"^\s*(\d{1,5}|\d{1,3}:[0-5]\d)\s*$"  # "90" or "1:30"
REPS = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})\s*)?$")
ROW_KEY = re.compile(r"^prescriptions-(\d+)-(\w+)$")
ROW_FIELDS = ("exercise", "sets", "reps", "load", "load_unit", "rpe", "tempo", "rest", "time", "distance", "notes")


def most(characters):
    return Length(max=characters, message=f"Use at most {characters} characters.")


def choices(pairs):
    """SelectChoice options from a mapping or (value, label) pairs."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def seconds(text):
    """'90' -> 90, '1:30' -> 90, '' -> None."""
    match = re.match(SECONDS, text or "")
    if not match:
        return None
    minutes, _, secs = match[1].rpartition(":")
    return int(minutes or 0) * 60 + int(secs)


def seconds_text(value):
    if value is None:
        return ""
    return f"{value // 60}:{value % 60:02d}" if value >= 60 else str(value)


class PrescriptionForm(Form):
    """One exercise of the session: what, how many, how heavy, how."""

    exercise = StringField("Exercise", [DataRequired("Choose an exercise."), most(80)])
    sets = IntegerField("Sets", [Optional(), NumberRange(1, 50, "Sets must be from 1 to 50.")])
    reps = StringField("Reps", [Optional(), most(9), Regexp(REPS, message="Enter reps like 5 or 8-12.")])
    load = StringField("Load", [Optional(), most(8)])
    load_unit = SelectField("Unit", choices=choices(LOAD_UNITS), default="kg")
    rpe = StringField("RPE", [Optional(), most(4)])
    tempo = StringField("Tempo", [Optional(), most(12), Regexp(r"^[0-9Xx\-]+$", message="Enter a tempo like 3-1-X-0.")])
    rest = StringField("Rest", [Optional(), Regexp(SECONDS, message="Enter seconds (90) or minutes (1:30).")])
    time = StringField("Time", [Optional(), Regexp(SECONDS, message="Enter seconds (45) or minutes (2:30).")])
    distance = IntegerField("Distance (m)", [Optional(), NumberRange(1, 100_000, "Distance must be from 1 m to 100 km.")])
    notes = StringField("Notes", [Optional(), most(500)])

    def validate_reps(self, field):
        match = REPS.match(field.data or "")
        if match and match[2] and int(match[2]) < int(match[1]):
            raise ValidationError("Put the smaller number first, like 8-12.")
        if match and int(match[2] or match[1]) > 500:
            raise ValidationError("Reps must be at most 500.")

    def validate_load(self, field):
        value = _number(field.data)
        if field.data and value is None:
            raise ValidationError("Enter a load like 100 or 72.5.")
        limit = 150 if self.load_unit.data == "%1rm" else 1000
        if value is not None and not 0 <= value <= limit:
            raise ValidationError(f"Load must be from 0 to {limit}.")

    def validate_rpe(self, field):
        value = _number(field.data)
        if field.data and (value is None or not 1 <= value <= 10):
            raise ValidationError("RPE must be from 1 to 10.")

    def validate_rest(self, field):
        if (seconds(field.data) or 0) > 3600:
            raise ValidationError("Rest must be at most 60:00.")

    def validate_time(self, field):
        if (seconds(field.data) or 0) > 86_400:
            raise ValidationError("Time must be at most 24 hours.")

    def values(self, exercise):
        """The Prescription columns this row describes."""
        match = REPS.match(self.reps.data or "")
        reps_min = int(match[1]) if match else None
        load = _number(self.load.data)
        return {
            "exercise_id": exercise.id,
            "sets": self.sets.data,
            "reps_min": reps_min,
            "reps_max": int(match[2] or match[1]) if match else None,
            "load_value": load,
            "load_unit": self.load_unit.data if load is not None else None,
            "rpe": _number(self.rpe.data),
            "tempo": (self.tempo.data or "").strip().upper(),
            "rest_seconds": seconds(self.rest.data),
            "duration_seconds": seconds(self.time.data),
            "distance_m": self.distance.data,
            "notes": (self.notes.data or "").strip(),
        }


def _number(text):
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def row_data(prescription):
    """A saved prescription as the editor's row shows it."""
    return {
        "exercise": prescription.exercise.name,
        "sets": prescription.sets,
        "reps": prescription.reps_text,
        "load": f"{prescription.load_value:g}" if prescription.load_value is not None else "",
        "load_unit": prescription.load_unit or "kg",
        "rpe": f"{prescription.rpe:g}" if prescription.rpe is not None else "",
        "tempo": prescription.tempo,
        "rest": seconds_text(prescription.rest_seconds),
        "time": seconds_text(prescription.duration_seconds),
        "distance": prescription.distance_m,
        "notes": prescription.notes,
    }


class SessionForm(FlaskForm):
    """The session editor (also edits a library workout)."""

    title = StringField("Title", [DataRequired("Enter a title."), most(120)])
    notes = TextAreaField("Notes", [Optional(), most(2000)])
    version = HiddenField()
    calendar_id = HiddenField()  # lets a stale save of a deleted session be offered as a new one
    date = HiddenField()
    prescriptions = FieldList(FormField(PrescriptionForm), max_entries=MAX_PRESCRIPTIONS)

    @classmethod
    def for_record(cls, record, **extra):
        """An editor filled from a saved session or workout."""
        return cls(
            formdata=None,
            data={
                "title": record.title,
                "notes": record.notes,
                "version": record.version,
                "prescriptions": [row_data(p) for p in record.prescriptions],
                **extra,
            },
        )

    def version_number(self):
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


def blank_row(units):
    return {"load_unit": units}


def edit_rows(formdata, action, units):
    """Apply an editor button to the posted rows without saving: add, up-N, down-N, remove-N.
    Blank rows are dropped on save. Returns new form data with the rows renumbered."""
    rows, other = defaultdict(dict), MultiDict()
    for key, value in formdata.items(multi=True):
        match = ROW_KEY.match(key)
        if match and match[2] in ROW_FIELDS:
            rows[int(match[1])][match[2]] = value
        elif key != "action" and not match:
            other.add(key, value)
    ordered = [rows[i] for i in sorted(rows)][:MAX_PRESCRIPTIONS]
    verb, _, number = (action or "").partition("-")
    index = int(number) if number.isdigit() else -1
    if verb == "add" and len(ordered) < MAX_PRESCRIPTIONS:
        ordered.append(blank_row(units))
    elif verb == "remove" and 0 <= index < len(ordered):
        ordered.pop(index)
    elif verb in ("up", "down") and 0 <= index < len(ordered):
        other_index = index - 1 if verb == "up" else index + 1
        if 0 <= other_index < len(ordered):
            ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    elif verb == "save":
        ordered = [row for row in ordered if any((row.get(k) or "").strip() for k in ROW_FIELDS if k != "load_unit")]
    for i, row in enumerate(ordered):
        for key, value in row.items():
            other.add(f"prescriptions-{i}-{key}", value)
    return other


def focus_after(action, rows):
    """Where the keyboard belongs after an editor button rearranged the rows without saving:
    the new row's Exercise, the same button on the row that moved, or the row that took the
    removed one's place. `rows` is how many rows there are now. An element id or a button's
    action value; None when nothing moved."""
    verb, _, number = (action or "").partition("-")
    index = int(number) if number.isdigit() else -1
    last = rows - 1
    if verb == "add" and rows:
        return f"prescriptions-{last}-exercise"
    if verb == "up" and 0 < index <= last:
        return f"up-{index - 1}" if index - 1 > 0 else "down-0"
    if verb == "down" and 0 <= index < last:
        return f"down-{index + 1}" if index + 1 < last else f"up-{last}"
    if verb == "remove":
        return f"prescriptions-{min(index, last)}-exercise" if rows else "add"
    return None


def first_error(*forms):
    """The first field with a message, in the order the forms show them (None skipped)."""
    for form in forms:
        for field in form or ():
            if field.type in ("FieldList", "FormField"):
                found = first_error(field)
            else:
                found = field if field.errors and field.type not in ("HiddenField", "CSRFTokenField") else None
            if found is not None:
                return found
    return None


def autofocus(field):
    """Focus this field when it arrives (htmx honours autofocus in swapped content too)."""
    field.render_kw = {**(field.render_kw or {}), "autofocus": True}


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


class MoveForm(FlaskForm):
    to = FormField(DayFields, "Move to")


def checkboxes(label, **kw):
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), **kw)


class CopySessionForm(FlaskForm):
    """Copy a session to other clients of the program, on the same date or another."""

    clients = checkboxes("Copy to clients", validators=[DataRequired("Choose at least one client.")])
    on = FormField(DayFields, "On")


class CopyDaysForm(FlaskForm):
    """Copy a day or a week of this calendar to other dates, here or on other clients."""

    span = RadioField("Copy", choices=choices([("week", "A week (7 days)"), ("day", "One day")]), default="week")
    source = FormField(DayFields, "From")
    to = FormField(DayFields, "To")
    clients = checkboxes("Onto the calendars of")


class ApplyTemplateForm(FlaskForm):
    """Copy the template into chosen clients' calendars from a start date."""

    clients = checkboxes("Clients", validators=[DataRequired("Choose at least one client.")])
    start = DateField("Start date", [Optional()])
    mode = RadioField(
        "What is already on their calendars",
        choices=choices([("keep", "Keep it and add the template"), ("replace", "Replace it on the template's days")]),
        default="keep",
    )


class InsertWorkoutForm(FlaskForm):
    workout = StringField("Workout from your library", [DataRequired("Choose a workout."), most(120)])


class ExerciseForm(FlaskForm):
    name = StringField("Name", [DataRequired("Enter a name."), most(80)])
    category = SelectField("Category", choices=choices(CATEGORIES))
    measure = SelectField("Measured by", choices=choices(MEASURES))


class RenameExerciseForm(FlaskForm):
    name = StringField("New name", [InputRequired("Enter a name."), most(80)])
