"""The client's forms: logging a session set by set, and a record entered by hand.

A log row is one set. Its index in the field names (sets-<index>-reps) encodes where it sits:
index = position of the exercise in the session × 100 + set number, so rows added with htmx
keep their order without any script."""

import re
from dataclasses import dataclass

from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    Form,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

from fitr.forms import DECIMAL, AppForm, choices, number
from fitr.history.logs import MAX_SETS
from fitr.history.models import LOG_STATUSES
from fitr.history.writing import prescribed_rows
from fitr.units import UNITS, duration_text, kg_to_display, parse_duration, round_load

ROWS_PER_EXERCISE = 100  # set numbers 1..99 within an exercise
# A phone's number keypad for whole numbers (decimals: fitr.forms.DECIMAL).
WHOLE = {"inputmode": "numeric", "autocomplete": "off"}
MAX_POSITION = 99


def index_of(position, set_number):
    return position * ROWS_PER_EXERCISE + set_number


def position_of(index):
    return divmod(index, ROWS_PER_EXERCISE)  # (position, set number)


def duration(form, field):
    try:
        field.parsed = parse_duration(field.data)
    except ValueError:
        field.parsed = None
        raise ValidationError("Enter seconds (45), minutes (1:30) or hours (1:02:03).") from None


class SetRowForm(Form):
    """One set as the client did it; only the inputs its exercise is measured by are shown."""

    exercise_id = HiddenField()
    reps = StringField("Reps", [Length(max=10), number("Enter reps as a whole number, like 5.", integer=True)])
    load = StringField("Load", [Length(max=10), number("Enter a load like 102.5.")])
    time = StringField("Time", [Length(max=10), duration])
    distance = StringField("Distance (m)", [Length(max=10), number("Enter metres as a whole number, like 400.", integer=True)])

    def validate_exercise_id(self, field):
        if not (field.data or "").isdigit():
            raise ValidationError("Choose an exercise from the list.")


ROW_KEY = re.compile(r"^sets-(\d{1,5})-\w+$")


@dataclass
class Row:
    """One set row of the log form: its index (position × 100 + set number) and its fields."""

    index: int
    form: SetRowForm

    @property
    def name(self):
        return f"sets-{self.index}"

    @property
    def position(self):
        return position_of(self.index)[0]

    @property
    def set_number(self):
        return position_of(self.index)[1]


def set_rows(formdata):
    """The set rows a log form holds, in order, from its field names."""
    if formdata is None:
        return []
    indices = sorted({int(m.group(1)) for key in formdata.keys() if (m := ROW_KEY.match(key))})
    return [Row(index, SetRowForm(formdata, prefix=f"sets-{index}")) for index in indices]


class LogForm(AppForm):
    """Log session: per set what was done, then Done or Skipped, RPE and notes."""

    submission_key = HiddenField()
    based_on = HiddenField()  # the submission key of the log this form was opened on ('' for none)
    no_details = HiddenField()  # "1": Done with no sets, as the client confirmed
    unit = HiddenField()  # the unit the page asked for loads in (Settings may change before it is sent)
    status = RadioField(
        "How did it go?",
        choices=choices(LOG_STATUSES),
        default="done",
        validators=[InputRequired("Choose Done or Skipped.")],
    )
    date = DateField("Date trained", validators=[InputRequired("Enter the date you trained.")])
    rpe = StringField("Session RPE (1–10)", [Optional(), Length(max=4), number("Enter an RPE from 1 to 10, like 8 or 7.5.")],
                      render_kw=DECIMAL)
    notes = TextAreaField("Notes", [Optional(), Length(max=2000, message="Use at most 2000 characters.")])

    def __init__(self, formdata=_Auto, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.rows = set_rows(self.meta.wrap_formdata(self, formdata))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if len(self.rows) > MAX_SETS:
            self.form_errors.append(f"A session log holds at most {MAX_SETS} sets.")
            valid = False
        for row in self.rows:
            if row.position > MAX_POSITION or not 1 <= row.set_number < ROWS_PER_EXERCISE:
                self.form_errors.append("This form is out of date. Reload the page and try again.")
                return False
            valid = row.form.validate() and valid
        return valid

    @property
    def errors(self):
        errors = dict(super().errors)
        for row in self.rows:
            if row.form.errors:
                errors[row.name] = row.form.errors
        return errors

    def field_named(self, name):
        """The field a rule's refusal names: a set row's (sets-<index>-<field>) or the form's."""
        row_name, _, sub = name.rpartition("-")
        for row in self.rows:
            if row.name == row_name and sub != "exercise_id":
                return getattr(row.form, sub, None)
        return None

    def typed_unit(self, default):
        """The unit the loads were typed in: the page's own, else `default` (the user's)."""
        return self.unit.data if self.unit.data in UNITS else default

    def data_for_rules(self, unit):
        """What the rules take: the sets with loads in `unit` (see typed_unit)."""
        return {
            "status": self.status.data,
            "no_details": self.no_details.data == "1",
            "based_on": self.based_on.data or "",
            "date": self.date.data,
            "rpe": getattr(self.rpe, "parsed", None),
            "notes": self.notes.data,
            "unit": unit,
            "sets": [
                {
                    "field": row.name,
                    "exercise_id": int(row.form.exercise_id.data),
                    "position": row.position,
                    "set_number": row.set_number,
                    "reps": getattr(row.form.reps, "parsed", None),
                    "load": getattr(row.form.load, "parsed", None),
                    "duration_seconds": getattr(row.form.time, "parsed", None),
                    "distance_m": getattr(row.form.distance, "parsed", None),
                }
                for row in self.rows
            ],
        }


def prescribed_sets(session, unit, loads=None):
    """The session as written (fitr.history.writing.prescribed_rows) as the log form's rows,
    {index: fields} with loads in the client's unit (a percentage as the client's own load,
    `loads`): saving them unchanged logs the session as prescribed."""
    return {
        index_of(row["position"], row["set_number"]): {
            "exercise_id": str(row["exercise_id"]),
            "reps": "" if row["reps"] is None else str(row["reps"]),
            "load": "" if row["load"] is None else round_load(kg_to_display(row["load"], unit)),
            "time": duration_text(row["duration_seconds"]),
            "distance": "" if row["distance_m"] is None else str(row["distance_m"]),
        }
        for row in prescribed_rows(session, loads)
        if row["position"] <= MAX_POSITION
    }


def log_formdata(session, log, unit, submission_key, today, loads=None):
    """What the log form starts with: the session as prescribed, in real values to keep or
    change, or the earlier log's sets when the session was logged already."""
    data = MultiDict()
    logged_positions = {s.position for s in log.sets} if log else set()
    rows = {
        index: row for index, row in prescribed_sets(session, unit, loads).items()
        if position_of(index)[0] not in logged_positions
    }  # fmt: skip
    if log:
        for s in log.sets:
            if s.exercise_id is None:
                continue
            rows[index_of(s.position, s.set_number)] = {
                "exercise_id": str(s.exercise_id),
                "reps": "" if s.reps is None else str(s.reps),
                "load": "" if s.load_kg is None else round_load(kg_to_display(s.load_kg, unit)),
                "time": duration_text(s.duration_seconds),
                "distance": "" if s.distance_m is None else str(s.distance_m),
            }
    for index in sorted(rows):
        for key, value in rows[index].items():
            data[f"sets-{index}-{key}"] = value
    data["submission_key"] = submission_key
    data["unit"] = unit
    data["based_on"] = log.submission_key if log else ""
    data["status"] = log.status if log else "done"
    data["date"] = (log.date if log else min(session.date, today)).isoformat()
    data["rpe"] = "" if not log or log.rpe is None else f"{log.rpe:g}"
    data["notes"] = log.notes if log else ""
    return data


def row_form(position, set_number, exercise_id):
    """A log form holding one blank row, for an added set or exercise (htmx)."""
    data = MultiDict({f"sets-{index_of(position, set_number)}-exercise_id": str(exercise_id)})
    return LogForm(formdata=data, meta={"csrf": False})


class AsPrescribedForm(AppForm):
    """Done as prescribed: one tap; the form only carries which log it was opened on."""

    submission_key = HiddenField(validators=[InputRequired("This form is out of date. Reload the page and try again.")])
    based_on = HiddenField()


class RecordForm(AppForm):
    """Add a record by hand, e.g. from before joining."""

    exercise = SelectField("Exercise", coerce=str, validate_choice=False, validators=[InputRequired("Choose an exercise.")])
    reps = StringField("Reps", [Optional(), Length(max=10), number("Enter reps as a whole number, like 5.", integer=True)],
                       render_kw=WHOLE)
    load = StringField("Load", [Optional(), Length(max=10), number("Enter a load like 102.5.")], render_kw=DECIMAL)
    time = StringField("Time", [Optional(), Length(max=10), duration], render_kw={"autocomplete": "off"})
    distance = StringField("Distance (m)", [Optional(), Length(max=10), number("Enter metres as a whole number, like 400.", integer=True)],
                           render_kw=WHOLE)
    date = DateField("Date", validators=[InputRequired("Enter the date of this record.")])
    note = StringField("Note", [Optional(), Length(max=200, message="Use at most 200 characters.")])
    unit = HiddenField()  # as in LogForm: the unit the Load label showed

    typed_unit = LogForm.typed_unit

    def data_for_rules(self, unit):
        return {
            "reps": getattr(self.reps, "parsed", None),
            "load": getattr(self.load, "parsed", None),
            "duration_seconds": getattr(self.time, "parsed", None),
            "distance_m": getattr(self.distance, "parsed", None),
            "date": self.date.data,
            "note": self.note.data,
            "unit": unit,
        }


class MyMaxForm(AppForm):
    """Enter your 1RM: the client's own max of one exercise, for loads from percentages."""

    value = StringField("Your 1RM", [InputRequired("Enter your 1RM, like 100."), Length(max=10),
                                     number("Enter a load like 102.5.")], render_kw=DECIMAL)  # fmt: skip
    unit = HiddenField()  # as in LogForm: the unit the label showed

    typed_unit = LogForm.typed_unit


class MoveSessionForm(AppForm):
    """Move session: the day it moves to (Session 1 Day 1)."""

    date = DateField("Move to", validators=[InputRequired("Choose the day to move it to.")])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.date.errors:  # WTForms' "Not a valid date value." says less
            self.date.errors[:] = ["Choose the day to move it to, as a date."]
        return valid


class FinishWorkoutForm(AppForm):
    """The workout's summary: how hard the whole session felt and a comment, both optional."""

    rpe = StringField("Session RPE (1–10, optional)", [Optional(), Length(max=4), number("Enter an RPE from 1 to 10, like 8 or 7.5.")],
                      render_kw=DECIMAL)  # fmt: skip
    notes = TextAreaField("Comment (optional)", [Optional(), Length(max=2000, message="Use at most 2000 characters.")])
