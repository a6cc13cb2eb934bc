"""The client's side, on their phone: today's training, each program's calendar (read-only),
logging a session, training history, Personal Records, units, and the calendar feed.

Every route loads what it shows through fitr.athlete.access (another client's things are a 404),
calls a rule, commits once, and renders.
"""

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, request, url_for
from flask import session as cookie_session  # `session` is the planned-session page below
from flask_login import current_user, login_required
from sqlalchemy import func, select

from fitr.athlete import bp, rules
from fitr.athlete.access import own_exercise, own_log, own_session, own_subscription
from fitr.athlete.chart import progress_chart
from fitr.athlete.forms import (
    MAX_POSITION,
    ROWS_PER_EXERCISE,
    ActionForm,
    LogForm,
    RecordForm,
    UnitsForm,
    log_formdata,
    row_form,
)
from fitr.athlete.forms import choices as select_choices
from fitr.athlete.ics import calendar_feed
from fitr.athlete.rules import AthleteError, today_for
from fitr.athlete.units import (
    UNITS,
    display_to_kg,
    format_distance,
    format_duration,
    format_load,
    kg_to_display,
    round_load,
)
from fitr.calendar.grid import VIEWS, calendar_grid
from fitr.calendar.models import Exercise
from fitr.extensions import db
from fitr.programs.models import ACTIVE
from fitr.web import absolute_url, is_htmx, render

COMING_DAYS = 7
NEW_FEED = "new_feed"  # the cookie-session key holding a just-made feed link until it is shown


# --- what templates use ------------------------------------------------------------------------


@bp.app_template_filter("fmt_load")
def fmt_load(kg, unit=None):
    """A stored load in the viewer's unit: '102.5 kg', '225 lb'."""
    return format_load(kg, unit or _unit())


@bp.app_template_filter("fmt_time")
def fmt_time(seconds):
    return format_duration(seconds)


@bp.app_template_filter("fmt_distance")
def fmt_distance(metres):
    return format_distance(metres)


@bp.app_template_filter("day_text")
def day_text(day):
    """'Tue 3 Nov 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@bp.app_template_global()
def describe_record(record, unit=None):
    return rules.describe(record, unit or _unit())


@bp.app_template_global()
def set_text(s, unit=None):
    """One logged set in a line: '5 × 100 kg', '12 reps', '1:30', '400 m'."""
    unit = unit or _unit()
    parts = []
    if s.reps is not None and s.load_kg is not None:
        parts.append(f"{s.reps} × {format_load(s.load_kg, unit)}")
    elif s.reps is not None:
        parts.append(f"{s.reps} rep{'s' if s.reps != 1 else ''}")
    elif s.load_kg is not None:
        parts.append(format_load(s.load_kg, unit))
    if s.duration_seconds:
        parts.append(format_duration(s.duration_seconds))
    if s.distance_m:
        parts.append(format_distance(s.distance_m))
    return ", ".join(parts)


@bp.app_template_global()
def log_groups(log):
    return rules.group_sets(log)


@bp.app_template_global()
def in_my_unit(prescription, unit=None):
    """A prescribed kg/lb load in the client's unit, when the coach wrote the other one."""
    unit = unit or _unit()
    if prescription.load_value is None or prescription.load_unit not in ("kg", "lb") or prescription.load_unit == unit:
        return ""
    kg = prescription.load_value if prescription.load_unit == "kg" else prescription.load_value * 0.45359237
    return f"≈ {format_load(kg, unit)}"


@bp.app_template_global()
def planned_load(prescription, unit):
    """The prescribed load as a number in the client's unit, for the Load field's placeholder."""
    if prescription is None or prescription.load_value is None or prescription.load_unit not in UNITS:
        return None
    if prescription.load_unit == unit:
        return round_load(prescription.load_value)
    kg = prescription.load_value if prescription.load_unit == "kg" else display_to_kg(prescription.load_value, "lb")
    return round_load(kg_to_display(kg, unit))


def _unit():
    return current_user.units if current_user.is_authenticated else "kg"


# --- home --------------------------------------------------------------------------------------


@bp.route("/my")
@login_required
def home():
    """Today's sessions across all my programs, the coming days, and my programs."""
    today = today_for(current_user)
    subscriptions = rules.client_subscriptions(current_user.id)
    active = [s for s in subscriptions if s.status == ACTIVE]
    planned = rules.visible_sessions(active, today, today + timedelta(days=COMING_DAYS), today)
    statuses = rules.completion_for_sessions([p.session.id for p in planned], current_user.id)
    by_day = defaultdict(list)
    for p in planned:
        by_day[p.session.date].append(p)
    return render(
        "athlete/home.html",
        today=today,
        todays=by_day.pop(today, []),
        coming=sorted(by_day.items()),
        subscriptions=subscriptions,
        statuses=statuses,
    )


# --- a program's calendar ----------------------------------------------------------------------


def read_view(today):
    view = request.args.get("view") or "month"
    if view not in VIEWS:
        abort(400, "Choose the month or week view.")
    raw = request.args.get("date")
    if not raw:
        return view, today
    try:
        cursor = date.fromisoformat(raw)
    except ValueError:
        abort(400, "That date is not valid. Use the calendar's Previous and Next buttons.")
    if not date(2000, 1, 1) <= cursor <= date(2099, 12, 31):
        abort(400, "Choose a date between 2000 and 2099.")
    return view, cursor


@bp.route("/my/programs/<int:subscription_id>/calendar")
@login_required
def calendar(subscription_id):
    """One program's calendar, month or week, read-only: what my coach lets me see so far."""
    subscription = own_subscription(subscription_id)
    today = today_for(current_user)
    view, cursor = read_view(today)
    return render("athlete/calendar.html", block="calendar", **calendar_context(subscription, view, cursor, today))


def calendar_context(subscription, view, cursor, today, **extra):
    program = subscription.program
    grid = calendar_grid(view, cursor, program.week_start, today)
    planned = rules.visible_sessions([subscription], grid.first, grid.last, today)
    grid.place([p.session for p in planned])
    return {
        "subscription": subscription,
        "program": program,
        "grid": grid,
        "today": today,
        "window": rules.visible_window(subscription, today),
        "statuses": rules.completion_for_sessions([p.session.id for p in planned], current_user.id),
        "active": subscription.status == ACTIVE,
        "feed": rules.feed_of(subscription.id) if subscription.status == ACTIVE else None,
        "feed_form": ActionForm(),
        "url": lambda **kw: url_for(
            "athlete.calendar", subscription_id=subscription.id, view=kw["view"], date=kw["cursor"].isoformat()
        ),
        **extra,
    }


@bp.route("/my/programs/<int:subscription_id>/feed", methods=["POST"])
@login_required
def create_feed(subscription_id):
    """Calendar feed: a new private link for my phone's calendar app (the old one stops working).
    Post, then redirect: a reload or Back never makes another link, which would silently turn
    off the one just added to the calendar app."""
    subscription = own_subscription(subscription_id)
    if subscription.status != ACTIVE or not ActionForm().validate_on_submit():
        abort(400, "This program has ended: it has no calendar feed.")
    token = rules.create_feed(subscription)
    db.session.commit()
    cookie_session[NEW_FEED] = {"subscription": subscription.id, "token": token}
    return redirect(url_for("athlete.show_new_feed", subscription_id=subscription.id), 303)


@bp.route("/my/programs/<int:subscription_id>/feed")
@login_required
def show_new_feed(subscription_id):
    """The link just made, shown once (it is stored only as a hash)."""
    subscription = own_subscription(subscription_id)
    new = cookie_session.get(NEW_FEED) or {}
    if new.get("subscription") != subscription.id or not isinstance(new.get("token"), str):
        flash("For your safety a calendar feed link is shown only once. Get a new link if you need it again.", "info")
        return redirect(url_for("athlete.calendar", subscription_id=subscription.id))
    cookie_session.pop(NEW_FEED)
    return render(
        "athlete/feed.html",
        subscription=subscription,
        program=subscription.program,
        feed_url=absolute_url("athlete.feed", token=new["token"]),
    )


@bp.route("/my/programs/<int:subscription_id>/feed/revoke", methods=["POST"])
@login_required
def revoke_feed(subscription_id):
    """Turn off the calendar feed link: calendar apps that use it get nothing more."""
    subscription = own_subscription(subscription_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    rules.revoke_feed(subscription)
    db.session.commit()
    flash("Calendar feed turned off. The old link no longer works.", "success")
    return redirect(url_for("athlete.calendar", subscription_id=subscription.id))


@bp.route("/feeds/<token>.ics")
def feed(token):
    """The private iCalendar feed of one subscription: what its client may see, nothing more."""
    subscription = rules.subscription_for_feed(token)
    if subscription is None:
        abort(404)
    today = today_for(subscription.client)
    window = rules.visible_window(subscription, today)
    first = max(window.first or today - timedelta(days=365), today - timedelta(days=365))
    last = window.last or today + timedelta(days=365)
    planned = rules.visible_sessions([subscription], first, last, today)
    host = urlsplit(absolute_url("athlete.home")).hostname or "fitr"
    body = calendar_feed(
        subscription.program.name,
        [p.session for p in planned],
        lambda s: absolute_url("athlete.session", session_id=s.id),
        host,
        unit=subscription.client.units,
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=900", "Content-Disposition": 'inline; filename="fitr.ics"'},
    )


# --- a session and its log ---------------------------------------------------------------------


def log_groups_of(form, session, exercises):
    """The form's set rows grouped by exercise, in order: [(position, exercise, prescription, rows)]."""
    groups = defaultdict(list)
    for row in form.rows:
        groups[row.position].append(row)
    result = []
    for position in sorted(groups):
        rows = groups[position]
        exercise_id = next((r.form.exercise_id.data for r in rows if (r.form.exercise_id.data or "").isdigit()), None)
        exercise = exercises.get(int(exercise_id)) if exercise_id else None
        prescription = None
        if position < len(session.prescriptions) and exercise and session.prescriptions[position].exercise_id == exercise.id:
            prescription = session.prescriptions[position]
        result.append((position, exercise, prescription, rows))
    return result


def attach(form, error):
    """A rule's refusal next to its field (a set row's field too), or above the form."""
    name = error.field or ""
    if name.startswith("sets-") and name.count("-") == 2 and not name.endswith("exercise_id"):
        _, index, sub = name.split("-")
        for row in getattr(form, "rows", []):
            if row.name == f"sets-{index}" and hasattr(row.form, sub):
                getattr(row.form, sub).errors = [*getattr(row.form, sub).errors, error.message]
                return
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def rolled_back(response):
    """Render from what is loaded, then undo anything the refused rule wrote."""
    db.session.rollback()
    return response


def session_page(session, subscription, form, log, exercises, today, status=200, conflict=False, unit=None):
    return render(
        "athlete/session.html",
        status=status,
        session=session,
        subscription=subscription,
        program=subscription.program,
        form=form,
        log=log,
        groups=log_groups_of(form, session, exercises),
        exercises=sorted(exercises.values(), key=lambda e: e.name.lower()),
        next_position=next_position(form, session),
        unit=unit or current_user.units,
        today=today,
        conflict=conflict,
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
    log = rules.log_of(current_user.id, planned.id)
    exercises = rules.loggable_exercises(subscription.program, planned)
    if request.method == "GET":
        data = log_formdata(planned, log, current_user.units, rules.new_submission_key(), today)
        form = LogForm(formdata=data, meta={"csrf": False})
        return session_page(planned, subscription, form, log, exercises, today)

    form = LogForm()
    unit = form.typed_unit(current_user.units)
    if not form.validate_on_submit():
        return session_page(planned, subscription, form, log, exercises, today, status=400, unit=unit)
    try:
        logged = rules.log_session(
            current_user, planned, form.data_for_rules(unit), form.submission_key.data,
            subscription=subscription, today=today,
        )  # fmt: skip
    except AthleteError as error:
        attach(form, error)
        conflict = isinstance(error, rules.LogConflict)
        return rolled_back(session_page(planned, subscription, form, log, exercises, today,
                                        status=409 if conflict else 400, conflict=conflict, unit=unit))  # fmt: skip
    if logged.duplicate:
        db.session.rollback()
        flash("Already saved: this log was sent twice, and is saved once.", "info")
        return redirect(url_for("athlete.session", session_id=planned.id))
    records = rules.new_records_in(logged.log, logged.records_before)
    saved = "Skipped: saved." if logged.log.status == "skipped" else "Session logged."
    db.session.commit()
    flash(saved, "success")
    if records:
        by_exercise = defaultdict(list)  # one name per exercise: "Back Squat: Estimated 1RM: …, 5 reps: …"
        for exercise, record in records:
            by_exercise[exercise.name].append(rules.describe(record, current_user.units))
        names = "; ".join(f"{name}: {', '.join(found)}" for name, found in by_exercise.items())
        flash(f"New Personal Record{'s' if len(records) > 1 else ''}! {names}", "record")
    return redirect(url_for("athlete.session", session_id=planned.id))


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
        return redirect(url_for("athlete.session", session_id=planned.id))
    position, set_number, exercise_id = _fragment_args()
    exercise = rules.loggable_exercises(subscription.program, planned).get(exercise_id)
    if exercise is None:
        abort(400, "Choose an exercise from the list.")
    form = row_form(position, set_number, exercise.id)
    return render(
        "athlete/session.html", block="added_set", session=planned, exercise=exercise,
        position=position, set_number=set_number, entry=form.rows[0], unit=_page_unit(),
    )  # fmt: skip


@bp.route("/my/sessions/<int:session_id>/exercises/new")
@login_required
def new_exercise(session_id):
    """Add exercise: a group for an exercise the coach did not prescribe, with one set."""
    planned, subscription = own_session(session_id, today_for(current_user))
    if not is_htmx():
        return redirect(url_for("athlete.session", session_id=planned.id))
    position, _, exercise_id = _fragment_args()
    exercises = rules.loggable_exercises(subscription.program, planned)
    exercise = exercises.get(exercise_id)
    if exercise is None:
        abort(400, "Choose an exercise from the list.")
    form = row_form(position, 1, exercise.id)
    return render(
        "athlete/session.html", block="added_exercise", session=planned, exercise=exercise, prescription=None,
        position=position, rows=form.rows, next_position=position + 1, unit=_page_unit(),
        exercises=sorted(exercises.values(), key=lambda e: e.name.lower()),
    )  # fmt: skip


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
    logs, has_next = rules.history_page(current_user.id, exercise_id, page)
    return render(
        "athlete/history.html",
        block="history",
        logs=logs,
        page=page,
        has_next=has_next,
        exercise_id=exercise_id,
        exercises=rules.logged_exercises(current_user.id),
    )


@bp.route("/my/logs/<int:log_id>")
@login_required
def log(log_id):
    """One logged session as I did it; still here after the plan, program or subscription went."""
    entry = own_log(log_id)
    today = today_for(current_user)
    planned = None
    if entry.session_id is not None:
        found = rules.find_own_session(current_user, entry.session_id, today)
        planned = found[0] if found else None
    return render("athlete/log.html", log=entry, planned=planned)


# --- Personal Records --------------------------------------------------------------------------


@bp.route("/my/records")
@login_required
def records():
    """Personal Records: per exercise the best load for 1 to 10 reps, estimated 1RM, best time
    and distance."""
    return render("athlete/records.html", records=rules.personal_records(current_user.id), reps=rules.RECORD_REPS)


def chart_for(exercise, unit):
    series = rules.progress(current_user.id, exercise.id, exercise.measure)
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
    records = rules.personal_records(current_user.id, [exercise.id]).get(exercise.id)
    chart, chart_title = chart_for(exercise, current_user.units)
    return render(
        "athlete/exercise_records.html",
        exercise=exercise,
        records=records,
        chart=chart,
        chart_title=chart_title,
        manual=rules.manual_records(current_user.id, exercise.id),
        delete_form=ActionForm(),
        reps=rules.RECORD_REPS,
    )


def record_choices():
    exercises = db.session.scalars(
        select(Exercise)
        .where(rules.client_exercises(current_user.id), Exercise.archived.is_(False))
        .order_by(func.lower(Exercise.name), Exercise.id)
    ).all()
    return {str(e.id): e for e in exercises}


@bp.route("/my/records/new", methods=["GET", "POST"])
@login_required
def new_record():
    """Add a record by hand, e.g. from before I joined; it counts like a logged set."""
    choices = record_choices()
    form = RecordForm() if request.method == "POST" else RecordForm(formdata=request.args or None)
    form.exercise.choices = select_choices([("", "Choose an exercise")] + [(key, e.name) for key, e in choices.items()])
    unit = form.typed_unit(current_user.units)
    form.unit.data = unit
    form.load.label.text = f"Load ({unit})"
    if request.method == "GET":
        form.date.data = form.date.data or today_for(current_user)
    chosen = choices.get(form.exercise.data or "")
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            if chosen is None:
                form.exercise.errors = ["Choose an exercise from the list."]
            else:
                try:
                    rules.add_manual_record(current_user, chosen, form.data_for_rules(unit))
                except AthleteError as error:
                    attach(form, error)
                    return rolled_back(render("athlete/record_form.html", block="record_form", status=400, form=form,
                                              chosen=chosen, unit=unit))  # fmt: skip
                else:
                    db.session.commit()
                    flash(f"Record added for {chosen.name}.", "success")
                    return redirect(url_for("athlete.exercise_records", exercise_id=chosen.id))
    return render("athlete/record_form.html", block="record_form", status=status, form=form, chosen=chosen, unit=unit)


@bp.route("/my/records/manual/<int:record_id>/delete", methods=["POST"])
@login_required
def delete_record(record_id):
    """Delete a record I entered by hand."""
    if not ActionForm().validate_on_submit():
        abort(400)
    exercise_id = db.session.scalar(
        select(rules.ManualRecord.exercise_id).where(
            rules.ManualRecord.id == record_id, rules.ManualRecord.user_id == current_user.id
        )
    )
    if not rules.delete_manual_record(current_user.id, record_id):
        abort(404)
    db.session.commit()
    flash("Record deleted.", "success")
    if exercise_id is None:
        return redirect(url_for("athlete.records"))
    return redirect(url_for("athlete.exercise_records", exercise_id=exercise_id))


# --- settings ----------------------------------------------------------------------------------


@bp.route("/my/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Units: kg or lb. Loads are stored once and shown in the unit I choose."""
    form = UnitsForm(data={"units": current_user.units} if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            current_user.units = form.units.data
            db.session.commit()
            flash(f"Loads are now shown in {form.units.data}.", "success")
            return redirect(url_for("athlete.settings"))
        status = 400
    return render("athlete/settings.html", form=form, status=status)
