"""The coach's libraries: Workouts (edit, delete) and Exercises (add, rename, archive), and the
`flask library load-exercises` command."""

import click
from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.forms import attach, autofocus, first_error
from fitr.library import bp, exercises, workouts
from fitr.library.access import owned_exercise, owned_workout
from fitr.library.editor import editor_action, offer_exercises, posted_form, prescriptions_from
from fitr.library.exercises import LibraryError
from fitr.library.forms import ExerciseForm, RenameExerciseForm, SessionForm, focus_after
from fitr.web import is_htmx, render, rolled_back

# --- the workout library --------------------------------------------------------------------


@bp.route("/workouts", endpoint="workouts")
@login_required
def workouts_page():
    """The coach's workout library."""
    return render("library/workouts.html", workouts=workouts.workouts_of(current_user.id))


@bp.route("/workouts/<int:workout_id>", methods=["GET", "POST"])
@login_required
def edit_workout(workout_id):
    """Edit a library workout; sessions it was inserted into do not change."""
    workout = owned_workout(workout_id)
    if request.method == "GET":
        return workout_page(workout, SessionForm.for_record(workout))
    form, saving = posted_form()
    if saving:
        keep = {p.exercise_id for p in workout.prescriptions}
        prescriptions = prescriptions_from(form, keep)
        if prescriptions is not None:
            try:
                workouts.update_workout(
                    workout, current_user.id, form.title.data.strip(), form.notes.data, prescriptions,
                    form.version_number(),
                )  # fmt: skip
            except LibraryError as error:
                attach(form, error)
                form.version.data = workout.version
            else:
                db.session.commit()
                flash(f"Saved “{workout.title}”.", "success")
                return redirect(url_for(".workouts"))
        return rolled_back(workout_page(workout, form, status=400))
    return workout_page(workout, form, focus=focus_after(editor_action(), len(form.prescriptions)))


def workout_page(workout, form, status=200, focus=None):
    """The workout editor page; the keyboard lands on the first message, or where the coach was."""
    offer_exercises(form)
    wrong = first_error(form) or next((f for row in form.prescriptions for f in row if f.id == focus), None)
    if wrong is not None:
        autofocus(wrong)
    return render(
        "library/workout.html",
        status=status,
        workout=workout,
        form=form,
        focus=focus,
        exercise_names=exercises.exercise_names(current_user.id),
    )


@bp.route("/workouts/<int:workout_id>/delete", methods=["POST"])
@login_required
def delete_workout(workout_id):
    """Remove a workout from the library (the button asks first); sessions it was inserted into
    stay. htmx asked after the confirm: it reloads the library page, which says so."""
    workout = owned_workout(workout_id)
    db.session.delete(workout)
    db.session.commit()
    flash(f"Deleted “{workout.title}” from your library.", "success")
    if is_htmx():
        return "", 204, {"HX-Redirect": url_for(".workouts")}
    return redirect(url_for(".workouts"))


# --- the exercise library --------------------------------------------------------------------


def exercises_page(form=None, status=200, renaming=None, rename_form=None):
    """The exercise library page; a refused rename comes back with its message next to that
    exercise's New name field (`renaming` is its id)."""
    everything = exercises.library(current_user.id)
    return render(
        "library/exercises.html",
        status=status,
        form=form or ExerciseForm(formdata=None),
        own=[e for e in everything if e.coach_id is not None],
        starter=[e for e in everything if e.coach_id is None],
        rename_form=rename_form or RenameExerciseForm(formdata=None),
        renaming=renaming,
    )


@bp.route("/exercises", endpoint="exercises")
@login_required
def exercises_list():
    """The exercise library: the starter library and the coach's own exercises."""
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


@bp.cli.command("load-exercises")
def load_exercises_command():
    """Load the starter exercise library (safe to run again)."""
    added = exercises.load_starter_exercises()
    db.session.commit()
    click.echo(f"Added {added} starter exercises.")
