"""Training history and Personal Records, on the client's phone: everything they logged,
one logged session, their records per exercise with a progress chart, and records entered by
hand."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from fitr.clock import today_for
from fitr.conversations.rules import comment_counts
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import ActionForm, attach, choices
from fitr.history import logs as history_logs
from fitr.history import records as history_records
from fitr.history.models import ManualRecord
from fitr.library.models import Exercise
from fitr.training import bp
from fitr.training.access import own_exercise, own_log
from fitr.training.chart import progress_chart
from fitr.training.forms import RecordForm
from fitr.training.visibility import find_own_session
from fitr.units import format_distance, format_duration, kg_to_display, round_load
from fitr.web import render, rolled_back

# --- history -----------------------------------------------------------------------------------


def _int_arg(name, default=None, minimum=1):
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum or len(raw) > 9:
        abort(400, f"That {name} is not valid.")
    return int(raw)


@bp.route("/my/history")
@login_required
def history():
    """Training history: everything I logged, newest first, filterable by exercise, paged."""
    exercise_id = _int_arg("exercise")
    page = _int_arg("page", 1)
    logs, has_next = history_logs.history_page(current_user.id, exercise_id, page)
    return render(
        "training/history.html",
        block="history",
        logs=logs,
        page=page,
        has_next=has_next,
        comments=comment_counts(current_user.id, [log.session_id for log in logs if log.session_id]),
        exercise_id=exercise_id,
        exercises=history_logs.logged_exercises(current_user.id),
    )


@bp.route("/my/logs/<int:log_id>")
@login_required
def log(log_id):
    """One logged session as I did it; still here after the plan, program or subscription went."""
    entry = own_log(log_id)
    today = today_for(current_user)
    planned = None
    if entry.session_id is not None:
        found = find_own_session(current_user, entry.session_id, today)
        planned = found[0] if found else None
    return render("training/log.html", log=entry, planned=planned)


# --- Personal Records --------------------------------------------------------------------------


@bp.route("/my/records")
@login_required
def records():
    """Personal Records: per exercise the best load for 1 to 10 reps, estimated 1RM, best time
    and distance."""
    return render("training/records.html", records=history_records.personal_records(current_user.id), reps=history_records.RECORD_REPS)


def chart_for(exercise, unit):
    series = history_records.progress(current_user.id, exercise.id, exercise.measure)
    if not series:
        return None, None
    if exercise.measure == "time":
        return progress_chart(series, lambda v: format_duration(int(round(v)))), "Longest time"
    if exercise.measure == "distance":
        return progress_chart(series, lambda v: format_distance(int(round(v)))), "Longest distance"
    if exercise.measure == "reps":
        return progress_chart(series, lambda v: f"{round(v)}"), "Most reps"
    display = [(day, kg_to_display(value, unit)) for day, value in series]
    return progress_chart(display, lambda v: f"{round_load(v)} {unit}"), "Estimated 1RM"


@bp.route("/my/records/<int:exercise_id>")
@login_required
def exercise_records(exercise_id):
    """One exercise's records, with a chart of my estimated 1RM over time."""
    exercise = own_exercise(exercise_id)
    records = history_records.personal_records(current_user.id, [exercise.id]).get(exercise.id)
    chart, chart_title = chart_for(exercise, current_user.units)
    return render(
        "training/exercise_records.html",
        exercise=exercise,
        records=records,
        chart=chart,
        chart_title=chart_title,
        manual=history_records.manual_records(current_user.id, exercise.id),
        delete_form=ActionForm(),
        reps=history_records.RECORD_REPS,
    )


def record_choices():
    exercises = db.session.scalars(
        select(Exercise)
        .where(history_records.client_exercises(current_user.id), Exercise.archived.is_(False))
        .order_by(func.lower(Exercise.name), Exercise.id)
    ).all()
    return {str(e.id): e for e in exercises}


@bp.route("/my/records/new", methods=["GET", "POST"])
@login_required
def new_record():
    """Add a record by hand, e.g. from before I joined; it counts like a logged set."""
    known = record_choices()
    form = RecordForm() if request.method == "POST" else RecordForm(formdata=request.args or None)
    form.exercise.choices = choices([("", "Choose an exercise")] + [(key, e.name) for key, e in known.items()])
    unit = form.typed_unit(current_user.units)
    form.unit.data = unit
    form.load.label.text = f"Load ({unit})"
    if request.method == "GET":
        form.date.data = form.date.data or today_for(current_user)
    chosen = known.get(form.exercise.data or "")
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            if chosen is None:
                form.exercise.errors = ["Choose an exercise from the list."]
            else:
                try:
                    history_records.add_manual_record(current_user, chosen, form.data_for_rules(unit))
                except RuleError as error:
                    attach(form, error)
                    return rolled_back(render("training/record_form.html", block="record_form", status=400, form=form,
                                              chosen=chosen, unit=unit))  # fmt: skip
                else:
                    db.session.commit()
                    flash(f"Record added for {chosen.name}.", "success")
                    return redirect(url_for("training.exercise_records", exercise_id=chosen.id))
    return render("training/record_form.html", block="record_form", status=status, form=form, chosen=chosen, unit=unit)


@bp.route("/my/records/manual/<int:record_id>/delete", methods=["POST"])
@login_required
def delete_record(record_id):
    """Delete a record I entered by hand."""
    if not ActionForm().validate_on_submit():
        abort(400)
    exercise_id = db.session.scalar(
        select(ManualRecord.exercise_id).where(
            ManualRecord.id == record_id, ManualRecord.user_id == current_user.id
        )
    )
    if not history_records.delete_manual_record(current_user.id, record_id):
        abort(404)
    db.session.commit()
    flash("Record deleted.", "success")
    if exercise_id is None:
        return redirect(url_for("training.records"))
    return redirect(url_for("training.exercise_records", exercise_id=exercise_id))
