"""Moving and copying on the coach's calendars: move a session (its date field, or drag and
drop), Duplicate, earlier or later in its day, Copy to clients, and Copy a day or week."""

from flask import abort, redirect, request, url_for
from flask_login import login_required

from fitr.calendars import bp, copying, rules
from fitr.calendars.access import owned_calendar
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
from fitr.calendars.session_editor import UNDO_SECONDS, editor, read_only, session_action
from fitr.extensions import db
from fitr.forms import choices
from fitr.library.forms import SessionForm
from fitr.subscriptions.queries import live_subscriptions
from fitr.tokens import BadSignature, timed_signer
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
        copies = copying.duplicate_session(session)
    except CalendarError as error:
        read_only(error)
    undo = copy_undo(session.calendar, copies)
    return committed(calendar_changed(session.calendar, session.date, f"Duplicated “{session.title}”.", undo))


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
            copies = copying.copy_sessions_to_subscriptions([session], [clients[i] for i in form.clients.data], day - session.date)
        except CalendarError as error:
            form.on.date.errors = [*form.on.date.errors, error.message]
        else:
            where = copying.calendars_named([clients[i].display_name for i in form.clients.data])
            message = f"Copied “{session.title}” to {where} on {day_label(calendar, day)}."
            return committed(calendar_changed(calendar, session.date, message, copy_undo(calendar, copies)))
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
            copies = copying.copy_span(calendar, first, days, to, targets)
        except CalendarError as error:
            wrong = form.to.week if template and form.to.date.data is None else form.to.date
            wrong.errors = [*wrong.errors, error.message]
        else:
            what = "week" if days == 7 else "day"
            others = [clients[i].display_name for i, t in zip(form.clients.data, targets, strict=False) if t.id != calendar.id]
            named = copying.calendars_named(others, this=any(t.id == calendar.id for t in targets))
            where = f" on {named}" if calendar.kind == CLIENT_CALENDAR else ""
            count = len(copies)
            message = f"Copied the {what} from {day_label(calendar, first)} to {day_label(calendar, to)}{where}: {count} session{'s' if count != 1 else ''}."
            return committed(calendar_changed(calendar, to, message, copy_undo(calendar, copies)))
    return rolled_back(calendar_refused(calendar, form))



# --- Undo of a copy --------------------------------------------------------------------------


def copy_signer():
    """Signs what Undo of a copy removes, so the coach's browser holds it but cannot change it."""
    return timed_signer("calendar.undo-copy")


def copy_undo(calendar, copies):
    """The Undo button after a copy (none when it made nothing): it posts to the calendar on
    screen, which comes back without the copies."""
    if not copies:
        return None
    receipt = copying.copy_receipt(calendar.program_id, copies)
    url = url_for(".undo_copy", program_id=calendar.program_id, calendar_id=calendar.id)
    return {"url": url, "vals": {"undo": copy_signer().dumps(receipt)}}


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/undo-copy", methods=["POST"])
@login_required
def undo_copy(program_id, calendar_id):
    """Undo a copy: the sessions it made go, unless they were changed since (those are kept)."""
    calendar = owned_calendar(program_id, calendar_id)
    try:
        receipt = copy_signer().loads(request.form.get("undo", ""), max_age=UNDO_SECONDS)
    except BadSignature:
        abort(400, "This Undo has expired or is not valid. Delete the copies one by one.")
    try:
        removed, kept = copying.undo_copy(calendar.program, receipt)
    except CalendarError as error:
        db.session.rollback()
        abort(400, error.message)
    if removed == 0:
        message = "Nothing to undo: the sessions this copy made were already removed or changed since."
    elif kept == 0:
        message = f"Removed the {removed} session{'s' if removed != 1 else ''} this copy made."
    else:
        message = f"Removed {removed} session{'s' if removed != 1 else ''} this copy made; kept {kept} changed since."
    return committed(calendar_changed(calendar, None, message))
