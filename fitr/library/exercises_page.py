"""The exercise library: Exercises (search, add, rename, archive, describe, hide a starter
exercise) and the session editor's type-ahead and Create exercise."""

import re

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from fitr.extensions import db
from fitr.forms import attach
from fitr.library import bp, exercises, quick, search
from fitr.library.access import owned_exercise, starter_exercise
from fitr.library.exercises import LibraryError
from fitr.library.forms import (
    ExerciseDetailsForm,
    ExerciseForm,
    InlineExerciseForm,
    RenameExerciseForm,
)
from fitr.library.models import MEASURES
from fitr.web import render, rolled_back

EXERCISE_FIELD = re.compile(r"^prescriptions-(\d{1,2})-exercise$")
# A new exercise's category when it is created from the editor, which asks only how it is measured.
INLINE_CATEGORY = {"load_reps": "strength", "reps": "strength", "time": "conditioning", "distance": "conditioning"}


def exercises_page(form=None, status=200, renaming=None, rename_form=None):
    """The exercise library page for the search in the URL (?q=, ?hidden=1); for htmx's active
    search only the results. A refused rename comes back with its message next to that
    exercise's New name field (`renaming` is its id)."""
    found = search.search_library(current_user.id, request.args.get("q", ""), request.args.get("hidden") == "1")
    return render(
        "library/exercises.html",
        block="results",
        status=status,
        library=found,
        form=form or ExerciseForm(formdata=None),
        rename_form=rename_form or RenameExerciseForm(formdata=None),
        renaming=renaming,
    )


@bp.route("/exercises", endpoint="exercises")
@login_required
def exercises_list():
    """The exercise library: the coach's own exercises and the starter library, searchable."""
    return exercises_page()


@bp.route("/exercises", methods=["POST"])
@login_required
def create_exercise():
    """Add one of your own exercises."""
    form = ExerciseForm()
    if form.validate():
        try:
            exercise = exercises.create_exercise(current_user.id, form.name.data, form.category.data, form.measure.data)
        except LibraryError as error:
            attach(form, error)
        else:
            db.session.commit()
            flash(f"Added {exercise.name} to your exercises.", "success")
            return redirect(url_for(".exercises"))
    return rolled_back(exercises_page(form, status=400))


@bp.route("/exercises/<int:exercise_id>/rename", methods=["POST"])
@login_required
def rename_exercise(exercise_id):
    """Rename one of your exercises; sessions using it show the new name."""
    exercise = owned_exercise(exercise_id)
    form = RenameExerciseForm()
    if form.validate():
        try:
            exercises.rename_exercise(exercise, form.name.data)
        except LibraryError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            db.session.commit()
            flash(f"Renamed to {exercise.name}.", "success")
            return redirect(url_for(".exercises"))
    return rolled_back(exercises_page(status=400, renaming=exercise.id, rename_form=form))


@bp.route("/exercises/<int:exercise_id>/archive", methods=["POST"])
@login_required
def archive_exercise(exercise_id):
    """Archive (or restore) one of your exercises: it is no longer offered in the editor."""
    exercise = owned_exercise(exercise_id)
    exercises.archive_exercise(exercise, archived=request.form.get("archived", "1") == "1")
    db.session.commit()
    flash(f"{'Archived' if exercise.archived else 'Restored'} {exercise.name}.", "success")
    return redirect(url_for(".exercises"))


@bp.route("/exercises/<int:exercise_id>", methods=["GET", "POST"])
@login_required
def describe_exercise(exercise_id):
    """One of your exercises: instructions and a demo video link (the client sees both from the
    session), and other names the editor finds it by."""
    exercise = owned_exercise(exercise_id)
    if request.method == "GET":
        data = {"instructions": exercise.instructions, "video_url": exercise.video_url,
                "aliases": ", ".join(a.name for a in exercise.aliases)}  # fmt: skip
        return render("library/exercise.html", exercise=exercise, form=ExerciseDetailsForm(formdata=None, data=data))
    form = ExerciseDetailsForm()
    if form.validate():
        try:
            exercises.describe_exercise(exercise, form.instructions.data, form.video_url.data, form.aliases.data)
        except LibraryError as error:
            attach(form, error)
        else:
            db.session.commit()
            flash(f"Saved {exercise.name}.", "success")
            return redirect(url_for(".exercises"))
    return rolled_back(render("library/exercise.html", status=400, exercise=exercise, form=form))


@bp.route("/exercises/<int:exercise_id>/hide", methods=["POST"])
@login_required
def hide_exercise(exercise_id):
    """Hide a starter exercise you do not use (hidden=0: show it again), for you only."""
    exercise = starter_exercise(exercise_id)
    hidden = request.form.get("hidden", "1") == "1"
    exercises.hide_exercise(current_user.id, exercise, hidden)
    db.session.commit()
    flash(f"{'Hid' if hidden else 'Showing'} {exercise.name}{'' if hidden else ' again'}.", "success")
    back = {"q": request.form.get("q") or None, "hidden": "1" if request.form.get("showing_hidden") == "1" else None}
    return redirect(url_for(".exercises", **{k: v for k, v in back.items() if v}))


# --- in the session editor -------------------------------------------------------------------


def typed_row():
    """(row index, text) of the editor's Exercise field that asked, or (None, ?q=)."""
    for key, value in request.values.items():
        match = EXERCISE_FIELD.match(key)
        if match:
            return int(match[1]), value
    return None, request.values.get("q", "")


@bp.route("/exercises/matches")
@login_required
def exercise_matches():
    """The editor's type-ahead: exercises whose name or alias matches what a row's Exercise field
    holds, as buttons that fill it; none found offers Create exercise."""
    row, typed = typed_row()
    typed = quick.name_part(typed)  # "Back Squat 5x5 @ 100kg" looks for Back Squat
    matches = search.exercise_matches(current_user.id, typed)
    return render("library/_matches.html", row=row, typed=search.clean_query(typed), matches=matches, measures=MEASURES)


@bp.route("/exercises/inline", methods=["POST"])
@login_required
def create_exercise_inline():
    """Create exercise from the session editor: the name typed in the row, measured as chosen.
    Only the row's note is swapped, so nothing else typed in the session is lost."""
    row = request.form.get("row", "")
    row = int(row) if row.isdigit() and len(row) <= 2 else 0
    name = request.form.get(f"prescriptions-{row}-exercise", "")
    form = InlineExerciseForm(MultiDict({"name": name, "measure": request.form.get(f"measure-{row}", "")}))
    if form.validate():
        measure = form.measure.data
        try:
            exercise = exercises.create_exercise(current_user.id, form.name.data, INLINE_CATEGORY[measure], measure)
        except LibraryError as error:
            attach(form, error)
        else:
            db.session.commit()
            return render("library/_matches.html", row=row, created=exercise)
    errors = [message for field in (form.name, form.measure) for message in field.errors]
    page = render("library/_matches.html", status=400, row=row, typed=search.clean_query(name), matches=[], measures=MEASURES, refused=errors)
    return rolled_back(page)
