"""The prescription editor as a request sees it, shared by a calendar's session editor and the
workout editor: buttons that rearrange rows without saving, type-ahead on exercise names, and
turning the rows typed into prescriptions of the coach's exercises."""

from flask import abort, request, url_for
from flask_login import current_user

from fitr.library import quick
from fitr.library.exercises import resolve_names
from fitr.library.forms import ROW_KEY, PrescriptionForm, SessionForm, blank_row, edit_rows
from fitr.library.groups import grouped, normalise
from fitr.library.workouts import MAX_PRESCRIPTIONS


def offer_exercises(form):
    """Each row's Exercise field types ahead: as the coach types, htmx asks for the exercises
    whose name or alias matches and shows them as buttons under the field (library/_matches.html).
    Also gives the form the blank row the browser adds at the end (its numbers are __N__)."""
    form.row_template = PrescriptionForm(prefix="prescriptions-__N__-", data=blank_row(current_user.units))
    for row in [*form.prescriptions, form.row_template]:
        row.exercise.render_kw = {
            **(row.exercise.render_kw or {}),
            "autocomplete": "off",
            "hx-get": url_for("library.exercise_matches"),
            "hx-trigger": "input changed delay:200ms, search",
            "hx-target": f"#{row.exercise.id}-matches",
            "hx-swap": "innerHTML",  # not the session form's outerHTML
            "hx-sync": "this:replace",
        }
    label_rows(form)


class _Row:
    def __init__(self, entry, joined):
        self.entry, self.joined = entry, joined


def label_rows(form):
    """Each row's label as the editor shows it (A, B; A1, A2 in a superset) and whether it
    carries its group's Rounds (the first row of a group of two or more)."""
    rows = [_Row(entry, i > 0 and bool(entry.joined.data)) for i, entry in enumerate(form.prescriptions)]
    for group in grouped(rows):
        for i, (label, row) in enumerate(group.labelled):
            row.entry.tag = label
            row.entry.shows_rounds = group.is_group and i == 0


def editor_action():
    return request.form.get("action", "save")


def posted_form():
    """The editor as posted; buttons other than Save session only rearrange its rows. More rows
    than a session holds is refused whole (400): the page never sends that many."""
    rows = {match[1] for key in request.form if (match := ROW_KEY.match(key))}
    if len(rows) > MAX_PRESCRIPTIONS:
        abort(400, f"A session holds at most {MAX_PRESCRIPTIONS} exercises; this form has {len(rows)}. Nothing was saved.")
    action = editor_action()
    formdata = edit_rows(request.form, action, current_user.units)
    split_quick_entries(formdata, current_user.id)
    form = SessionForm(formdata=formdata)
    return form, action == "save"


def split_quick_entries(formdata, coach_id):
    """Rows whose Exercise holds a quick entry ("Back Squat 5x5 @ 100kg") get it split into
    their fields, in place, unless the whole text is itself an exercise's name or alias (one
    query for all rows, only when some row holds one)."""
    rows = {}
    for key, value in formdata.items():
        match = ROW_KEY.match(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = value
    found = quick.candidates(rows)
    if not found:
        return
    named, ambiguous = resolve_names(coach_id, [rows[i]["exercise"] for i in found])
    letters = {}  # a superset's label typed first ("A1 ...", "A2 ...") joins rows of one letter
    for index, (name, fields) in sorted(found.items()):
        if rows[index]["exercise"].strip().lower() in named.keys() | ambiguous.keys():
            continue
        label = fields.pop("label", None)
        formdata.setlist(f"prescriptions-{index}-exercise", [name])
        for key, value in fields.items():
            formdata.setlist(f"prescriptions-{index}-{key}", [value])
        if label:
            letters[index] = label.rstrip("0123456789")
            if index > 0 and letters.get(index - 1) == letters[index]:
                formdata.setlist(f"prescriptions-{index}-joined", ["y"])


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
