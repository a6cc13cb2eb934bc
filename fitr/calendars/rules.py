"""Calendar rules: plain functions that routes, other areas and tests call. Which calendar a
subscriber trains from, and a session's life on it: add, edit, delete (and Undo), move, reorder.
Copies (of sessions, days, weeks and templates) are in fitr.calendars.copying.

Rules flush but never commit: the caller commits once. They raise CalendarError.
"""

from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from fitr.calendars.models import (
    CLIENT_CALENDAR,
    FIRST_DATE,
    LAST_DATE,
    SHARED_CALENDAR,
    TEMPLATE_CALENDAR,
    TEMPLATE_EPOCH,
    TEMPLATE_WEEKS,
    Calendar,
    Prescription,
    Session,
)
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.library.workouts import item_rows, prescription_rows, save_prescribed, write_items
from fitr.programs.models import GROUP, Program
from fitr.subscriptions.models import ENDED

TEMPLATE_LAST = TEMPLATE_EPOCH + timedelta(days=7 * TEMPLATE_WEEKS - 1)


class CalendarError(RuleError):
    """A calendar rule refused."""


# --- calendars -------------------------------------------------------------------------------


def _get_or_create(where, **values):
    """The calendar matching `where`, created when missing; safe when two requests race."""
    calendar = db.session.scalar(select(Calendar).where(*where))
    if calendar is not None:
        return calendar
    calendar = Calendar(**values)
    try:
        with db.session.begin_nested():
            db.session.add(calendar)
    except IntegrityError:
        calendar = db.session.scalar(select(Calendar).where(*where))
    return calendar


def calendar_for_subscription(subscription):
    """The calendar a subscriber trains from: their own in a 1-2-1 program (pending ones too),
    the shared one in a Group program. Created on first use."""
    program = db.session.get(Program, subscription.program_id)
    if program.type == GROUP:
        return group_calendar(program)
    calendar = _get_or_create(
        [Calendar.subscription_id == subscription.id],
        kind=CLIENT_CALENDAR,
        program_id=subscription.program_id,
        subscription_id=subscription.id,
    )
    set_committed_value(calendar, "subscription", subscription)
    set_committed_value(calendar, "program", program)
    return calendar


def group_calendar(program):
    """A Group program's one shared calendar."""
    calendar = _get_or_create(
        [Calendar.program_id == program.id, Calendar.kind == SHARED_CALENDAR], kind=SHARED_CALENDAR, program_id=program.id
    )
    set_committed_value(calendar, "subscription", None)
    set_committed_value(calendar, "program", program)
    return calendar


def template_calendar(program):
    """A 1-2-1 program's template (Week 1, Week 2, ...)."""
    if program.type == GROUP:
        raise CalendarError("A Group program has one shared calendar and no template.")
    calendar = _get_or_create(
        [Calendar.program_id == program.id, Calendar.kind == TEMPLATE_CALENDAR], kind=TEMPLATE_CALENDAR, program_id=program.id
    )
    set_committed_value(calendar, "subscription", None)
    set_committed_value(calendar, "program", program)
    return calendar


def calendar_ids(subscriptions):
    """{subscription id: the calendar id it trains from} (1-2-1: its own; Group: the shared one).
    One query; a subscription whose calendar was never created is left out. Each subscription's
    program must be loaded."""
    if not subscriptions:
        return {}
    own = [s.id for s in subscriptions if s.program.type != GROUP]
    group_programs = [s.program_id for s in subscriptions if s.program.type == GROUP]
    rows = db.session.execute(
        select(Calendar.id, Calendar.kind, Calendar.subscription_id, Calendar.program_id).where(
            or_(
                and_(Calendar.kind == CLIENT_CALENDAR, Calendar.subscription_id.in_(own)),
                and_(Calendar.kind == SHARED_CALENDAR, Calendar.program_id.in_(group_programs)),
            )
        )
    ).all()
    by_subscription = {row.subscription_id: row.id for row in rows if row.kind == CLIENT_CALENDAR}
    by_program = {row.program_id: row.id for row in rows if row.kind == SHARED_CALENDAR}
    result = {}
    for s in subscriptions:
        calendar_id = by_program.get(s.program_id) if s.program.type == GROUP else by_subscription.get(s.id)
        if calendar_id is not None:
            result[s.id] = calendar_id
    return result


def is_read_only(calendar):
    """An ended client's calendar is kept as it was and shown read-only."""
    return calendar.kind == CLIENT_CALENDAR and calendar.subscription.status == ENDED


def check_writable(calendar):
    if is_read_only(calendar):
        raise CalendarError("This client's subscription has ended: their calendar is read-only.")


def check_date(calendar, day, field="date"):
    """Refuse dates no coach means: outside 2000-2099, or outside a template's weeks."""
    if calendar.kind == TEMPLATE_CALENDAR:
        if not TEMPLATE_EPOCH <= day <= TEMPLATE_LAST:
            raise CalendarError(f"Choose a day in weeks 1 to {TEMPLATE_WEEKS} of the template.", field)
    elif not FIRST_DATE <= day <= LAST_DATE:
        raise CalendarError("Choose a date between 2000 and 2099.", field)


def template_day(week, day):
    """Week 1 Day 1 is TEMPLATE_EPOCH."""
    return TEMPLATE_EPOCH + timedelta(days=(week - 1) * 7 + (day - 1))


def template_position(day):
    """(week, day) of a template date, both counted from 1."""
    offset = (day - TEMPLATE_EPOCH).days
    return offset // 7 + 1, offset % 7 + 1


def sessions_between(calendar, first, last):
    """The sessions of `calendar` from `first` to `last`, with prescriptions and exercises: two
    queries whatever their number."""
    return db.session.scalars(
        select(Session)
        .where(Session.calendar_id == calendar.id, Session.date.between(first, last))
        .order_by(Session.date, Session.position, Session.id)
        .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
    ).all()


def next_positions(calendar_id, days):
    """{day: the position after the last session on that day} for the given days."""
    rows = db.session.execute(
        select(Session.date, func.max(Session.position))
        .where(Session.calendar_id == calendar_id, Session.date.in_(list(days)))
        .group_by(Session.date)
    ).all()
    positions = {day: 0 for day in days}
    positions.update({day: top + 1 for day, top in rows})
    return positions


# --- sessions --------------------------------------------------------------------------------


def add_session(calendar, day, coach_id, title, notes="", prescriptions=()):
    """A new session at the end of `day`. `prescriptions` are dicts of PrescriptionFields
    columns (exercise_id, sets, reps_min, ...), in order."""
    check_writable(calendar)
    check_date(calendar, day)
    rows = prescription_rows(coach_id, prescriptions, CalendarError)
    session = Session(
        calendar_id=calendar.id,
        date=day,
        position=next_positions(calendar.id, [day])[day],
        title=title,
        notes=notes or "",
    )
    db.session.add(session)
    db.session.flush()
    write_items([(session, rows)], Prescription)
    return session


def update_session(session, coach_id, title, notes, prescriptions, version=None):
    """Save the editor: title, notes and the whole ordered list of prescriptions. Refuses when
    the session changed since the editor was opened (`version`)."""
    check_writable(session.calendar)
    return save_prescribed(session, Prescription, coach_id, title, notes, prescriptions, version, CalendarError)


def delete_session(session):
    """Delete a session; returns what Undo needs to put it back (see restore_session)."""
    check_writable(session.calendar)
    snapshot = {
        "calendar_id": session.calendar_id,
        "date": session.date.isoformat(),
        "position": session.position,
        "title": session.title,
        "notes": session.notes,
        "prescriptions": item_rows(session.prescriptions),
    }
    db.session.delete(session)
    db.session.flush()
    return snapshot


def restore_session(calendar, coach_id, snapshot):
    """Undo a delete: the session as it was (a new row), back in its place among its day's
    sessions. The same checks as adding one: a writable calendar, a sane date, the coach's
    exercises."""
    if snapshot.get("calendar_id") != calendar.id:
        raise CalendarError("This Undo belongs to another calendar.")
    day = date.fromisoformat(snapshot["date"])
    session = add_session(calendar, day, coach_id, snapshot["title"], snapshot["notes"], snapshot["prescriptions"])
    others = db.session.scalars(
        select(Session)
        .where(Session.calendar_id == calendar.id, Session.date == day, Session.id != session.id)
        .order_by(Session.position, Session.id)
    ).all()
    others.insert(min(max(snapshot["position"], 0), len(others)), session)
    for position, each in enumerate(others):
        each.position = position
    db.session.flush()
    return session


def move_session(session, day):
    """Move a session to another date of its calendar; it goes last on that day."""
    check_writable(session.calendar)
    check_date(session.calendar, day)
    if day != session.date:
        session.position = next_positions(session.calendar_id, [day])[day]
        session.date = day
        session.version += 1
    db.session.flush()
    return session


def reorder_session(session, offset):
    """Move a session earlier (-1) or later (+1) among the sessions of its day."""
    check_writable(session.calendar)
    day = db.session.scalars(
        select(Session)
        .where(Session.calendar_id == session.calendar_id, Session.date == session.date)
        .order_by(Session.position, Session.id)
    ).all()
    index = day.index(session)
    other = index + offset
    if 0 <= other < len(day):
        day[index], day[other] = day[other], day[index]
    for position, each in enumerate(day):
        each.position = position
    db.session.flush()


def insert_workout(workout, calendar, day):
    """Insert an independent copy of a library workout as a new session on `day`."""
    check_writable(calendar)
    check_date(calendar, day)
    session = Session(
        calendar_id=calendar.id,
        date=day,
        position=next_positions(calendar.id, [day])[day],
        title=workout.title,
        notes=workout.notes,
    )
    db.session.add(session)
    db.session.flush()
    write_items([(session, item_rows(workout.prescriptions))], Prescription)
    return session
