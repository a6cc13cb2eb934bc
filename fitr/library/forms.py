"""The library's forms: the prescription editor (a library workout's, and a calendar's session
editor too) and the exercise forms."""

import re
from collections import defaultdict

from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from fitr.forms import AppForm, choices, multiline, number, strip
from fitr.library.models import CATEGORIES, LOAD_UNITS, MEASURES, PERCENT_LABELS
from fitr.library.workouts import MAX_PRESCRIPTIONS
from fitr.units import duration_text, parse_duration

REPS = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})\s*)?$")
ROW_KEY = re.compile(r"^prescriptions-(\d+)-(\w+)$")
ROW_FIELDS = (
    "exercise", "sets", "reps", "load", "load_unit", "rpe", "tempo", "rest", "time", "distance", "notes", "joined", "rounds",
)  # fmt: skip
BLANK_IGNORES = ("load_unit", "joined")  # a row with only these set is blank


def most(characters):
    return Length(max=characters, message=f"Use at most {characters} characters.")


def seconds(text):
    """'90' -> 90, '1:30' -> 90, '' or not a duration -> None."""
    try:
        return parse_duration(text)
    except ValueError:
        return None


def duration(message, limit, too_long):
    """A validator: a duration typed as seconds or minutes, at most `limit` seconds."""

    def check(form, field):
        try:
            value = parse_duration(field.data)
        except ValueError:
            raise ValidationError(message) from None
        if value is not None and value > limit:
            raise ValidationError(too_long)

    return check


class PrescriptionForm(Form):
    """One exercise of the session: what, how many, how heavy, how."""

    exercise = StringField("Exercise", [DataRequired("Choose an exercise."), most(80)])
    sets = IntegerField("Sets", [Optional(), NumberRange(1, 50, "Sets must be from 1 to 50.")])
    reps = StringField("Reps", [Optional(), most(9), Regexp(REPS, message="Enter reps like 5 or 8-12.")])
    load = StringField("Load", [most(8), number("Enter a load like 100 or 72.5.")])
    load_unit = SelectField("Unit", choices=choices(LOAD_UNITS), default="kg")
    rpe = StringField("RPE", [most(4), number("RPE must be from 1 to 10.", low=1, high=10)])
    tempo = StringField("Tempo", [Optional(), most(12), Regexp(r"^[0-9Xx\-]+$", message="Enter a tempo like 3-1-X-0.")])
    rest = StringField("Rest", [Optional(), duration("Enter seconds (90) or minutes (1:30).", 3600, "Rest must be at most 60:00.")])
    time = StringField("Time", [Optional(), duration("Enter seconds (45) or minutes (2:30).", 86_400, "Time must be at most 24 hours.")])
    distance = IntegerField("Distance (m)", [Optional(), NumberRange(1, 100_000, "Distance must be from 1 m to 100 km.")])
    notes = StringField("Notes", [Optional(), most(500)])
    joined = BooleanField("Superset with the exercise above")
    rounds = IntegerField("Rounds", [Optional(), NumberRange(1, 50, "Rounds must be from 1 to 50.")])

    def validate_reps(self, field):
        match = REPS.match(field.data or "")
        if match and match[2] and int(match[2]) < int(match[1]):
            raise ValidationError("Put the smaller number first, like 8-12.")
        if match and int(match[2] or match[1]) > 500:
            raise ValidationError("Reps must be at most 500.")

    def validate_load(self, field):
        limit = 150 if self.load_unit.data in PERCENT_LABELS else 1000
        if field.parsed is not None and not 0 <= field.parsed <= limit:
            raise ValidationError(f"Load must be from 0 to {limit}.")

    def values(self, exercise):
        """The Prescription columns this row describes."""
        match = REPS.match(self.reps.data or "")
        reps_min = int(match[1]) if match else None
        load = self.load.parsed  # read when the editor was validated
        return {
            "exercise_id": exercise.id,
            "sets": self.sets.data,
            "reps_min": reps_min,
            "reps_max": int(match[2] or match[1]) if match else None,
            "load_value": load,
            "load_unit": self.load_unit.data if load is not None else None,
            "rpe": self.rpe.parsed,
            "tempo": (self.tempo.data or "").strip().upper(),
            "rest_seconds": seconds(self.rest.data),
            "duration_seconds": seconds(self.time.data),
            "distance_m": self.distance.data,
            "notes": (self.notes.data or "").strip(),
            "joined": bool(self.joined.data),
            "rounds": self.rounds.data,
        }


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
        "rest": duration_text(prescription.rest_seconds),
        "time": duration_text(prescription.duration_seconds),
        "distance": prescription.distance_m,
        "notes": prescription.notes,
        "joined": prescription.joined,
        "rounds": prescription.rounds,
    }


class SessionForm(AppForm):
    """The prescription editor: a calendar's session, or a library workout."""

    title = StringField("Title", [DataRequired("Enter a title or an exercise."), most(120)])
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

    def validate(self, extra_validators=None):
        """A session without a typed title takes one from its first exercises ("Bench Press +
        Barbell Row + 1 more"), which the coach can change."""
        if not (self.title.data or "").strip():
            self.title.data = derived_title([entry.exercise.data for entry in self.prescriptions])
        return super().validate(extra_validators)

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
        ordered = [row for row in ordered if any((row.get(k) or "").strip() for k in ROW_FIELDS if k not in BLANK_IGNORES)]
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


class ExerciseForm(AppForm):
    name = StringField("Name", [DataRequired("Enter a name."), most(80)])
    category = SelectField("Category", choices=choices(CATEGORIES))
    measure = SelectField("Measured by", choices=choices(MEASURES))


class RenameExerciseForm(AppForm):
    name = StringField("New name", [InputRequired("Enter a name."), most(80)])


class ExerciseDetailsForm(AppForm):
    """What a client sees of one of the coach's exercises, and the other names it is found by."""

    instructions = TextAreaField("Instructions", [Optional(), most(5000)], filters=[multiline])
    video_url = StringField("Demo video link", [Optional(), most(500)], filters=[strip])
    aliases = StringField("Other names (comma separated)", [Optional(), most(900)], filters=[strip])


class InlineExerciseForm(AppForm):
    """Create exercise from the session editor: the name typed in a row, and how it is measured."""

    name = StringField("Name", [DataRequired("Enter a name."), most(80)], filters=[strip])
    measure = SelectField("Measured by", choices=choices(MEASURES))


def derived_title(names, shown=2, longest=120):
    """A title made of the first exercises' names, '' when there are none."""
    names = [name.strip() for name in names if (name or "").strip()]
    title = " + ".join(names[:shown]) + (f" + {len(names) - shown} more" if len(names) > shown else "")
    return title[:longest].rstrip()
