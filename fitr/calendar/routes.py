"""Calendar pages: a client's calendar with the client switcher, the session editor, moving and
copying sessions, a program's template and shared calendar, and the coach's libraries.

Every route loads what it touches through fitr.programs.access or fitr.calendar.access, calls
one rule, commits, and renders the page or, for htmx, the block it changed.
"""

from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import click
from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from fitr.calendar import bp, rules
from fitr.calendar.access import (
    find_owned_session,
    owned_calendar,
    owned_exercise,
    owned_session,
    owned_workout,
)
from fitr.calendar.completion import calendar_completion, session_logs
from fitr.calendar.forms import (
    ApplyTemplateForm,
    CopyDaysForm,
    CopySessionForm,
    ExerciseForm,
    InsertWorkoutForm,
    MoveForm,
    RenameExerciseForm,
    SessionForm,
    autofocus,
    blank_row,
    choices,
    edit_rows,
    first_error,
    focus_after,
)
from fitr.calendar.grid import VIEWS, calendar_grid, template_grid
from fitr.calendar.models import (
    CLIENT,
    GROUP,
    TEMPLATE,
    TEMPLATE_WEEKS,
    Exercise,
    Workout,
    WorkoutItem,
)
from fitr.calendar.rules import CalendarError
from fitr.extensions import db
from fitr.programs.access import owned_program, owned_subscription
from fitr.programs.models import GROUP as GROUP_PROGRAM
from fitr.programs.models import Subscription
from fitr.web import is_htmx, render

PAGE = "calendar/calendar.html"
DIALOG = "#session-dialog-body"
GONE = "This session was deleted in another tab, so nothing was changed."
UNDO_SECONDS = 15 * 60  # how long Undo after Delete works


# --- what is on screen -----------------------------------------------------------------------


def today():
    """Today where the coach is."""
    try:
        return datetime.now(ZoneInfo(current_user.time_zone)).date()
    except (KeyError, ValueError):
        return date.today()


def read_view(args, calendar, strict=True):
    """(view, cursor) from a calendar URL's query; bad values are a 400 when `strict`."""

    def bad(message):
        if strict:
            abort(400, message)
        return None

    view = args.get("view") or "month"
    if view not in VIEWS:
        view = bad("Choose the month or week view.") or "month"
    if calendar.kind == TEMPLATE:
        raw = args.get("week") or "1"
        if not raw.isdigit() or not 1 <= int(raw) <= TEMPLATE_WEEKS:
            raw = bad(f"Choose a week from 1 to {TEMPLATE_WEEKS}.") or "1"
        return view, rules.template_day(int(raw), 1)
    raw = args.get("date")
    if not raw:
        return view, today()
    try:
        cursor = date.fromisoformat(raw)
        rules.check_date(calendar, cursor)
    except ValueError:
        return view, bad("That date is not valid. Use the calendar's Previous and Next buttons.") or today()
    except CalendarError as error:
        return view, bad(error.message) or today()
    return view, cursor


def view_on_screen(calendar, day=None):
    """The view the coach is looking at (from htmx's HX-Current-URL) when it shows this
    calendar; else the month holding `day`."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path == urlsplit(calendar_url(calendar)).path:
        args = {key: values[0] for key, values in parse_qs(current.query).items()}
        return read_view(args, calendar, strict=False)
    return "month", day or today()


def calendar_url(calendar, view=None, cursor=None, **extra):
    args = dict(extra)
    if view:
        args["view"] = view
    if cursor is not None:
        if calendar.kind == TEMPLATE:
            args["week"] = rules.template_position(cursor)[0]
        else:
            args["date"] = cursor.isoformat()
    if calendar.kind == CLIENT:
        return url_for(
            "calendar.client_calendar",
            program_id=calendar.program_id,
            subscription_id=calendar.subscription_id,
            **args,
        )
    if calendar.kind == GROUP:
        return url_for("calendar.shared_calendar", program_id=calendar.program_id, **args)
    return url_for("calendar.template", program_id=calendar.program_id, **args)


def build_grid(calendar, view, cursor):
    """The days on screen (no queries)."""
    if calendar.kind == TEMPLATE:
        return template_grid(view, cursor)
    return calendar_grid(view, cursor, calendar.program.week_start, today())


def calendar_context(calendar, view, cursor, message=None, undo=None, days_form=None):
    """Everything the calendar block shows: the grid with its sessions (two queries) and their
    completion (one query); for a whole page also the program's clients for the switcher (one
    query). The Copy a day or week form loads when opened, unless it comes back with messages."""
    program = calendar.program
    grid = build_grid(calendar, view, cursor)
    sessions = rules.sessions_between(calendar, grid.first, grid.last)
    grid.place(sessions)
    page = not is_htmx()
    return {
        "program": program,
        "calendar": calendar,
        "subscription": calendar.subscription if calendar.kind == CLIENT else None,
        "clients": rules.live_subscriptions(program) if page and program.type != GROUP_PROGRAM else [],
        "grid": grid,
        "completion": calendar_completion(calendar, sessions, today()),
        "read_only": rules.is_read_only(calendar),
        "days_form": days_form,
        "message": message,
        "undo": undo,
        "url": lambda **kw: calendar_url(calendar, **kw),
    }


def copy_days_form(calendar, first=None, formdata=None):
    """Copy a day or week: as posted, or by default the week from `first` to the week after,
    on this client."""
    subscription = calendar.subscription if calendar.kind == CLIENT else None
    if formdata is not None:  # as posted: a default must not fill a field left empty
        form = CopyDaysForm(formdata=formdata, prefix="copy")
    else:
        form = CopyDaysForm(
            formdata=None,
            prefix="copy",
            data={
                "source": {"date": first, "week": rules.template_position(first)[0], "day": 1},
                "to": _next_week_defaults(calendar, first),
                "clients": [subscription.id] if subscription else [],
            },
        )
    clients = rules.live_subscriptions(calendar.program) if subscription else []
    form.clients.choices = choices((s.id, s.display_name) for s in clients)
    return form, {s.id: s for s in clients}


def _next_week_defaults(calendar, first):
    week = rules.template_position(first)[0] if calendar.kind == TEMPLATE else 0
    return {"date": first.fromordinal(first.toordinal() + 7), "week": min(week + 1, TEMPLATE_WEEKS), "day": 1}


def show_calendar(calendar, view, cursor, status=200, **extra):
    """The calendar page, or just its block for htmx; commits a calendar created on first view."""
    return committed(render(PAGE, block="calendar", status=status, **calendar_context(calendar, view, cursor, **extra)))


def calendar_changed(calendar, day=None, message=None, undo=None):
    """After a change: the calendar block as the coach was looking at it (htmx), or a redirect."""
    view, cursor = view_on_screen(calendar, day)
    if not is_htmx():
        if message:
            flash(message, "success")
        return redirect(calendar_url(calendar, view, cursor))
    return close_dialog(render(PAGE, block="calendar", **calendar_context(calendar, view, cursor, message, undo)))


def calendar_refused(calendar, days_form):
    """The calendar block again with the copy form's messages (400), the keyboard on the first."""
    wrong = first_error(days_form)
    if wrong is not None:
        autofocus(wrong)
    view, cursor = view_on_screen(calendar)
    context = calendar_context(calendar, view, cursor, days_form=days_form)
    return render(PAGE, block="calendar", status=400, **context)


def day_changed(calendar, day):
    """After a save or delete: only that day's cell (its sessions and their completion: three
    queries), when it is on screen; else the calendar."""
    view, cursor = view_on_screen(calendar, day)
    shown = next((d for _, days in build_grid(calendar, view, cursor).weeks for d in days if d.date == day), None)
    if shown is None or not is_htmx():
        return calendar_changed(calendar, day)
    shown.sessions = rules.sessions_between(calendar, day, day)
    context = {
        "program": calendar.program,
        "calendar": calendar,
        "completion": calendar_completion(calendar, shown.sessions, today()),
        "read_only": rules.is_read_only(calendar),
    }
    return close_dialog(render(PAGE, block="day", day=shown, **context))


def in_dialog(response):
    """Send a response to the session dialog, whatever the requesting form targeted."""
    body, status = response
    return body, status, {"HX-Retarget": DIALOG, "HX-Reswap": "innerHTML"}


def committed(response):
    """Commit after rendering from the flushed state, so nothing rendered has to be reloaded;
    a failed commit still fails the whole request."""
    db.session.commit()
    return response


def rolled_back(response):
    """Render a refusal from the state the coach saw, then drop anything half-done."""
    db.session.rollback()
    return response


def close_dialog(response):
    """A change made from the dialog is done: calendar.js closes it on this event."""
    if isinstance(response, tuple):
        return *response, {"HX-Trigger": "calendar-changed"}
    return response


# --- calendars -------------------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/calendar")
@login_required
def program_calendar(program_id):
    """Open calendar: a Group program's shared calendar, else the first client's calendar."""
    program = owned_program(program_id)
    if program.type == GROUP_PROGRAM:
        return redirect(url_for(".shared_calendar", program_id=program.id))
    clients = rules.live_subscriptions(program)
    if clients:
        return redirect(url_for(".client_calendar", program_id=program.id, subscription_id=clients[0].id))
    return redirect(url_for(".template", program_id=program.id))


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/calendar")
@login_required
def client_calendar(program_id, subscription_id):
    """One client's own calendar, month or week, beside the program's client switcher."""
    subscription = owned_subscription(
        program_id, subscription_id, joinedload(Subscription.program), joinedload(Subscription.client)
    )
    if subscription.program.type == GROUP_PROGRAM:
        return redirect(url_for(".shared_calendar", program_id=program_id))
    calendar = rules.calendar_for_subscription(subscription)
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/shared-calendar")
@login_required
def shared_calendar(program_id):
    """A Group program's one calendar, which every subscriber follows."""
    program = owned_program(program_id)
    if program.type != GROUP_PROGRAM:
        return redirect(url_for(".program_calendar", program_id=program.id))
    calendar = rules.group_calendar(program)
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/template")
@login_required
def template(program_id):
    """The program template: Week 1, Week 2, ... copied to each client from their start date."""
    program = owned_program(program_id)
    if program.type == GROUP_PROGRAM:
        abort(404, "A Group program has one shared calendar and no template.")
    calendar = rules.template_calendar(program)
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/template/apply", methods=["GET", "POST"])
@login_required
def apply_template(program_id):
    """Apply template: copy the template into chosen clients' calendars from a start date,
    keeping or replacing what is there."""
    program = owned_program(program_id)
    if program.type == GROUP_PROGRAM:
        abort(404, "A Group program has one shared calendar and no template.")
    clients = {s.id: s for s in rules.live_subscriptions(program)}
    chosen = request.args.get("client", type=int)
    if request.method == "POST":  # as posted: an unticked client must stay unticked
        form = ApplyTemplateForm()
    else:
        form = ApplyTemplateForm(data={"clients": [chosen] if chosen in clients else []})
    form.clients.choices = choices((s.id, client_label(s)) for s in clients.values())
    if form.validate_on_submit():
        chosen = [clients[i] for i in form.clients.data]
        missing = [s.display_name for s in chosen if form.start.data is None and s.start_date is None]
        if missing:
            form.start.errors = [*form.start.errors, f"Enter a start date: {', '.join(missing)} has none yet."]
        else:
            try:
                created = sum(
                    rules.copy_template(program, s, form.start.data or s.start_date, form.mode.data == "replace")
                    for s in chosen
                )
            except CalendarError as error:
                db.session.rollback()
                form.start.errors = [*form.start.errors, error.message]
            else:
                db.session.commit()
                flash(f"Applied the template to {len(chosen)} client{'s' if len(chosen) > 1 else ''}: {created} session{'s' if created != 1 else ''}.", "success")
                if len(chosen) == 1:
                    start = form.start.data or chosen[0].start_date
                    return redirect(url_for(".client_calendar", program_id=program.id, subscription_id=chosen[0].id, date=start.isoformat()))
                return redirect(url_for(".template", program_id=program.id))
    status = 400 if form.errors else 200
    return render("calendar/apply_template.html", status=status, program=program, form=form, weeks=rules.template_weeks(program))


def client_label(subscription):
    start = f" (starts {subscription.start_date.day} {subscription.start_date:%b %Y})" if subscription.start_date else " (no start date)"
    pending = " · pending" if subscription.status == "pending" else ""
    return subscription.display_name + start + pending


@bp.route("/programs/<int:program_id>/calendar/clients")
@login_required
def client_list(program_id):
    """The client switcher's list, filtered by the search box."""
    program = owned_program(program_id)
    if not is_htmx():
        return redirect(url_for(".program_calendar", program_id=program.id))
    query = (request.args.get("q") or "").strip().lower()[:100]
    clients = [
        s
        for s in rules.live_subscriptions(program)
        if query in s.display_name.lower() or query in s.client_email.lower()
    ]
    return render(PAGE, block="client_list", program=program, clients=clients, subscription=None, query=query)


# --- the session editor ----------------------------------------------------------------------


def editor(
    calendar, form, day, session=None, message=None, status=200, move_form=None, copy_form=None, insert_form=None, focus=None
):
    """The session editor, for the dialog; without htmx, the calendar page with it open.
    Keyboard focus lands where the coach left off (`focus`, from a row button), else on the
    first field with a message, else on a new session's Title."""
    program = calendar.program
    form.calendar_id.data = calendar.id
    form.date.data = day.isoformat()
    offer_exercises(form)
    wrong = first_error(insert_form, form, move_form, copy_form)
    if wrong is not None:
        autofocus(wrong)
    elif focus is None and session is None:
        autofocus(form.title)
    elif focus is not None:
        field = next((f for row in form.prescriptions for f in row if f.id == focus), None)
        if field is not None:
            autofocus(field)
    context = {
        "form": form,
        "focus": focus,
        "session": session,
        "day": day,
        "day_label": day_label(calendar, day),
        "editor_message": message,
        "exercise_names": rules.exercise_names(current_user.id),
        "save_url": (
            url_for(".update_session", program_id=program.id, session_id=session.id)
            if session
            else url_for(".create_session", program_id=program.id, calendar_id=calendar.id)
        ),
    }
    if session is None:
        context["insert_form"] = insert_form or InsertWorkoutForm(formdata=None)
        workout = context["insert_form"].workout
        workout.render_kw = {**(workout.render_kw or {}), "list": "workout-titles", "autocomplete": "off"}
        context["workout_titles"] = db.session.scalars(
            select(Workout.title).where(Workout.coach_id == current_user.id).order_by(func.lower(Workout.title))
        ).all()
    if session is not None:
        context["logs"] = session_logs(calendar, session)
        context["unit"] = current_user.units
        context["move_form"] = move_form or MoveForm(formdata=None, data={"to": {"date": day, **_week_day(day)}})
        if calendar.kind == CLIENT:
            context["copy_form"] = copy_form or CopySessionForm(formdata=None, data={"on": {"date": day}})
            context["copy_form"].clients.choices = choices(
                (s.id, s.display_name) for s in rules.live_subscriptions(program) if s.id != calendar.subscription_id
            )
    if is_htmx():
        context.update(program=program, calendar=calendar, read_only=rules.is_read_only(calendar))
    else:
        context.update(calendar_context(calendar, "month", day))
    return render(PAGE, block="editor", status=status, **context)


def offer_exercises(form):
    """Each row's Exercise field types ahead from the library (the editor's datalist)."""
    for row in form.prescriptions:
        row.exercise.render_kw = {"list": "exercise-names", "autocomplete": "off"}


def _week_day(day):
    week, weekday = rules.template_position(day)
    return {"week": max(week, 1), "day": weekday}


def day_label(calendar, day):
    if calendar.kind == TEMPLATE:
        week, weekday = rules.template_position(day)
        return f"Week {week}, Day {weekday}"
    return f"{day:%a} {day.day} {day:%b %Y}"


def parse_day(calendar, raw):
    try:
        day = date.fromisoformat(raw or "")
        rules.check_date(calendar, day)
    except ValueError:
        abort(400, "That date is not valid.")
    except CalendarError as error:
        abort(400, error.message)
    return day


def editor_action():
    return request.form.get("action", "save")


def posted_form():
    """The editor as posted; buttons other than Save session only rearrange its rows."""
    action = editor_action()
    form = SessionForm(formdata=edit_rows(request.form, action, current_user.units))
    return form, action == "save"


def prescriptions_from(form, keep_ids=()):
    """The prescription values of a valid editor, or None with errors next to unknown exercises.
    Exercises are checked even when other fields are wrong, so every message shows at once."""
    valid = form.validate()
    exercises = rules.resolve_exercises(current_user.id, [e.exercise.data for e in form.prescriptions], keep_ids)
    values = []
    for entry in form.prescriptions:
        exercise = exercises.get((entry.exercise.data or "").strip().lower())
        if exercise is None:
            if not entry.exercise.errors:
                entry.exercise.errors = [*entry.exercise.errors, "Choose an exercise from your library (or add it under Exercises)."]
        else:
            values.append(entry.values(exercise))
    return values if valid and len(values) == len(form.prescriptions) else None


def attach(form, error):
    """Put a rule's refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and error.field != "version":
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/sessions/new")
@login_required
def new_session(program_id, calendar_id):
    """Add session: an empty editor for one day."""
    calendar = owned_calendar(program_id, calendar_id)
    day = parse_day(calendar, request.args.get("date"))
    if rules.is_read_only(calendar):
        abort(403, "This client's subscription has ended: their calendar is read-only.")
    form = SessionForm(formdata=None, data={"prescriptions": [blank_row(current_user.units)]})
    return editor(calendar, form, day)


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/sessions", methods=["POST"])
@login_required
def create_session(program_id, calendar_id):
    """Save session (new): adds it to its day, and swaps in that day."""
    calendar = owned_calendar(program_id, calendar_id)
    day = parse_day(calendar, request.form.get("date"))
    form, saving = posted_form()
    if not saving:
        return in_dialog(editor(calendar, form, day, focus=focus_after(editor_action(), len(form.prescriptions))))
    prescriptions = prescriptions_from(form)
    if prescriptions is not None:
        try:
            rules.add_session(calendar, day, current_user.id, form.title.data.strip(), form.notes.data, prescriptions)
        except CalendarError as error:
            attach(form, error)
        else:
            return committed(day_changed(calendar, day))
    return rolled_back(in_dialog(editor(calendar, form, day, status=400)))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/edit")
@login_required
def edit_session(program_id, session_id):
    """The editor for one session, in the dialog over the calendar."""
    session = owned_session(program_id, session_id)
    return editor(session.calendar, SessionForm.for_record(session), session.date, session)


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>", methods=["POST"])
@login_required
def update_session(program_id, session_id):
    """Save session: replaces its title, notes and prescriptions, and swaps in its day."""
    session = find_owned_session(program_id, session_id)
    form, saving = posted_form()
    if session is None:
        return deleted_elsewhere(program_id, form)
    if not saving:
        focus = focus_after(editor_action(), len(form.prescriptions))
        return in_dialog(editor(session.calendar, form, session.date, session, focus=focus))
    keep = {p.exercise_id for p in session.prescriptions}
    prescriptions = prescriptions_from(form, keep)
    if prescriptions is not None:
        try:
            rules.update_session(
                session, current_user.id, form.title.data.strip(), form.notes.data, prescriptions, form.version_number()
            )
        except CalendarError as error:
            attach(form, error)
            form.version.data = session.version  # the next Save overwrites, knowingly
            status = 409 if error.field == "version" else 400
            return rolled_back(in_dialog(editor(session.calendar, form, session.date, session, status=status)))
        return committed(day_changed(session.calendar, session.date))
    return in_dialog(editor(session.calendar, form, session.date, session, status=400))


def deleted_elsewhere(program_id, form):
    """A save of a session deleted in another tab: the editor comes back with everything typed,
    ready to add it as a new session."""
    try:
        calendar = owned_calendar(program_id, int(form.calendar_id.data or 0))
    except ValueError:
        abort(404)
    day = parse_day(calendar, form.date.data)
    form.version.data = ""
    message = "This session was deleted in another tab. Your changes are still here: Save session to add it again."
    return in_dialog(editor(calendar, form, day, message=message, status=409))


def posted_calendar(program_id):
    """The calendar a session's form says it is on (its hidden calendar_id), or None."""
    raw = request.form.get("calendar_id", "")
    if not raw.isdigit() or int(raw) > 2**31 - 1:
        return None
    return owned_calendar(program_id, int(raw))


def session_gone(program_id):
    """Move, Duplicate, reorder, Copy to clients or Save to library of a session deleted in
    another tab: nothing changes. The dialog says so (409) and the calendar under it shows
    what is there now; without htmx, the calendar with the message."""
    calendar = posted_calendar(program_id)
    if calendar is None:
        abort(404, "This session no longer exists. It may have been deleted in another tab.")
    view, cursor = view_on_screen(calendar)
    if not is_htmx():
        flash(GONE, "error")
        return redirect(calendar_url(calendar, view, cursor))
    notice, _ = render(PAGE, block="session_gone", gone_message=GONE)
    grid, _ = render(PAGE, block="calendar", oob=True, **calendar_context(calendar, view, cursor))
    return notice + grid, 409, {"HX-Retarget": DIALOG, "HX-Reswap": "innerHTML"}


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/delete", methods=["POST"])
@login_required
def delete_session(program_id, session_id):
    """Delete a session (the button asks first); swaps in the calendar with Undo. A session
    already deleted in another tab is as good as deleted: the calendar comes back as it is now."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        calendar = posted_calendar(program_id)
        if calendar is None:
            abort(404, "This session no longer exists. It may have been deleted in another tab.")
        return calendar_changed(calendar, parse_day(calendar, request.form.get("date")))
    calendar, day, title = session.calendar, session.date, session.title
    try:
        snapshot = rules.delete_session(session)
    except CalendarError as error:
        db.session.rollback()
        abort(403, error.message)
    undo = {
        "url": url_for(".restore_session", program_id=program_id, calendar_id=calendar.id),
        "vals": {"undo": undo_signer().dumps(snapshot)},
    }
    return committed(calendar_changed(calendar, day, f"Deleted “{title}”.", undo))


def undo_signer():
    """Signs what Undo restores, so the coach's browser holds it but cannot change it."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="fitr.calendar.undo-delete")


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/restore", methods=["POST"])
@login_required
def restore_session(program_id, calendar_id):
    """Undo a delete: the session comes back on its day, in its place."""
    calendar = owned_calendar(program_id, calendar_id)
    try:
        snapshot = undo_signer().loads(request.form.get("undo", ""), max_age=UNDO_SECONDS)
    except BadSignature:
        abort(400, "This Undo has expired. Add the session again.")
    try:
        session = rules.restore_session(calendar, current_user.id, snapshot)
    except CalendarError as error:
        db.session.rollback()
        abort(400, error.message)
    return committed(calendar_changed(calendar, session.date, f"Restored “{session.title}”."))


# --- moving and copying ----------------------------------------------------------------------


def session_refused(session, status=400, **forms):
    """The editor for `session` again, showing a move or copy form's messages."""
    form = SessionForm.for_record(session)
    return rolled_back(in_dialog(editor(session.calendar, form, session.date, session, status=status, **forms)))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/move", methods=["POST"])
@login_required
def move_session(program_id, session_id):
    """Move a session to another date (the editor's date field, or drag and drop)."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        return session_gone(program_id)
    calendar, was = session.calendar, session.date
    form = MoveForm()
    day = form.to.target(calendar.kind == TEMPLATE) if form.validate() else None
    if day is not None:
        try:
            rules.move_session(session, day)
        except CalendarError as error:
            form.to.date.errors = [*form.to.date.errors, error.message]
        else:
            undo = {"url": request.path, "vals": {"to-date": was.isoformat()}}
            message = f"Moved “{session.title}” to {day_label(calendar, day)}."
            return committed(calendar_changed(calendar, day, message, undo))
    return session_refused(session, move_form=form)


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/duplicate", methods=["POST"])
@login_required
def duplicate_session(program_id, session_id):
    """Duplicate: an independent copy on the same day."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        return session_gone(program_id)
    try:
        rules.duplicate_session(session)
    except CalendarError as error:
        db.session.rollback()
        abort(403, error.message)
    return committed(calendar_changed(session.calendar, session.date, f"Duplicated “{session.title}”."))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/reorder", methods=["POST"])
@login_required
def reorder_session(program_id, session_id):
    """Move a session earlier or later among the sessions of its day."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        return session_gone(program_id)
    offset = -1 if request.form.get("offset") == "-1" else 1
    try:
        rules.reorder_session(session, offset)
    except CalendarError as error:
        db.session.rollback()
        abort(403, error.message)
    return committed(calendar_changed(session.calendar, session.date))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/copy", methods=["POST"])
@login_required
def copy_session(program_id, session_id):
    """Copy a session to other clients of the program, each copy independent."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        return session_gone(program_id)
    calendar = session.calendar
    if calendar.kind != CLIENT:
        abort(404)
    if rules.is_read_only(calendar):
        abort(403, "This client's subscription has ended: their calendar is read-only.")
    clients = {s.id: s for s in rules.live_subscriptions(calendar.program) if s.id != calendar.subscription_id}
    form = CopySessionForm()
    form.clients.choices = choices((s.id, s.display_name) for s in clients.values())
    day = form.on.target(False) if form.validate() else None
    if day is not None:
        try:
            rules.copy_sessions_to_subscriptions([session], [clients[i] for i in form.clients.data], day - session.date)
        except CalendarError as error:
            form.on.date.errors = [*form.on.date.errors, error.message]
        else:
            count = len(form.clients.data)
            message = f"Copied “{session.title}” to {count} client{'s' if count > 1 else ''} on {day_label(calendar, day)}."
            return committed(calendar_changed(calendar, session.date, message))
    return session_refused(session, copy_form=form)


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/copy")
@login_required
def copy_days_panel(program_id, calendar_id):
    """The Copy a day or week form, loaded when the coach opens it."""
    calendar = owned_calendar(program_id, calendar_id)
    view, cursor = view_on_screen(calendar)
    if not is_htmx():
        return redirect(calendar_url(calendar, view, cursor))
    form, _ = copy_days_form(calendar, build_grid(calendar, view, cursor).first)
    return render(PAGE, block="days_form", program=calendar.program, calendar=calendar, days_form=form)


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/copy", methods=["POST"])
@login_required
def copy_days(program_id, calendar_id):
    """Copy a day or a week to other dates of this calendar, or onto other clients' calendars."""
    calendar = owned_calendar(program_id, calendar_id)
    if rules.is_read_only(calendar):
        abort(403, "This client's subscription has ended: their calendar is read-only.")
    template = calendar.kind == TEMPLATE
    form, clients = copy_days_form(calendar, formdata=request.form)
    valid = form.validate()
    first, to = form.source.target(template), form.to.target(template)
    if valid and first is not None and to is not None:
        targets = [rules.calendar_for_subscription(clients[i]) for i in form.clients.data] or [calendar]
        days = 7 if form.span.data == "week" else 1
        try:
            count = rules.copy_days(calendar, first, days, to, targets)
        except CalendarError as error:
            form.to.date.errors = [*form.to.date.errors, error.message]
        else:
            what = "week" if days == 7 else "day"
            where = f" on {len(targets)} calendar{'s' if len(targets) > 1 else ''}" if calendar.kind == CLIENT else ""
            message = f"Copied the {what} from {day_label(calendar, first)} to {day_label(calendar, to)}{where}: {count} session{'s' if count != 1 else ''}."
            return committed(calendar_changed(calendar, to, message))
    return rolled_back(calendar_refused(calendar, form))


# --- the workout library --------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/save-to-library", methods=["POST"])
@login_required
def save_to_library(program_id, session_id):
    """Save to library: an independent copy in the coach's workout library."""
    session = find_owned_session(program_id, session_id)
    if session is None:
        return session_gone(program_id)
    workout = rules.save_to_library(session, current_user.id)
    return committed(render(PAGE, block="editor_status", status_message=f"Saved “{workout.title}” to your workout library."))


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/insert", methods=["POST"])
@login_required
def insert_workout(program_id, calendar_id):
    """Insert a library workout (chosen by name) as a new session on a day."""
    calendar = owned_calendar(program_id, calendar_id)
    day = parse_day(calendar, request.form.get("date"))
    form = InsertWorkoutForm()
    if form.validate():
        workout = rules.find_workout(current_user.id, form.workout.data)
        if workout is None:
            form.workout.errors = [*form.workout.errors, "There is no workout with this name in your library."]
        else:
            try:
                rules.insert_workout(workout, calendar, day)
            except CalendarError as error:
                form.workout.errors = [*form.workout.errors, error.message]
            else:
                return committed(day_changed(calendar, day))
    empty = SessionForm(formdata=None, data={"prescriptions": [blank_row(current_user.units)]})
    return rolled_back(in_dialog(editor(calendar, empty, day, status=400, insert_form=form)))


@bp.route("/workouts")
@login_required
def workouts():
    """The coach's workout library."""
    library = db.session.scalars(
        select(Workout)
        .where(Workout.coach_id == current_user.id)
        .order_by(func.lower(Workout.title))
        .options(selectinload(Workout.prescriptions).joinedload(WorkoutItem.exercise))
    ).all()
    return render("calendar/workouts.html", workouts=library)


@bp.route("/workouts/<int:workout_id>", methods=["GET", "POST"])
@login_required
def edit_workout(workout_id):
    """Edit a library workout; sessions it was inserted into do not change."""
    workout = owned_workout(workout_id)
    if request.method == "GET":
        form = SessionForm.for_record(workout)
        return workout_page(workout, form)
    form, saving = posted_form()
    if saving:
        keep = {p.exercise_id for p in workout.prescriptions}
        prescriptions = prescriptions_from(form, keep)
        if prescriptions is not None:
            try:
                rules.update_workout(workout, current_user.id, form.title.data.strip(), form.notes.data, prescriptions, form.version_number())
            except CalendarError as error:
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
        "calendar/workout.html",
        status=status,
        workout=workout,
        form=form,
        focus=focus,
        exercise_names=rules.exercise_names(current_user.id),
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
    exercises = db.session.scalars(
        select(Exercise)
        .where(rules.visible_exercises(current_user.id))
        .order_by(Exercise.coach_id.is_(None), Exercise.archived, func.lower(Exercise.name))
    ).all()
    own = [e for e in exercises if e.coach_id is not None]
    starter = [e for e in exercises if e.coach_id is None]
    return render(
        "calendar/exercises.html",
        status=status,
        form=form or ExerciseForm(formdata=None),
        own=own,
        starter=starter,
        rename_form=rename_form or RenameExerciseForm(formdata=None),
        renaming=renaming,
    )


@bp.route("/exercises")
@login_required
def exercises():
    """The exercise library: the starter library and the coach's own exercises."""
    return exercises_page()


@bp.route("/exercises", methods=["POST"])
@login_required
def create_exercise():
    """Add one of your own exercises."""
    form = ExerciseForm()
    if form.validate():
        try:
            exercise = rules.create_exercise(current_user.id, form.name.data, form.category.data, form.measure.data)
        except CalendarError as error:
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
            rules.rename_exercise(exercise, form.name.data)
        except CalendarError as error:
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
    rules.archive_exercise(exercise, archived=request.form.get("archived", "1") == "1")
    db.session.commit()
    flash(f"{'Archived' if exercise.archived else 'Restored'} {exercise.name}.", "success")
    return redirect(url_for(".exercises"))


@bp.cli.command("load-exercises")
def load_exercises_command():
    """Load the starter exercise library (safe to run again)."""
    added = rules.load_starter_exercises()
    db.session.commit()
    click.echo(f"Added {added} starter exercises.")
