"""A planned session and Log session, on the client's phone: per set what they did, Done or
Skipped, RPE and notes; Add set and Add exercise without a reload."""

from collections import defaultdict

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.calendars.links import calendar_day_url
from fitr.clock import today_for
from fitr.conversations.threads import load
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import attach
from fitr.history.logs import log_of, new_submission_key
from fitr.history.records import new_records_in, records_line
from fitr.history.writing import (
    EmptyDone,
    LogConflict,
    log_as_prescribed,
    log_session,
    loggable_exercises,
    tell_coach,
)
from fitr.library.groups import marks
from fitr.maxes.rules import client_loads
from fitr.training import bp
from fitr.training.access import own_movable_session, own_session
from fitr.training.client_comments import client_thread
from fitr.training.forms import (
    MAX_POSITION,
    ROWS_PER_EXERCISE,
    AsPrescribedForm,
    LogForm,
    MoveSessionForm,
    log_formdata,
    row_form,
)
from fitr.training.moving import MoveError, can_move, move_own_session, move_range
from fitr.units import UNITS
from fitr.web import is_htmx, render, rolled_back

# --- a session and its log ---------------------------------------------------------------------


def log_groups_of(form, session, exercises, log=None):
    """The form's set rows grouped by exercise, in order: [(position, exercise, prescription,
    rows, removed)]. The prescription is the session's at that place with that exercise or,
    for an exercise the `log` had as prescribed and the coach has moved since, the session's
    one of that exercise; `removed`: logged as prescribed, and no longer in the session."""
    groups = defaultdict(list)
    for row in form.rows:
        groups[row.position].append(row)
    was_prescribed = {(s.position, s.exercise_id) for s in log.sets if s.prescribed} if log else set()
    found = {}
    for position in sorted(groups):
        rows = groups[position]
        exercise_id = next((r.form.exercise_id.data for r in rows if (r.form.exercise_id.data or "").isdigit()), None)
        exercise = exercises.get(int(exercise_id)) if exercise_id else None
        prescription = None
        if position < len(session.prescriptions) and exercise and session.prescriptions[position].exercise_id == exercise.id:
            prescription = session.prescriptions[position]
        found[position] = [position, exercise, prescription, rows, False]
    taken = {id(group[2]) for group in found.values() if group[2] is not None}
    for group in found.values():
        position, exercise, prescription = group[:3]
        if prescription is None and exercise is not None and (position, exercise.id) in was_prescribed:
            moved = next((p for p in session.prescriptions if p.exercise_id == exercise.id and id(p) not in taken), None)
            if moved is not None:
                taken.add(id(moved))
            group[2], group[4] = moved, moved is None
    return [tuple(group) for group in found.values()]


def session_page(session, subscription, form, log, today, status=200, conflict=False, unit=None,
                 empty_done=False, skipping=False, loads=None):  # fmt: skip
    """The session and its log form. `empty_done`: Done was saved with nothing in it, and the
    page asks whether to fill in or confirm; `skipping`: the client chose Skip session, and
    the page asks why (optional). `loads`: the client's own loads of its percentages."""
    if loads is None:
        loads = client_loads(current_user, [(session, subscription.program)])
    exercises = loggable_exercises(subscription.program, session)
    return render(
        "training/session.html",
        status=status,
        session=session,
        subscription=subscription,
        program=subscription.program,
        form=form,
        log=log,
        groups=log_groups_of(form, session, exercises, log),
        marks=marks(session.prescriptions),
        exercises=sorted(exercises.values(), key=lambda e: e.name.lower()),
        next_position=next_position(form, session),
        unit=unit or current_user.units,
        today=today,
        conflict=conflict,
        empty_done=empty_done,
        skipping=skipping,
        loads=loads,
        thread=load(client_thread(session, subscription)),
        movable=can_move(session, subscription, today, log is not None),
    )


def next_position(form, session):
    used = [row.position for row in form.rows]
    return max([len(session.prescriptions) - 1, *used]) + 1


@bp.route("/my/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def session(session_id):
    """A planned session and Log session: per set what I did, Done or Skipped, RPE and notes.
    Saving is one transaction; the same form sent twice saves once; a form opened before the
    log was last saved is refused (409) rather than overwriting the newer log."""
    today = today_for(current_user)
    planned, subscription = own_session(session_id, today)
    log = log_of(current_user.id, planned.id)
    if request.method == "GET":
        loads = client_loads(current_user, [(planned, subscription.program)])
        data = log_formdata(planned, log, current_user.units, new_submission_key(), today, loads)
        form = LogForm(formdata=data, meta={"csrf": False})
        skipping = request.args.get("skip") == "1"
        page = session_page(planned, subscription, form, log, today, skipping=skipping, loads=loads)
        if request.headers.get("Fitr-Keep") == "1":
            db.session.rollback()  # fetched to be kept on the phone (static/js/sw.js): nobody read it yet
        else:
            db.session.commit()  # the comments shown are read
        return page

    form = LogForm()
    unit = form.typed_unit(current_user.units)
    quick = AsPrescribedForm() if request.form.get("as_prescribed") == "1" else None
    if not (quick.validate_on_submit() if quick else form.validate_on_submit()):
        return session_page(planned, subscription, form, log, today, status=400, unit=unit)
    try:
        if quick:
            # The page knows the client's loads of its percentages; history saves them as written.
            loads = client_loads(current_user, [(planned, subscription.program)])
            logged = log_as_prescribed(current_user, planned, subscription, quick.submission_key.data,
                                       quick.based_on.data or "", loads=loads, today=today)  # fmt: skip
        else:
            logged = log_session(
                current_user, planned, form.data_for_rules(unit), form.submission_key.data,
                subscription=subscription, today=today,
            )  # fmt: skip
    except RuleError as error:
        attach(form, error)
        conflict = isinstance(error, LogConflict)
        return rolled_back(session_page(planned, subscription, form, log, today,
                                        status=409 if conflict else 400, conflict=conflict, unit=unit,
                                        empty_done=isinstance(error, EmptyDone)))  # fmt: skip
    if logged.duplicate:
        db.session.rollback()
        flash("Already saved: this log was sent twice, and is saved once.", "info")
        return redirect(url_for("training.session", session_id=planned.id))
    records = new_records_in(logged.log, logged.records_before)
    program = subscription.program
    tell_coach(logged, records, calendar_day_url(program.id, program.type, subscription.id, logged.log.date))
    saved = "Skipped: saved." if logged.log.status == "skipped" else "Session logged."
    db.session.commit()
    flash(saved, "success")
    if records:
        flash(records_line(records, current_user.units), "record")
    return redirect(url_for("training.session", session_id=planned.id))


@bp.route("/my/sessions/<int:session_id>/move", methods=["GET", "POST"])
@login_required
def move_session(session_id):
    """Move session (Session 1 Day 1): the client puts one of their upcoming sessions on another
    day they can see. One transaction; a refused move changes nothing."""
    today = today_for(current_user)
    planned, subscription = own_movable_session(session_id, today)
    form = MoveSessionForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            title = planned.title
            try:
                day = move_own_session(current_user, planned, subscription, form.date.data, today)
            except MoveError as error:
                attach(form, error)
                status = 400 if error.field else 409
            else:
                db.session.commit()
                flash(f"Moved “{title}” to {day:%A %-d %B}.", "success")
                return redirect(url_for("training.session", session_id=session_id))
    elif form.date.data is None:
        form.date.data = planned.date
    first, last = move_range(subscription, today)
    form.date.render_kw = {"min": first.isoformat(), "max": last.isoformat()}
    return rolled_back(render(
        "training/move_session.html", status=status, session=planned, subscription=subscription,
        program=subscription.program, form=form, first=first, last=last, today=today,
    ))  # fmt: skip


def _fragment_args():
    try:
        position = int(request.args.get("position", ""))
        exercise_id = int(request.args.get("exercise_id", request.args.get("new_exercise", "")))
        set_number = int(request.args.get("set", "1"))
    except ValueError:
        abort(400, "Choose an exercise from the list.")
    if not 0 <= position <= MAX_POSITION or not 1 <= set_number < ROWS_PER_EXERCISE:
        abort(400, "This session has as many exercises or sets as it can hold.")
    return position, set_number, exercise_id


def _page_unit():
    """The unit of the page adding a row, so its Load label matches the rows already there."""
    unit = request.args.get("unit")
    return unit if unit in UNITS else current_user.units


@bp.route("/my/sessions/<int:session_id>/sets/new")
@login_required
def new_set(session_id):
    """Add set: one more empty row for an exercise (htmx appends it before the button)."""
    planned, subscription = own_session(session_id, today_for(current_user))
    if not is_htmx():
        return redirect(url_for("training.session", session_id=planned.id))
    position, set_number, exercise_id = _fragment_args()
    exercise = loggable_exercises(subscription.program, planned).get(exercise_id)
    if exercise is None:
        abort(400, "Choose an exercise from the list.")
    form = row_form(position, set_number, exercise.id)
    return render(
        "training/session.html", block="added_set", session=planned, exercise=exercise,
        position=position, set_number=set_number, entry=form.rows[0], unit=_page_unit(),
    )  # fmt: skip


@bp.route("/my/sessions/<int:session_id>/exercises/new")
@login_required
def new_exercise(session_id):
    """Add exercise: a group for an exercise the coach did not prescribe, with one set."""
    planned, subscription = own_session(session_id, today_for(current_user))
    if not is_htmx():
        return redirect(url_for("training.session", session_id=planned.id))
    position, _, exercise_id = _fragment_args()
    exercises = loggable_exercises(subscription.program, planned)
    exercise = exercises.get(exercise_id)
    if exercise is None:
        abort(400, "Choose an exercise from the list.")
    form = row_form(position, 1, exercise.id)
    return render(
        "training/session.html", block="added_exercise", session=planned, exercise=exercise, prescription=None,
        position=position, rows=form.rows, next_position=position + 1, unit=_page_unit(),
        exercises=sorted(exercises.values(), key=lambda e: e.name.lower()),
    )  # fmt: skip


