"""The session editor, in a dialog over the calendar: Add session, edit and Save session, Delete
(with Undo), Insert a library workout and Save to library. A save swaps in only its day."""

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.calendars import bp, rules
from fitr.calendars.access import find_owned_session, owned_calendar, owned_session
from fitr.calendars.coach_comments import editor_comments
from fitr.calendars.completion import session_logs
from fitr.calendars.editor_loads import editor_loads
from fitr.calendars.forms import CopySessionForm, InsertWorkoutForm, MoveForm
from fitr.calendars.models import CLIENT_CALENDAR
from fitr.calendars.rules import CalendarError
from fitr.calendars.screen import (
    DIALOG,
    PAGE,
    calendar_changed,
    calendar_context,
    calendar_url,
    committed,
    day_changed,
    day_label,
    in_dialog,
    parse_day,
    view_on_screen,
    week_and_day,
)
from fitr.extensions import db
from fitr.forms import attach, autofocus, choices, first_error, row_id
from fitr.library import workouts
from fitr.library.forms import SessionForm, blank_row, focus_after
from fitr.library.prescription_editor import (
    editor_action,
    offer_exercises,
    posted_form,
    prescriptions_from,
)
from fitr.subscriptions.queries import live_subscriptions
from fitr.tokens import BadSignature, timed_signer
from fitr.web import is_htmx, render, rolled_back

GONE = "This session was deleted in another tab, so nothing was changed."
UNDO_SECONDS = 15 * 60  # how long Undo after Delete works


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
        # A new session starts on its first exercise: the title can come from the exercises.
        autofocus(form.prescriptions[0].exercise if form.prescriptions else form.title)
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
        "client_loads": editor_loads(calendar, form),
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
        context["workout_titles"] = workouts.workout_titles(current_user.id)
    if session is not None:
        context["logs"] = session_logs(calendar, session)
        context.update(editor_comments(session))
        context["unit"] = current_user.units
        context["move_form"] = move_form or MoveForm(formdata=None, data={"to": {"date": day, **week_and_day(day)}})
        if calendar.kind == CLIENT_CALENDAR and copy_form is not None:  # refused: it comes back open
            context["copy_form"] = with_clients(copy_form, calendar)
    if is_htmx():
        context.update(program=program, calendar=calendar, read_only=rules.is_read_only(calendar))
    else:
        context.update(calendar_context(calendar, "month", day))
    return render(PAGE, block="editor", status=status, **context)


def with_clients(copy_form, calendar):
    """Copy to clients offers the program's other live clients."""
    copy_form.clients.choices = choices(
        (s.id, s.display_name) for s in live_subscriptions(calendar.program_id) if s.id != calendar.subscription_id
    )
    return copy_form


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/copy")
@login_required
def copy_session_panel(program_id, session_id):
    """Copy to clients, loaded when the coach opens it in the editor."""
    session = owned_session(program_id, session_id)
    calendar = session.calendar
    if calendar.kind != CLIENT_CALENDAR:
        abort(404)
    form = CopySessionForm(formdata=None, data={"on": {"date": session.date}})
    if not is_htmx():  # without JavaScript: the editor, with Copy to clients open
        return editor(calendar, SessionForm.for_record(session), session.date, session, copy_form=form)
    form = with_clients(form, calendar)
    return render(PAGE, block="copy_session_form", program=calendar.program, calendar=calendar, session=session, copy_form=form)


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
    return committed(editor(session.calendar, SessionForm.for_record(session), session.date, session))


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
    calendar_id = row_id(form.calendar_id.data or "")
    if calendar_id is None:
        abort(404)
    calendar = owned_calendar(program_id, calendar_id)
    day = parse_day(calendar, form.date.data)
    form.version.data = ""
    message = "This session was deleted in another tab. Your changes are still here: Save session to add it again."
    return in_dialog(editor(calendar, form, day, message=message, status=409))


def posted_calendar(program_id):
    """The calendar a session's form says it is on (its hidden calendar_id), or None."""
    calendar_id = row_id(request.form.get("calendar_id", ""))
    return None if calendar_id is None else owned_calendar(program_id, calendar_id)


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


def session_action(view):
    """A route acting on one session: loads it (the current coach's, else 404) and hands it to
    the view; a session deleted in another tab meanwhile answers session_gone instead."""

    @wraps(view)
    def load(program_id, session_id):
        session = find_owned_session(program_id, session_id)
        if session is None:
            return session_gone(program_id)
        return view(session)

    return load


def read_only(error):
    """A change refused because the calendar cannot be written (an ended client's): 403."""
    db.session.rollback()
    abort(403, error.message)


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
        read_only(error)
    undo = {
        "url": url_for(".restore_session", program_id=program_id, calendar_id=calendar.id),
        "vals": {"undo": undo_signer().dumps(snapshot)},
    }
    return committed(calendar_changed(calendar, day, f"Deleted “{title}”.", undo))


def undo_signer():
    """Signs what Undo restores, so the coach's browser holds it but cannot change it."""
    return timed_signer("calendar.undo-delete")


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


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/save-to-library", methods=["POST"])
@login_required
@session_action
def save_to_library(session):
    """Save to library: an independent copy in the coach's workout library. The editor says so
    in place; without htmx, the calendar does."""
    workout = workouts.save_to_library(session, current_user.id)
    message = f"Saved “{workout.title}” to your workout library."
    if not is_htmx():
        return committed(calendar_changed(session.calendar, session.date, message))
    return committed(render(PAGE, block="editor_status", status_message=message))


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/insert", methods=["POST"])
@login_required
def insert_workout(program_id, calendar_id):
    """Insert a library workout (chosen by name) as a new session on a day."""
    calendar = owned_calendar(program_id, calendar_id)
    day = parse_day(calendar, request.form.get("date"))
    form = InsertWorkoutForm()
    if form.validate():
        workout = workouts.find_workout(current_user.id, form.workout.data)
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

