"""Moving and copying on the coach's calendars: move a session (its date field, or drag and
drop), Duplicate, earlier or later in its day, Copy to clients, and Copy a day or week."""

from flask import abort, redirect, request
from flask_login import login_required

from fitr.calendars import bp, copying, rules
from fitr.calendars.access import owned_calendar
from fitr.calendars.editor import editor, read_only, session_action
from fitr.calendars.forms import CopySessionForm, MoveForm
from fitr.calendars.models import CLIENT_CALENDAR, TEMPLATE_CALENDAR
from fitr.calendars.rules import CalendarError
from fitr.calendars.screen import (
    PAGE,
    build_grid,
    calendar_changed,
    calendar_refused,
    calendar_url,
    committed,
    copy_days_form,
    day_label,
    in_dialog,
    view_on_screen,
)
from fitr.forms import choices
from fitr.library.forms import SessionForm
from fitr.subscriptions.queries import live_subscriptions
from fitr.web import is_htmx, render, rolled_back


def session_refused(session, status=400, **forms):
    """The editor for `session` again, showing a move or copy form's messages."""
    form = SessionForm.for_record(session)
    return rolled_back(in_dialog(editor(session.calendar, form, session.date, session, status=status, **forms)))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/move", methods=["POST"])
@login_required
@session_action
def move_session(session):
    """Move a session to another date (the editor's date field, or drag and drop)."""
    calendar, was = session.calendar, session.date
    form = MoveForm()
    day = form.to.target(calendar.kind == TEMPLATE_CALENDAR) if form.validate() else None
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
@session_action
def duplicate_session(session):
    """Duplicate: an independent copy on the same day."""
    try:
        copying.duplicate_session(session)
    except CalendarError as error:
        read_only(error)
    return committed(calendar_changed(session.calendar, session.date, f"Duplicated “{session.title}”."))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/reorder", methods=["POST"])
@login_required
@session_action
def reorder_session(session):
    """Move a session earlier or later among the sessions of its day."""
    offset = -1 if request.form.get("offset") == "-1" else 1
    try:
        rules.reorder_session(session, offset)
    except CalendarError as error:
        read_only(error)
    return committed(calendar_changed(session.calendar, session.date))


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/copy", methods=["POST"])
@login_required
@session_action
def copy_session(session):
    """Copy a session to other clients of the program, each copy independent."""
    calendar = session.calendar
    if calendar.kind != CLIENT_CALENDAR:
        abort(404)
    if rules.is_read_only(calendar):
        abort(403, "This client's subscription has ended: their calendar is read-only.")
    clients = {s.id: s for s in live_subscriptions(calendar.program_id) if s.id != calendar.subscription_id}
    form = CopySessionForm()
    form.clients.choices = choices((s.id, s.display_name) for s in clients.values())
    day = form.on.target(False) if form.validate() else None
    if day is not None:
        try:
            copying.copy_sessions_to_subscriptions([session], [clients[i] for i in form.clients.data], day - session.date)
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
    template = calendar.kind == TEMPLATE_CALENDAR
    form, clients = copy_days_form(calendar, formdata=request.form)
    valid = form.validate()
    first, to = form.source.target(template), form.to.target(template)
    if valid and first is not None and to is not None:
        targets = [rules.calendar_for_subscription(clients[i]) for i in form.clients.data] or [calendar]
        days = 7 if form.span.data == "week" else 1
        try:
            count = copying.copy_days(calendar, first, days, to, targets)
        except CalendarError as error:
            form.to.date.errors = [*form.to.date.errors, error.message]
        else:
            what = "week" if days == 7 else "day"
            where = f" on {len(targets)} calendar{'s' if len(targets) > 1 else ''}" if calendar.kind == CLIENT_CALENDAR else ""
            message = f"Copied the {what} from {day_label(calendar, first)} to {day_label(calendar, to)}{where}: {count} session{'s' if count != 1 else ''}."
            return committed(calendar_changed(calendar, to, message))
    return rolled_back(calendar_refused(calendar, form))

