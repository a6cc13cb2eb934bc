"""The coach's workout library (edit, delete), and the `flask library load-exercises` command.
The exercise library's routes are in exercise_routes.py."""

import click
from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.forms import attach, autofocus, first_error
from fitr.library import bp, exercises, workouts
from fitr.library.access import owned_workout
from fitr.library.exercises import LibraryError
from fitr.library.forms import SessionForm, focus_after
from fitr.library.prescription_editor import (
    editor_action,
    offer_exercises,
    posted_form,
    prescriptions_from,
)
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


@bp.cli.command("load-exercises")
def load_exercises_command():
    """Load the starter exercise library (safe to run again)."""
    added = exercises.load_starter_exercises()
    db.session.commit()
    click.echo(f"Added {added} starter exercises.")
