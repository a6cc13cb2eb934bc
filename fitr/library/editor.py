"""The prescription editor as a request sees it, shared by a calendar's session editor and the
workout editor: buttons that rearrange rows without saving, type-ahead on exercise names, and
turning the rows typed into prescriptions of the coach's exercises."""

from flask import abort, request
from flask_login import current_user

from fitr.library.exercises import resolve_exercises
from fitr.library.forms import ROW_KEY, SessionForm, edit_rows
from fitr.library.workouts import MAX_PRESCRIPTIONS


def offer_exercises(form):
    """Each row's Exercise field types ahead from the library (the editor's datalist)."""
    for row in form.prescriptions:
        row.exercise.render_kw = {"list": "exercise-names", "autocomplete": "off"}


def editor_action():
    return request.form.get("action", "save")


def posted_form():
    """The editor as posted; buttons other than Save session only rearrange its rows. More rows
    than a session holds is refused whole (400): the page never sends that many."""
    rows = {match[1] for key in request.form if (match := ROW_KEY.match(key))}
    if len(rows) > MAX_PRESCRIPTIONS:
        abort(400, f"A session holds at most {MAX_PRESCRIPTIONS} exercises; this form has {len(rows)}. Nothing was saved.")
    action = editor_action()
    form = SessionForm(formdata=edit_rows(request.form, action, current_user.units))
    return form, action == "save"


def prescriptions_from(form, keep_ids=()):
    """The prescription values of a valid editor, or None with errors next to unknown exercises.
    Exercises are checked even when other fields are wrong, so every message shows at once."""
    valid = form.validate()
    exercises = resolve_exercises(current_user.id, [e.exercise.data for e in form.prescriptions], keep_ids)
    values = []
    for entry in form.prescriptions:
        exercise = exercises.get((entry.exercise.data or "").strip().lower())
        if exercise is None:
            if not entry.exercise.errors:
                entry.exercise.errors = [*entry.exercise.errors, "Choose an exercise from your library (or add it under Exercises)."]
        else:
            values.append(entry.values(exercise))
    return values if valid and len(values) == len(form.prescriptions) else None
