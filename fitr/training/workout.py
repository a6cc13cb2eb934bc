"""Workout mode: Start opens a session full screen on the client's phone, one exercise (or one
superset, its sets alternating A1, A2) at a time, a row per set filled with the prescription in
the client's unit. The phone keeps each ticked set (static/js/workout.js) and Finish sends them
all at once through the same log as the session page, with a key made when the workout started,
so a resend never logs twice. The summary then shows the sets, the volume and the records the
log holds, and asks for an optional session RPE and comment."""

from dataclasses import dataclass, field

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.calendars.links import calendar_day_url
from fitr.clock import today_for
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import attach
from fitr.history.logs import log_of, new_submission_key
from fitr.history.records import new_records_in, records_by_exercise
from fitr.history.writing import EmptyDone, LogConflict, finish_log, log_session, tell_coach
from fitr.maxes.rules import client_loads
from fitr.training import bp
from fitr.training.access import own_session
from fitr.training.forms import FinishWorkoutForm, LogForm, log_formdata
from fitr.units import DEFAULT_PLATES, format_load
from fitr.web import render, rolled_back

NOTHING_TICKED = "Tick the sets you did, then Finish workout. Or log the session on its page (Close)."

# --- the workout, a step at a time -------------------------------------------------------------


@dataclass
class Exercise:
    """One exercise of a step: its label in a superset (A1), what the coach wrote, the client's
    own load of a percentage."""

    label: str
    prescription: object
    load: object = None


@dataclass
class WorkoutSet:
    """One row of a step: the log form's row for this set, and the rest after it (seconds; None:
    the client's default rest; 0: none, as between A1 and A2 of a superset's round)."""

    row: object
    exercise: Exercise
    rest: int | None


@dataclass
class Step:
    heading: str
    exercises: list = field(default_factory=list)
    sets: list = field(default_factory=list)


def workout_steps(session, rows, loads):
    """The session's groups as steps: each exercise on its own, or a superset or circuit whose
    sets alternate (A1 set 1, A2 set 1, A1 set 2...). `rows`: the log form's rows, {(position,
    set number): Row}."""
    place = {id(p): position for position, p in enumerate(session.prescriptions)}
    steps = []
    for group in session.groups:
        step = Step(group.heading or group.rows[0].exercise.name)
        members = [(place[id(p)], Exercise(label if group.is_group else "", p, loads.get(p.id))) for label, p in group.labelled]
        step.exercises = [exercise for _, exercise in members]
        rounds = max((p.sets or 1) for p in group.rows)
        for number in range(1, rounds + 1):
            in_round = [(position, exercise) for position, exercise in members if (position, number) in rows]
            for turn, (position, exercise) in enumerate(in_round):
                rest = exercise.prescription.rest_seconds
                if rest is None and turn < len(in_round) - 1:
                    rest = 0  # straight on to the next exercise of the round
                step.sets.append(WorkoutSet(rows[(position, number)], exercise, rest))
        if step.sets:
            steps.append(step)
    if steps:
        steps[-1].sets[-1].rest = 0  # the last set: next is Finish, not a rest
    return steps


def prescribed_form(planned, today, loads, submission_key):
    """The log form filled with the session as prescribed, in the client's unit."""
    data = log_formdata(planned, None, current_user.units, submission_key, today, loads)
    return LogForm(formdata=data, meta={"csrf": False})


def workout_page(planned, subscription, form, today, loads, status=200):
    """The workout; for a refused Finish, the sets sent (with their messages) among the others
    as prescribed, since only the ticked ones are sent."""
    unit = current_user.units
    rows = {}
    if status != 200:
        rows = {(r.position, r.set_number): r for r in prescribed_form(planned, today, loads, "").rows}
    rows.update({(r.position, r.set_number): r for r in form.rows})
    return render(
        "training/workout.html", status=status, session=planned, subscription=subscription, form=form,
        steps=workout_steps(planned, rows, loads), unit=unit, step_load=DEFAULT_PLATES[unit], today=today,
        full_screen=True,
    )  # fmt: skip


@bp.route("/my/sessions/<int:session_id>/workout", methods=["GET", "POST"])
@login_required
def workout(session_id):
    """Workout mode: the session set by set. Finish saves the sets ticked as one log (one
    transaction; the same workout sent twice saves once) and opens the summary. A session
    logged already opens its summary."""
    today = today_for(current_user)
    planned, subscription = own_session(session_id, today)
    log = log_of(current_user.id, planned.id)
    summary = url_for("training.workout_summary", session_id=planned.id)
    loads = client_loads(current_user, [(planned, subscription.program)])
    if request.method == "GET":
        if log is not None:
            return redirect(summary)
        return workout_page(planned, subscription, prescribed_form(planned, today, loads, new_submission_key()), today, loads)

    form = LogForm()
    if not form.validate_on_submit():
        return workout_page(planned, subscription, form, today, loads, status=400)
    data = {**form.data_for_rules(form.typed_unit(current_user.units)), "status": "done", "no_details": False}
    try:
        logged = log_session(current_user, planned, data, form.submission_key.data, subscription=subscription, today=today)
    except EmptyDone:
        form.form_errors.append(NOTHING_TICKED)
        return rolled_back(workout_page(planned, subscription, form, today, loads, status=400))
    except RuleError as error:
        attach(form, error)
        status = 409 if isinstance(error, LogConflict) else 400
        return rolled_back(workout_page(planned, subscription, form, today, loads, status=status))
    if logged.duplicate:  # sent again (a retry on a poor signal): saved once, the summary shows it
        db.session.rollback()
        return redirect(summary, 303)
    program = subscription.program
    records = new_records_in(logged.log, logged.records_before)
    tell_coach(logged, records, calendar_day_url(program.id, program.type, subscription.id, logged.log.date))
    db.session.commit()
    return redirect(summary, 303)


# --- the summary -------------------------------------------------------------------------------


def volume_kg(log):
    """Reps × load over the log's sets, in kg."""
    return sum((s.reps or 0) * (s.load_kg or 0) for s in log.sets)


@bp.route("/my/sessions/<int:session_id>/workout/summary", methods=["GET", "POST"])
@login_required
def workout_summary(session_id):
    """The workout's summary: sets, volume and the Personal Records the log holds, and an
    optional session RPE and comment for the coach. No log yet: back to the workout."""
    today = today_for(current_user)
    planned, subscription = own_session(session_id, today)
    log = log_of(current_user.id, planned.id)
    if log is None:
        return redirect(url_for("training.workout", session_id=planned.id))
    form = FinishWorkoutForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                finish_log(log, getattr(form.rpe, "parsed", None), form.notes.data)
            except RuleError as error:
                attach(form, error)
            else:
                db.session.commit()
                flash("Workout saved.", "success")
                return redirect(url_for("training.today"), 303)
    elif log.rpe is not None or log.notes:
        form.rpe.data = f"{log.rpe:g}" if log.rpe is not None else ""
        form.notes.data = log.notes
    unit = current_user.units
    records = records_by_exercise(new_records_in(log), unit)
    return rolled_back(render(
        "training/workout_summary.html", status=status, session=planned, subscription=subscription, log=log,
        form=form, records=records, volume=format_load(volume_kg(log) or None, unit), exercises=len({s.position for s in log.sets}),
        full_screen=True,
    ))  # fmt: skip
