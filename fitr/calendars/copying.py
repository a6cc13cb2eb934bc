"""Copying on calendars: a session, a day or a week, to other dates or other clients' calendars,
and a program's template onto a client's calendar from their start date. Every copy creates new
rows, so no edit of one calendar can reach another. Rules flush but never commit."""

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from fitr.calendars import versions
from fitr.calendars.models import TEMPLATE_CALENDAR, TEMPLATE_EPOCH, Calendar, Prescription, Session
from fitr.calendars.rules import (
    TEMPLATE_LAST,
    CalendarError,
    calendar_for_subscription,
    check_date,
    check_writable,
    next_positions,
    sessions_between,
    template_position,
)
from fitr.extensions import db
from fitr.library.workouts import item_rows, write_items
from fitr.programs.models import GROUP, SELF_PACED
from fitr.subscriptions.models import ENDED, PENDING, Subscription

SAME_PLACE = "This copy would land on the same dates of the same calendar: choose other dates or other clients."
NAMED = 3  # a copy message names this many clients; the rest are counted


def calendars_named(names, this=False):
    """Where a copy went, as the coach says it: "this calendar" (the one on screen), "Ben
    Okafor’s calendar", "Ben Okafor’s and Cleo Martin’s calendars", and past three names "Ben
    Okafor’s, Cleo Martin’s, Dan Ruiz’s and 2 other clients’ calendars"."""
    owners = [f"{name}’s" for name in names[:NAMED]]
    others = len(names) - len(owners)
    if others:
        owners.append(f"{others} other client{'s’' if others > 1 else '’s'}")
    said = ", ".join(owners[:-1]) + (" and " if len(owners) > 1 else "") + (owners[-1] if owners else "")
    said = f"{said} calendar{'s' if len(names) > 1 else ''}" if names else ""
    if this:
        return f"this calendar and {said}" if said else "this calendar"
    return said


def _copy_into(sessions, targets, shift):
    """Copy `sessions` (prescriptions loaded) into each target calendar, dates moved by `shift`,
    after what is already on each day. Returns the sessions created."""
    if not sessions:
        return []
    program_ids = {calendar.program_id for calendar in targets}
    source_programs = {s.calendar.program_id for s in sessions}
    if len(program_ids | source_programs) != 1:
        raise CalendarError("Sessions can only be copied between calendars of one program.", "clients")
    copies = []
    for target in targets:
        check_writable(target)
        days = sorted({s.date + shift for s in sessions})
        for day in (days[0], days[-1]):
            check_date(target, day, "to")
        positions = next_positions(target.id, days)
        for source in sessions:
            day = source.date + shift
            copy = Session(calendar_id=target.id, date=day, position=positions[day], title=source.title, notes=source.notes)
            positions[day] += 1
            copies.append((copy, item_rows(source.prescriptions)))
    db.session.add_all([copy for copy, _ in copies])
    db.session.flush()
    write_items(copies, Prescription)
    return [copy for copy, _ in copies]


def _with_calendar(sessions, calendar):
    for session in sessions:
        set_committed_value(session, "calendar", calendar)
    return sessions


def duplicate_session(session):
    """A copy of the session on the same day, right after the last one."""
    return _copy_into([session], [session.calendar], timedelta(0))


def copy_span(calendar, first, days, to_first, targets=None):
    """Copy `days` days from `first` of `calendar` to `to_first` on each target calendar (this
    calendar when none are given). Each copy is independent; a copy onto the same dates of the
    same calendar is refused (it would only double them). Returns the sessions created."""
    targets = targets or [calendar]
    if to_first == first and any(target.id == calendar.id for target in targets):
        raise CalendarError(SAME_PLACE, "to")
    sessions = _with_calendar(sessions_between(calendar, first, first + timedelta(days=days - 1)), calendar)
    return _copy_into(sessions, targets, to_first - first)


def copy_days(calendar, first, days, to_first, targets=None):
    """copy_span, counted: the number of sessions created."""
    return len(copy_span(calendar, first, days, to_first, targets))


def copy_week(calendar, week_first, to_first, targets=None):
    """Copy the week that starts on `week_first` to the week starting `to_first`."""
    return copy_days(calendar, week_first, 7, to_first, targets)


def copy_sessions_to_subscriptions(sessions, subscriptions, shift=timedelta(0)):
    """Copy sessions (their calendar and prescriptions loaded) to each subscription's calendar
    in the same program, `shift` later. Returns the sessions created."""
    targets = [calendar_for_subscription(subscription) for subscription in subscriptions]
    return _copy_into(list(sessions), targets, shift)


# --- Undo ------------------------------------------------------------------------------------


def copy_receipt(program_id, copies):
    """What Undo needs to remove exactly these copies (flushed): each one's id, calendar and
    date, so that a row which is no longer that copy is never taken for it."""
    return {"program": program_id, "made": [[c.id, c.calendar_id, c.date.toordinal()] for c in copies]}


def undo_copy(program, receipt):
    """Undo a copy: remove the sessions it made that are still as it made them (never edited,
    never moved: version 1, same calendar and date), on calendars that can be written. Copies
    changed since are kept, and so are ones already deleted. Two queries whatever their number.
    Returns (removed, kept)."""
    if receipt.get("program") != program.id:
        raise CalendarError("This Undo belongs to another program.")
    made = {int(i): (int(c), int(d)) for i, c, d in receipt.get("made", [])}
    if not made:
        return 0, 0
    rows = db.session.execute(
        select(Session.id, Session.calendar_id, Session.date, Session.version, Calendar.kind, Subscription.status)
        .join(Calendar, Session.calendar_id == Calendar.id)
        .outerjoin(Subscription, Calendar.subscription_id == Subscription.id)
        .where(Session.id.in_(list(made)), Calendar.program_id == program.id)
    ).all()
    unchanged = [
        row.id
        for row in rows
        if made[row.id] == (row.calendar_id, row.date.toordinal()) and row.version == 1 and row.status != ENDED
    ]
    if unchanged:
        db.session.execute(delete(Session).where(Session.id.in_(unchanged)).execution_options(synchronize_session=False))
        versions.touch(*{row.calendar_id for row in rows if row.id in set(unchanged)})
    return len(unchanged), len(rows) - len(unchanged)


# --- templates -------------------------------------------------------------------------------


def template_sessions(program):
    """All sessions of a program's template, prescriptions loaded (two queries)."""
    calendar = db.session.scalar(
        select(Calendar).where(Calendar.program_id == program.id, Calendar.kind == TEMPLATE_CALENDAR)
    )
    if calendar is None:
        return None, []
    return calendar, _with_calendar(sessions_between(calendar, TEMPLATE_EPOCH, TEMPLATE_LAST), calendar)


def copy_template(program, subscription, start, replace=False):
    """Copy the program's template into the subscriber's calendar: Week 1 Day 1 lands on
    `start`. With `replace`, the sessions already on the days the template covers (from `start`
    to the end of its last week) are removed first; otherwise they are kept. A Group program
    has no template: nothing is copied. Returns the number of sessions created."""
    if program.type == GROUP:
        return 0
    if subscription.program_id != program.id:
        raise CalendarError("That client is not in this program.", "clients")
    target = calendar_for_subscription(subscription)
    check_writable(target)
    check_date(target, start, "start")
    template, sessions = template_sessions(program)
    if not sessions:
        return 0
    shift = start - TEMPLATE_EPOCH
    if replace:
        last_week = template_position(sessions[-1].date)[0]
        end = start + timedelta(days=7 * last_week - 1)
        check_date(target, end, "start")
        db.session.execute(
            delete(Session)
            .where(Session.calendar_id == target.id, Session.date.between(start, end))
            .execution_options(synchronize_session=False)
        )
        versions.touch(target.id)
    return len(_copy_into(sessions, [target], shift))


def template_weeks(program):
    """How many weeks the program's template spans (0 when empty)."""
    last = db.session.scalar(
        select(func.max(Session.date))
        .join(Calendar, Session.calendar_id == Calendar.id)
        .where(Calendar.program_id == program.id, Calendar.kind == TEMPLATE_CALENDAR)
    )
    return template_position(last)[0] if last else 0


def seed_calendar(program, subscription, start):
    """A subscriber's calendar as they join or are invited: their own calendar (every type but
    Group), seeded from the program's template once the start date is known, unless the coach
    already wrote on it (that calendar is kept). A Group program's subscribers follow its shared
    one. Session 1 Day 1: the client picks their start as they join, so nothing is placed while
    pending. (The day a Fixed Length client finishes is fitr.lifecycle's: place().)"""
    if program.type == GROUP:
        return None
    calendar = calendar_for_subscription(subscription)
    if program.type == SELF_PACED and subscription.status == PENDING:
        return calendar
    empty = db.session.scalar(select(Session.id).where(Session.calendar_id == calendar.id).limit(1)) is None
    if start is not None and empty:
        copy_template(program, subscription, start)
    return calendar
