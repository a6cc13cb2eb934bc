"""Calendar rules: plain functions that routes, CLI commands, other areas and tests call.

Every copy (a session, a day, a week, a template, a library workout) creates new rows, so no
edit of one calendar can reach another. Rules flush but never commit: the caller commits once.
"""

import csv
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from fitr.calendar.models import (
    CATEGORIES,
    CLIENT,
    GROUP,
    MEASURES,
    TEMPLATE,
    TEMPLATE_EPOCH,
    TEMPLATE_WEEKS,
    Calendar,
    Exercise,
    Prescription,
    PrescriptionFields,
    Session,
    Workout,
    WorkoutItem,
)
from fitr.extensions import db
from fitr.programs.models import ENDED, Program, Subscription
from fitr.programs.models import GROUP as GROUP_PROGRAM

STARTER_EXERCISES = Path(__file__).resolve().parent.parent / "data" / "exercises.csv"
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)
TEMPLATE_LAST = TEMPLATE_EPOCH + timedelta(days=7 * TEMPLATE_WEEKS - 1)
MAX_PRESCRIPTIONS = 30
STALE_MESSAGE = (
    "This session was changed in another tab since you opened it. What you see here is "
    "your version: Save session again to keep it."
)


class CalendarError(Exception):
    """A calendar rule refused; `field` names the form field the message belongs next to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


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
    if program.type == GROUP_PROGRAM:
        return group_calendar(program)
    calendar = _get_or_create(
        [Calendar.subscription_id == subscription.id],
        kind=CLIENT,
        program_id=subscription.program_id,
        subscription_id=subscription.id,
    )
    set_committed_value(calendar, "subscription", subscription)
    set_committed_value(calendar, "program", program)
    return calendar


def group_calendar(program):
    """A Group program's one shared calendar."""
    calendar = _get_or_create(
        [Calendar.program_id == program.id, Calendar.kind == GROUP], kind=GROUP, program_id=program.id
    )
    set_committed_value(calendar, "subscription", None)
    set_committed_value(calendar, "program", program)
    return calendar


def template_calendar(program):
    """A 1-2-1 program's template (Week 1, Week 2, ...)."""
    if program.type == GROUP_PROGRAM:
        raise CalendarError("A Group program has one shared calendar and no template.")
    calendar = _get_or_create(
        [Calendar.program_id == program.id, Calendar.kind == TEMPLATE], kind=TEMPLATE, program_id=program.id
    )
    set_committed_value(calendar, "subscription", None)
    set_committed_value(calendar, "program", program)
    return calendar


def is_read_only(calendar):
    """An ended client's calendar is kept as it was and shown read-only."""
    return calendar.kind == CLIENT and calendar.subscription.status == ENDED


def check_writable(calendar):
    if is_read_only(calendar):
        raise CalendarError("This client's subscription has ended: their calendar is read-only.")


def check_date(calendar, day, field="date"):
    """Refuse dates no coach means: outside 2000-2099, or outside a template's weeks."""
    if calendar.kind == TEMPLATE:
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


def _next_positions(calendar_id, days):
    """{day: the position after the last session on that day} for the given days."""
    rows = db.session.execute(
        select(Session.date, func.max(Session.position))
        .where(Session.calendar_id == calendar_id, Session.date.in_(list(days)))
        .group_by(Session.date)
    ).all()
    positions = {day: 0 for day in days}
    positions.update({day: top + 1 for day, top in rows})
    return positions


# --- exercises -------------------------------------------------------------------------------


def visible_exercises(coach_id):
    """Criteria for the exercises a coach can use: the starter library and their own."""
    return or_(Exercise.coach_id.is_(None), Exercise.coach_id == coach_id)


def exercise_names(coach_id):
    """Names of the exercises a coach can choose from, for the editor's type-ahead: each name
    once, in the coach's own spelling when their exercise shares a starter one's name (theirs
    is the one a session gets)."""
    names = db.session.scalars(
        select(Exercise.name)
        .where(visible_exercises(coach_id), Exercise.archived.is_(False))
        .order_by(func.lower(Exercise.name), Exercise.coach_id.is_(None))
    ).all()
    seen = set()
    return [name for name in names if not (name.lower() in seen or seen.add(name.lower()))]


def resolve_exercises(coach_id, names, keep_ids=()):
    """{lower-cased name: Exercise} for the names a coach typed; the coach's own exercise wins
    over a starter one of the same name. Archived exercises resolve only when in `keep_ids`
    (already on the session being edited)."""
    wanted = {name.strip().lower() for name in names if name and name.strip()}
    if not wanted:
        return {}
    found = {}
    for exercise in db.session.scalars(
        select(Exercise).where(visible_exercises(coach_id), func.lower(Exercise.name).in_(wanted))
    ):
        if exercise.archived and exercise.id not in keep_ids:
            continue
        key = exercise.name.lower()
        if key not in found or exercise.coach_id is not None:
            found[key] = exercise
    return found


def _check_exercises(coach_id, prescriptions):
    ids = {p["exercise_id"] for p in prescriptions}
    if not ids:
        return
    known = set(db.session.scalars(select(Exercise.id).where(Exercise.id.in_(ids), visible_exercises(coach_id))))
    if ids - known:
        raise CalendarError("Choose exercises from your library.", "prescriptions")


def _clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise CalendarError("Enter a name.", "name")
    if len(name) > 80:
        raise CalendarError("Use at most 80 characters.", "name")
    return name


def _check_name_free(coach_id, name, exercise_id=None):
    clash = db.session.scalar(
        select(Exercise.id).where(
            Exercise.coach_id == coach_id, func.lower(Exercise.name) == name.lower(), Exercise.id != exercise_id
        )
    )
    if clash is not None:
        raise CalendarError("You already have an exercise with this name.", "name")


def create_exercise(coach_id, name, category, measure):
    """A coach's own exercise."""
    name = _clean_name(name)
    if category not in CATEGORIES:
        raise CalendarError("Choose a category.", "category")
    if measure not in MEASURES:
        raise CalendarError("Choose how it is measured.", "measure")
    _check_name_free(coach_id, name)
    exercise = Exercise(coach_id=coach_id, name=name, category=category, measure=measure)
    db.session.add(exercise)
    db.session.flush()
    return exercise


def rename_exercise(exercise, name):
    """Rename a coach's own exercise; sessions that use it show the new name."""
    name = _clean_name(name)
    _check_name_free(exercise.coach_id, name, exercise.id)
    exercise.name = name
    return exercise


def archive_exercise(exercise, archived=True):
    """An archived exercise stays on the sessions that use it but is no longer offered."""
    exercise.archived = archived
    return exercise


def load_starter_exercises(path=STARTER_EXERCISES):
    """Add the shipped starter library's exercises that are not in the database yet; returns how
    many were added. Safe to run again."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    have = set(db.session.scalars(select(Exercise.name).where(Exercise.coach_id.is_(None))))
    added = 0
    for row in rows:
        if row["name"] in have:
            continue
        db.session.add(Exercise(coach_id=None, name=row["name"], category=row["category"], measure=row["measure"]))
        have.add(row["name"])
        added += 1
    db.session.flush()
    return added


# --- sessions --------------------------------------------------------------------------------


ITEM_DEFAULTS = {name: None for name in PrescriptionFields.COPIED} | {"tempo": "", "notes": ""}


def _prescription_rows(coach_id, prescriptions):
    """Checked, complete rows (same keys in each, so they insert in one statement)."""
    prescriptions = list(prescriptions)
    if len(prescriptions) > MAX_PRESCRIPTIONS:
        raise CalendarError(f"A session holds at most {MAX_PRESCRIPTIONS} exercises.", "prescriptions")
    _check_exercises(coach_id, prescriptions)
    return [{**ITEM_DEFAULTS, **p, "position": i} for i, p in enumerate(prescriptions)]


def _write_items(owners, model=Prescription):
    """Insert the items of several sessions (or workouts) in one statement: `owners` is a list of
    (session or workout, rows). The owners' item lists are reloaded when next read."""
    key = "session_id" if model is Prescription else "workout_id"
    values = [{**row, key: owner.id} for owner, rows in owners for row in rows]
    if values:
        db.session.execute(insert(model), values)
    for owner, _ in owners:
        db.session.expire(owner, ["prescriptions"])


def _replace_items(owner, rows, model=Prescription):
    key = model.session_id if model is Prescription else model.workout_id
    db.session.execute(delete(model).where(key == owner.id))
    _write_items([(owner, rows)], model)


def _item_rows(items):
    return [item.copied_fields() for item in items]


def add_session(calendar, day, coach_id, title, notes="", prescriptions=()):
    """A new session at the end of `day`. `prescriptions` are dicts of PrescriptionFields
    columns (exercise_id, sets, reps_min, ...), in order."""
    check_writable(calendar)
    check_date(calendar, day)
    rows = _prescription_rows(coach_id, prescriptions)
    session = Session(
        calendar_id=calendar.id,
        date=day,
        position=_next_positions(calendar.id, [day])[day],
        title=title,
        notes=notes or "",
    )
    db.session.add(session)
    db.session.flush()
    _write_items([(session, rows)])
    return session


def update_session(session, coach_id, title, notes, prescriptions, version=None):
    """Save the editor: title, notes and the whole ordered list of prescriptions. Refuses when
    the session changed since the editor was opened (`version`)."""
    check_writable(session.calendar)
    if version is not None and version != session.version:
        raise CalendarError(STALE_MESSAGE, "version")
    rows = _prescription_rows(coach_id, prescriptions)
    session.title = title
    session.notes = notes or ""
    session.version += 1
    db.session.flush()
    _replace_items(session, rows)
    return session


def delete_session(session):
    """Delete a session; returns what Undo needs to put it back (see restore_session)."""
    check_writable(session.calendar)
    snapshot = {
        "calendar_id": session.calendar_id,
        "date": session.date.isoformat(),
        "position": session.position,
        "title": session.title,
        "notes": session.notes,
        "prescriptions": _item_rows(session.prescriptions),
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
        session.position = _next_positions(session.calendar_id, [day])[day]
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


def _copy_into(sessions, targets, shift):
    """Copy `sessions` (prescriptions loaded) into each target calendar, dates moved by `shift`,
    after what is already on each day. Returns the number of sessions created."""
    if not sessions:
        return 0
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
        positions = _next_positions(target.id, days)
        for source in sessions:
            day = source.date + shift
            copy = Session(calendar_id=target.id, date=day, position=positions[day], title=source.title, notes=source.notes)
            positions[day] += 1
            copies.append((copy, _item_rows(source.prescriptions)))
    db.session.add_all([copy for copy, _ in copies])
    db.session.flush()
    _write_items(copies)
    return len(copies)


def _with_calendar(sessions, calendar):
    for session in sessions:
        set_committed_value(session, "calendar", calendar)
    return sessions


def duplicate_session(session):
    """A copy of the session on the same day, right after the last one."""
    return _copy_into([session], [session.calendar], timedelta(0))


def copy_days(calendar, first, days, to_first, targets=None):
    """Copy `days` days from `first` of `calendar` to `to_first` on each target calendar (this
    calendar when none are given). Each copy is independent. Returns sessions created."""
    sessions = _with_calendar(sessions_between(calendar, first, first + timedelta(days=days - 1)), calendar)
    return _copy_into(sessions, targets or [calendar], to_first - first)


def copy_week(calendar, week_first, to_first, targets=None):
    """Copy the week that starts on `week_first` to the week starting `to_first`."""
    return copy_days(calendar, week_first, 7, to_first, targets)


def copy_sessions_to_subscriptions(sessions, subscriptions, shift=timedelta(0)):
    """Copy sessions (their calendar and prescriptions loaded) to each subscription's calendar
    in the same program, `shift` later. Returns sessions created."""
    targets = [calendar_for_subscription(subscription) for subscription in subscriptions]
    return _copy_into(list(sessions), targets, shift)


# --- templates -------------------------------------------------------------------------------


def template_sessions(program):
    """All sessions of a program's template, prescriptions loaded (two queries)."""
    calendar = db.session.scalar(
        select(Calendar).where(Calendar.program_id == program.id, Calendar.kind == TEMPLATE)
    )
    if calendar is None:
        return None, []
    return calendar, _with_calendar(sessions_between(calendar, TEMPLATE_EPOCH, TEMPLATE_LAST), calendar)


def copy_template(program, subscription, start, replace=False):
    """Copy the program's template into the subscriber's calendar: Week 1 Day 1 lands on
    `start`. With `replace`, the sessions already on the days the template covers (from `start`
    to the end of its last week) are removed first; otherwise they are kept. A Group program
    has no template: nothing is copied. Returns the number of sessions created."""
    if program.type == GROUP_PROGRAM:
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
    return _copy_into(sessions, [target], shift)


def template_weeks(program):
    """How many weeks the program's template spans (0 when empty)."""
    last = db.session.scalar(
        select(func.max(Session.date))
        .join(Calendar, Session.calendar_id == Calendar.id)
        .where(Calendar.program_id == program.id, Calendar.kind == TEMPLATE)
    )
    return template_position(last)[0] if last else 0


# --- workout library -------------------------------------------------------------------------


def save_to_library(session, coach_id):
    """Save a copy of a session to the coach's workout library."""
    workout = Workout(coach_id=coach_id, title=session.title, notes=session.notes)
    db.session.add(workout)
    db.session.flush()
    _write_items([(workout, _item_rows(session.prescriptions))], WorkoutItem)
    return workout


def add_workout(coach_id, title, notes="", prescriptions=()):
    rows = _prescription_rows(coach_id, prescriptions)
    workout = Workout(coach_id=coach_id, title=title, notes=notes or "")
    db.session.add(workout)
    db.session.flush()
    _write_items([(workout, rows)], WorkoutItem)
    return workout


def update_workout(workout, coach_id, title, notes, prescriptions, version=None):
    """Edit a library workout; the sessions it was inserted into do not change."""
    if version is not None and version != workout.version:
        raise CalendarError(STALE_MESSAGE.replace("session", "workout"), "version")
    rows = _prescription_rows(coach_id, prescriptions)
    workout.title = title
    workout.notes = notes or ""
    workout.version += 1
    db.session.flush()
    _replace_items(workout, rows, WorkoutItem)
    return workout


def find_workout(coach_id, title):
    """The coach's library workout with this title (type-ahead picks by name), items loaded."""
    return db.session.scalars(
        select(Workout)
        .where(Workout.coach_id == coach_id, func.lower(Workout.title) == (title or "").strip().lower())
        .order_by(Workout.id.desc())
        .options(selectinload(Workout.prescriptions))
    ).first()


def insert_workout(workout, calendar, day):
    """Insert an independent copy of a library workout as a new session on `day`."""
    check_writable(calendar)
    check_date(calendar, day)
    session = Session(
        calendar_id=calendar.id,
        date=day,
        position=_next_positions(calendar.id, [day])[day],
        title=workout.title,
        notes=workout.notes,
    )
    db.session.add(session)
    db.session.flush()
    _write_items([(session, _item_rows(workout.prescriptions))])
    return session


def live_subscriptions(program):
    """The program's clients whose calendars can be written: active and pending, by name."""
    subscriptions = db.session.scalars(
        select(Subscription)
        .where(Subscription.program_id == program.id, Subscription.status != ENDED)
        .options(joinedload(Subscription.client))
    ).all()
    return sorted(subscriptions, key=lambda s: (s.status != "active", s.display_name.lower(), s.id))
