"""The prescription editor as a request sees it, shared by a calendar's session editor and the
workout editor: buttons that rearrange rows without saving, type-ahead on exercise names, and
turning the rows typed into prescriptions of the coach's exercises."""

from flask import abort, request, url_for
from flask_login import current_user

from fitr.library.exercises import resolve_names
from fitr.library.forms import ROW_KEY, SessionForm, edit_rows
from fitr.library.groups import normalise
from fitr.library.workouts import MAX_PRESCRIPTIONS


def offer_exercises(form):
    """Each row's Exercise field types ahead: as the coach types, htmx asks for the exercises
    whose name or alias matches and shows them as buttons under the field (library/_matches.html)."""
    for row in form.prescriptions:
        row.exercise.render_kw = {
            **(row.exercise.render_kw or {}),
            "autocomplete": "off",
            "hx-get": url_for("library.exercise_matches"),
            "hx-trigger": "input changed delay:200ms, search",
            "hx-target": f"#{row.exercise.id}-matches",
            "hx-swap": "innerHTML",  # not the session form's outerHTML
            "hx-sync": "this:replace",
        }


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
    """The prescription values of a valid editor, or None with errors next to unknown exercises
    (which offer Create exercise) and ambiguous aliases (which offer their exercises). Exercises
    are checked even when other fields are wrong, so every message shows at once."""
    valid = form.validate()
    found, ambiguous = resolve_names(current_user.id, [e.exercise.data for e in form.prescriptions], keep_ids)
    values = []
    for entry in form.prescriptions:
        typed = (entry.exercise.data or "").strip()
        exercise = found.get(typed.lower())
        if exercise is not None:
            values.append(entry.values(exercise))
        elif entry.exercise.errors:
            continue
        elif typed.lower() in ambiguous:
            entry.exercise_choices = ambiguous[typed.lower()]
            names = " or ".join(e.name for e in entry.exercise_choices)
            entry.exercise.errors = [f"“{typed}” could be {names}: choose which."]
        else:
            entry.unknown_exercise = True
            entry.exercise.errors = ["Choose an exercise from your library, or Create exercise below."]
    return normalise(values) if valid and len(values) == len(form.prescriptions) else None
