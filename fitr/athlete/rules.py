"""The client's side as plain functions: what a client may see, logging a session, Personal
Records, moving a client to a new subscription, adherence, and the calendar feed.

Rules flush but never commit: the caller commits once. They raise AthleteError (with the form
field the message belongs next to) when they refuse.
"""

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from fitr.athlete.models import (
    DONE,
    LOG_STATUSES,
    MAX_DISTANCE_M,
    MAX_LOAD_KG,
    MAX_REPS,
    MAX_SECONDS,
    SKIPPED,
    FeedToken,
    ManualRecord,
    SessionLog,
    SetLog,
)
from fitr.athlete.units import display_to_kg, format_distance, format_duration, format_load
from fitr.calendar import rules as calendar_rules
from fitr.calendar.models import CLIENT, GROUP, Calendar, Exercise, Prescription, Session
from fitr.calendar.rules import CalendarError
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import ACTIVE, ENDED, PENDING, PUBLISHED, Program, Subscription
from fitr.programs.models import GROUP as GROUP_PROGRAM

RECORD_REPS = range(1, 11)  # records and the estimated 1RM count sets of 1 to 10 reps
MAX_SETS = 200
MAX_NOTES = 2000
FIRST_DAY = date(1900, 1, 1)
ADHERENCE_DAYS = 28
HISTORY_PAGE = 20


class AthleteError(Exception):
    """A client-side rule refused; `field` names the form field the message belongs next to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class LogConflict(AthleteError):
    """The log changed after this form was opened (another tab or device): nothing was saved."""


def today_for(user):
    """Today where the user is (their time zone; UTC when it is unknown)."""
    try:
        return datetime.now(ZoneInfo(user.time_zone or "UTC")).date()
    except (KeyError, ValueError):
        return date.today()


# --- what a client may see -------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The dates of a subscription's calendar its client may see; `last` None = no limit."""

    first: date | None
    last: date | None

    def __contains__(self, day):
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)

    def clip(self, first, last):
        """(first, last) cut to the window, or None when they do not overlap."""
        if self.first is not None:
            first = max(first, self.first)
        if self.last is not None:
            last = min(last, self.last)
        return (first, last) if first <= last else None


def visible_window(subscription, today, program=None):
    """From the subscription's start date to today + the program's Clients can see ahead (all
    when 0). A pending subscription shows nothing; an ended one nothing after it ended (and
    nothing after today). `program` defaults to subscription.program (load it)."""
    program = program or subscription.program
    if subscription.status == PENDING:
        return None
    first = subscription.start_date
    if first is None and subscription.started_at is not None:
        first = subscription.started_at.date()
    if subscription.status == ENDED:
        ended = subscription.ended_at.date() if subscription.ended_at else today
        return Window(first, min(ended, today))
    last = today + timedelta(days=program.see_ahead_days) if program.see_ahead_days else None
    return Window(first, last)


def client_subscriptions(user_id, statuses=(ACTIVE, ENDED)):
    """The user's subscriptions as a client (active first, then by start), program and coach loaded."""
    return db.session.scalars(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(Subscription.client_id == user_id, Subscription.status.in_(statuses))
        .options(joinedload(Subscription.program).joinedload(Program.coach))
        .order_by(Subscription.status, Subscription.start_date.desc(), Subscription.id.desc())
    ).all()


def calendar_ids(subscriptions):
    """{subscription id: the calendar id it trains from} (1-2-1: its own; Group: the shared one).
    One query; a subscription whose calendar was never created is left out."""
    if not subscriptions:
        return {}
    own = [s.id for s in subscriptions if s.program.type != GROUP_PROGRAM]
    group_programs = [s.program_id for s in subscriptions if s.program.type == GROUP_PROGRAM]
    rows = db.session.execute(
        select(Calendar.id, Calendar.kind, Calendar.subscription_id, Calendar.program_id).where(
            or_(
                and_(Calendar.kind == CLIENT, Calendar.subscription_id.in_(own)),
                and_(Calendar.kind == GROUP, Calendar.program_id.in_(group_programs)),
            )
        )
    ).all()
    by_subscription = {row.subscription_id: row.id for row in rows if row.kind == CLIENT}
    by_program = {row.program_id: row.id for row in rows if row.kind == GROUP}
    result = {}
    for s in subscriptions:
        calendar_id = by_program.get(s.program_id) if s.program.type == GROUP_PROGRAM else by_subscription.get(s.id)
        if calendar_id is not None:
            result[s.id] = calendar_id
    return result


@dataclass
class Planned:
    """A session the client may see, with the subscription it came through."""

    session: Session
    subscription: Subscription


def visible_sessions(subscriptions, first, last, today):
    """The sessions from `first` to `last` the client may see in these subscriptions, each cut to
    its visible window, prescriptions and exercises loaded: three queries however many."""
    calendars = calendar_ids(subscriptions)
    ranges = {}
    for s in subscriptions:
        window = visible_window(s, today)
        clipped = window.clip(first, last) if window and s.id in calendars else None
        if clipped:
            ranges[s.id] = clipped
    if not ranges:
        return []
    through = {}
    conditions = []
    for s in subscriptions:
        if s.id in ranges:
            calendar_id = calendars[s.id]
            through[calendar_id] = s
            lo, hi = ranges[s.id]
            conditions.append(and_(Session.calendar_id == calendar_id, Session.date.between(lo, hi)))
    sessions = db.session.scalars(
        select(Session)
        .where(or_(*conditions))
        .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        .order_by(Session.date, Session.calendar_id, Session.position, Session.id)
    ).all()
    return [Planned(session, through[session.calendar_id]) for session in sessions]


def find_own_session(user, session_id, today):
    """(session, subscription) when the session is on a calendar of one of the user's active
    subscriptions (their own, or their Group program's) and inside its visible window; else
    None. The session comes with its calendar, prescriptions and exercises."""
    session = db.session.scalar(
        select(Session)
        .where(Session.id == session_id)
        .options(
            joinedload(Session.calendar),
            selectinload(Session.prescriptions).joinedload(Prescription.exercise),
        )
    )
    if session is None:
        return None
    calendar = session.calendar
    where = [Subscription.client_id == user.id, Subscription.status == ACTIVE]
    if calendar.kind == CLIENT:
        where.append(Subscription.id == calendar.subscription_id)
    elif calendar.kind == GROUP:
        where.append(Subscription.program_id == calendar.program_id)
    else:
        return None
    subscription = db.session.scalar(
        select(Subscription).where(*where).options(joinedload(Subscription.program)).limit(1)
    )
    if subscription is None or session.date not in visible_window(subscription, today):
        return None
    return session, subscription


# --- completion on calendars -----------------------------------------------------------------


def completion_for_sessions(session_ids, user_id=None):
    """{session id: 'done' | 'skipped'} for the sessions someone logged (one query). On a Group
    calendar pass `user_id` to see one client's. A past session with no entry was missed."""
    ids = list(session_ids)
    if not ids:
        return {}
    query = select(SessionLog.session_id, SessionLog.status).where(SessionLog.session_id.in_(ids))
    if user_id is not None:
        query = query.where(SessionLog.user_id == user_id)
    return dict(db.session.execute(query).all())


def completion(status, day, today):
    """'done', 'skipped', 'missed' (a past session nobody logged) or None (still to come)."""
    if status:
        return status
    return "missed" if day < today else None


def logs_for_session(session_id):
    """What clients logged for one planned session, sets loaded (for the coach's editor)."""
    return db.session.scalars(
        select(SessionLog)
        .where(SessionLog.session_id == session_id)
        .options(selectinload(SessionLog.sets))
        .order_by(SessionLog.id)
    ).all()


def log_of(user_id, session_id):
    """The user's log of a planned session, sets loaded, or None."""
    return db.session.scalar(
        select(SessionLog)
        .where(SessionLog.user_id == user_id, SessionLog.session_id == session_id)
        .options(selectinload(SessionLog.sets))
    )


# --- logging a session -----------------------------------------------------------------------


def new_submission_key():
    """The random key a log form carries, so the same form sent twice saves once."""
    return secrets.token_urlsafe(24)


@dataclass
class Logged:
    log: SessionLog
    duplicate: bool  # this exact form was saved before: nothing changed
    records_before: dict | None = None  # personal_records() of the logged exercises before the save


STALE_LOG = (
    "This log was updated after you opened this form (in another tab or on another device), so "
    "this older version was not saved. Open the session again to see the latest log."
)


def _in_range(value, low, high, message, field_name):
    if value is not None and not low <= value <= high:
        raise AthleteError(message, field_name)
    return value


def clean_set(row, unit, known_exercises):
    """A set as typed (load in `unit`) -> SetLog columns, or None for an empty row."""
    name = row.get("field") or "sets"
    exercise = known_exercises.get(row.get("exercise_id"))
    if exercise is None:
        raise AthleteError("Choose an exercise from the list.", f"{name}-exercise_id")
    reps = _in_range(row.get("reps"), 0, MAX_REPS, f"Reps must be from 0 to {MAX_REPS}.", f"{name}-reps")
    load = row.get("load")
    load_kg = display_to_kg(load, unit)
    limit = format_load(MAX_LOAD_KG, unit)
    _in_range(load_kg, 0, MAX_LOAD_KG + 1e-9, f"Load must be from 0 to {limit}.", f"{name}-load")
    duration = _in_range(
        row.get("duration_seconds"), 1, MAX_SECONDS, "Time must be from 1 second to 24 hours.", f"{name}-time"
    )
    distance = _in_range(
        row.get("distance_m"), 1, MAX_DISTANCE_M, "Distance must be from 1 m to 1,000 km.", f"{name}-distance"
    )
    if reps is None and load_kg is None and duration is None and distance is None:
        return None
    return {
        "exercise_id": exercise.id,
        "exercise_name": exercise.name,
        "measure": exercise.measure,
        "position": row.get("position", 0),
        "set_number": row.get("set_number", 1),
        "reps": reps,
        "load_kg": min(load_kg, MAX_LOAD_KG) if load_kg is not None else None,
        "duration_seconds": duration,
        "distance_m": distance,
    }


def loggable_exercises(program, session):
    """{id: Exercise} a client may log in this session: its prescriptions' exercises and the
    coach's library (starter exercises and the coach's own, not archived)."""
    found = {p.exercise_id: p.exercise for p in session.prescriptions}
    found.update(
        (e.id, e)
        for e in db.session.scalars(
            select(Exercise).where(calendar_rules.visible_exercises(program.coach_id), Exercise.archived.is_(False))
        )
    )
    return found


def log_session(user, session, data, submission_key, subscription=None, today=None):
    """Save what the client did in a planned session, as one change: the log and all its sets.

    `data`: status ('done'/'skipped'), date, rpe, notes, unit (of the loads; the user's by
    default) and sets: dicts of exercise_id, position, set_number, reps, load, duration_seconds,
    distance_m. Empty sets are ignored; a skipped session keeps no sets. Logging the session
    again replaces the earlier log. The same `submission_key` twice (a resubmitted form) saves
    once: the second call changes nothing and returns the first log with duplicate=True.

    `data["based_on"]` is the submission key of the log the form was opened on ('' for none):
    when the log has been saved since (another tab, or an older form resent after an update),
    LogConflict is raised and nothing changes, so an old form never overwrites a newer log."""
    if not submission_key or len(submission_key) > 64:
        raise AthleteError("This form is out of date. Reload the page and try again.")
    earlier = db.session.scalar(
        select(SessionLog).where(SessionLog.submission_key == submission_key).options(selectinload(SessionLog.sets))
    )
    if earlier is not None:
        if earlier.user_id != user.id:
            raise AthleteError("This form is out of date. Reload the page and try again.")
        return Logged(earlier, duplicate=True)

    today = today or today_for(user)
    status = data.get("status")
    if status not in LOG_STATUSES:
        raise AthleteError("Choose Done or Skipped.", "status")
    day = data.get("date") or min(session.date, today)
    if day > today:
        raise AthleteError("The date you trained cannot be in the future.", "date")
    if day < FIRST_DAY:
        raise AthleteError("Choose a date after 1900.", "date")
    rpe = data.get("rpe")
    if rpe is not None and not 1 <= rpe <= 10:
        raise AthleteError("RPE must be from 1 to 10.", "rpe")
    notes = (data.get("notes") or "").strip()
    if len(notes) > MAX_NOTES:
        raise AthleteError(f"Use at most {MAX_NOTES} characters.", "notes")
    rows = list(data.get("sets") or [])
    if len(rows) > MAX_SETS:
        raise AthleteError(f"A session log holds at most {MAX_SETS} sets.")

    if subscription is None:
        found = find_own_session(user, session.id, today)
        if found is None:
            raise AthleteError("This session is not on your calendar.")
        subscription = found[1]
    program = db.session.get(Program, subscription.program_id)
    unit = data.get("unit") or user.units
    known = loggable_exercises(program, session)
    cleaned = [clean_set(row, unit, known) for row in rows] if status == DONE else []
    cleaned = [row for row in cleaned if row is not None]

    log = log_of(user.id, session.id)
    based_on = data.get("based_on") or ""
    if log is not None and based_on != log.submission_key:
        if log.submission_key == submission_key:
            # The same form, sent again, whose first copy was saved since the check above.
            return Logged(log, duplicate=True)
        raise LogConflict(STALE_LOG)
    # What stood before this save, to announce only the records it improves.
    records_before = personal_records(user.id, {row["exercise_id"] for row in cleaned}) if cleaned else {}
    try:
        with db.session.begin_nested():
            if log is None:
                log = SessionLog(user_id=user.id, session_id=session.id, sets=[])
                db.session.add(log)
            elif not _take_over(log, based_on, submission_key):
                raise LogConflict(STALE_LOG)
            log.subscription_id = subscription.id
            log.program_name = program.name
            log.session_title = session.title
            log.date = day
            log.status = status
            log.rpe = rpe
            log.notes = notes
            log.submission_key = submission_key
            log.sets = [SetLog(user_id=user.id, date=day, **row) for row in cleaned]
            db.session.flush()
    except (IntegrityError, LogConflict) as error:
        # The same form, sent again while the first was still saving: keep the first.
        earlier = db.session.scalar(
            select(SessionLog)
            .where(SessionLog.submission_key == submission_key, SessionLog.user_id == user.id)
            .options(selectinload(SessionLog.sets))
        )
        if earlier is None:
            raise LogConflict(STALE_LOG) from error
        return Logged(earlier, duplicate=True)
    return Logged(log, duplicate=False, records_before=records_before)


def _take_over(log, based_on, submission_key):
    """Move the log from the key its form was opened on to this form's key, only if nobody saved
    it in between (compare-and-set, so two tabs saving at once cannot both win)."""
    changed = db.session.execute(
        update(SessionLog)
        .where(SessionLog.id == log.id, SessionLog.submission_key == based_on)
        .values(submission_key=submission_key)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


# --- history -----------------------------------------------------------------------------------


def history_page(user_id, exercise_id=None, page=1, per_page=HISTORY_PAGE):
    """A page of everything the client logged, newest first, sets loaded: (logs, has_next)."""
    query = select(SessionLog).where(SessionLog.user_id == user_id)
    if exercise_id is not None:
        query = query.where(
            exists().where(SetLog.session_log_id == SessionLog.id, SetLog.exercise_id == exercise_id)
        )
    logs = db.session.scalars(
        query.options(selectinload(SessionLog.sets))
        .order_by(SessionLog.date.desc(), SessionLog.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return logs[:per_page], len(logs) > per_page


def logged_exercises(user_id):
    """[(exercise id, name)] the client has logged sets of, by name: the history filter (a
    hand-entered record is not history, so its exercise alone would filter to nothing)."""
    logged = select(SetLog.exercise_id).where(SetLog.user_id == user_id)
    return db.session.execute(
        select(Exercise.id, Exercise.name).where(Exercise.id.in_(logged)).order_by(func.lower(Exercise.name))
    ).all()


def own_log(user_id, log_id):
    """One of the user's logs, sets loaded, or None."""
    return db.session.scalar(
        select(SessionLog)
        .where(SessionLog.id == log_id, SessionLog.user_id == user_id)
        .options(selectinload(SessionLog.sets))
    )


# --- Personal Records --------------------------------------------------------------------------


def estimated_1rm(load_kg, reps):
    """Epley: load × (1 + reps / 30); a single is its own 1RM. Only for 1 to 10 reps."""
    if load_kg is None or not load_kg or reps not in RECORD_REPS:
        return None
    return load_kg if reps == 1 else load_kg * (1 + reps / 30)


@dataclass
class Record:
    """One best result and where it came from: a logged set (log_id) or a hand-entered record."""

    kind: str  # load (for `reps` reps), e1rm, reps, time, distance
    value: float
    date: date
    reps: int | None = None
    load_kg: float | None = None
    log_id: int | None = None
    session_id: int | None = None
    manual_id: int | None = None
    order: tuple = ()

    def beats(self, other):
        """Higher wins; on a tie (to 0.0001) the earlier date, then the set entered first."""
        if other is None:
            return True
        mine, theirs = round(self.value, 4), round(other.value, 4)
        if mine != theirs:
            return mine > theirs
        return (self.date, self.order) < (other.date, other.order)


@dataclass
class ExerciseRecords:
    exercise_id: int
    name: str
    measure: str
    by_reps: dict = field(default_factory=dict)  # {reps: Record} best load for exactly that many reps
    e1rm: Record | None = None
    reps: Record | None = None
    time: Record | None = None
    distance: Record | None = None

    def offer(self, record):
        if record.kind == "load":
            if record.beats(self.by_reps.get(record.reps)):
                self.by_reps[record.reps] = record
        elif record.beats(getattr(self, record.kind)):
            setattr(self, record.kind, record)

    def all(self):
        found = [self.e1rm, self.reps, self.time, self.distance, *self.by_reps.values()]
        return [r for r in found if r is not None]

    @property
    def headline(self):
        """The one number the records list leads with, by how the exercise is measured."""
        return {"load_reps": self.e1rm, "reps": self.reps, "time": self.time, "distance": self.distance}.get(
            self.measure
        ) or self.e1rm or self.reps or self.time or self.distance


def evidence(user_id, exercise_ids=None, subscription_ids=None, coach_id=None):
    """Every result that counts for records, as Records (two queries): done sets the client
    logged (only those logged through `subscription_ids` when given) and hand-entered records
    (for a coach's view, `coach_id`: only of starter exercises and that coach's own, so another
    coach's exercise names never show)."""
    sets = (
        select(
            SetLog.id, SetLog.exercise_id, SetLog.reps, SetLog.load_kg, SetLog.duration_seconds,
            SetLog.distance_m, SetLog.date, SetLog.session_log_id, SessionLog.session_id,
            Exercise.name, Exercise.measure,
        )  # fmt: skip
        .join(SessionLog, SetLog.session_log_id == SessionLog.id)
        .join(Exercise, SetLog.exercise_id == Exercise.id)
        .where(SetLog.user_id == user_id, SessionLog.status == DONE)
    )
    manual = (
        select(ManualRecord, Exercise.name, Exercise.measure)
        .join(Exercise, ManualRecord.exercise_id == Exercise.id)
        .where(ManualRecord.user_id == user_id)
    )
    if exercise_ids is not None:
        sets = sets.where(SetLog.exercise_id.in_(list(exercise_ids)))
        manual = manual.where(ManualRecord.exercise_id.in_(list(exercise_ids)))
    if subscription_ids is not None:
        sets = sets.where(SessionLog.subscription_id.in_(list(subscription_ids)))
    if coach_id is not None:
        manual = manual.where(or_(Exercise.coach_id.is_(None), Exercise.coach_id == coach_id))
    results = []
    for row in db.session.execute(sets):
        source = {"log_id": row.session_log_id, "session_id": row.session_id, "order": (0, row.id)}
        results.append((row.exercise_id, row.name, row.measure, row, source))
    for record, name, measure in db.session.execute(manual):
        results.append((record.exercise_id, name, measure, record, {"manual_id": record.id, "order": (1, record.id)}))
    return results


def _records_of(result, source):
    """The Records one set or hand-entered result is evidence for."""
    found = []
    if result.load_kg and result.reps in RECORD_REPS:
        found.append(Record("load", result.load_kg, result.date, reps=result.reps, load_kg=result.load_kg, **source))
        found.append(
            Record("e1rm", estimated_1rm(result.load_kg, result.reps), result.date, reps=result.reps,
                   load_kg=result.load_kg, **source)
        )  # fmt: skip
    elif result.reps and not result.load_kg:
        # Most reps is a bodyweight record: a loaded set over 10 reps (12 × 60 kg) is not one.
        found.append(Record("reps", result.reps, result.date, reps=result.reps, **source))
    if result.duration_seconds:
        found.append(Record("time", result.duration_seconds, result.date, **source))
    if result.distance_m:
        found.append(Record("distance", result.distance_m, result.date, **source))
    return found


def personal_records(user_id, exercise_ids=None, subscription_ids=None, coach_id=None):
    """{exercise id: ExerciseRecords}, by exercise name. Per exercise: the best load for exactly
    1, 2, ... 10 reps (a set of 5 is not counted as a set of 3), the best estimated 1RM (Epley,
    from sets of 1 to 10 reps), the most reps in a set without load, and the longest time and
    distance. Ties: the earliest date wins, then the set entered first. Loads are in kg.
    A coach's view passes `subscription_ids` (their programs) and `coach_id` (see evidence)."""
    records = {}
    for exercise_id, name, measure, result, source in evidence(user_id, exercise_ids, subscription_ids, coach_id):
        exercise = records.get(exercise_id)
        if exercise is None:
            exercise = records[exercise_id] = ExerciseRecords(exercise_id, name, measure)
        for record in _records_of(result, source):
            exercise.offer(record)
    return dict(sorted(records.items(), key=lambda item: (item[1].name.lower(), item[0])))


def new_records_in(log, before=None):
    """[(ExerciseRecords, Record)] the Personal Records this save set: records the saved log
    holds that beat what stood before the save (`before`: Logged.records_before, the records
    of the logged exercises taken before the save, this log's earlier sets included). So saving
    a log again with only its notes changed announces nothing; a heavier set announces again.
    Without `before`, every record the log holds counts as new."""
    if log.status != DONE or not log.sets:
        return []
    exercise_ids = {s.exercise_id for s in log.sets if s.exercise_id is not None}
    before = before or {}
    found = []
    for exercise in personal_records(log.user_id, exercise_ids).values():
        earlier = before.get(exercise.exercise_id)
        for record in exercise.all():
            if record.log_id == log.id and _improves(record, earlier):
                found.append((exercise, record))
    return found


def _improves(record, earlier):
    """True when `record` is higher than the same record in `earlier` (ExerciseRecords or None)."""
    if earlier is None:
        return True
    if record.kind == "load":
        previous = earlier.by_reps.get(record.reps)
    else:
        previous = getattr(earlier, record.kind)
    return previous is None or round(record.value, 4) > round(previous.value, 4)


def describe(record, unit):
    """'5 reps: 110 kg', 'Estimated 1RM: 128.3 kg', 'Most reps: 20', 'Longest time: 1:30'."""
    if record.kind == "load":
        return f"{record.reps} rep{'s' if record.reps != 1 else ''}: {format_load(record.value, unit)}"
    if record.kind == "e1rm":
        return f"Estimated 1RM: {format_load(record.value, unit)}"
    if record.kind == "reps":
        return f"Most reps: {int(record.value)}"
    if record.kind == "time":
        return f"Longest time: {format_duration(int(record.value))}"
    return f"Longest distance: {format_distance(int(record.value))}"


def progress(user_id, exercise_id, measure):
    """[(date, best value that day)] for the chart: estimated 1RM (kg) for load and reps
    exercises with loads, else most reps, longest time or distance. Oldest first."""
    best = {}
    kind = {"time": "time", "distance": "distance"}.get(measure)
    for _, _, _, result, source in evidence(user_id, [exercise_id]):
        for record in _records_of(result, source):
            wanted = kind or ("e1rm" if record.kind == "e1rm" else None)
            if wanted is None and record.kind == "reps" and measure == "reps":
                wanted = "reps"
            if record.kind == wanted and record.value > best.get(record.date, 0):
                best[record.date] = record.value
    return sorted(best.items())


def add_manual_record(user, exercise, data, today=None):
    """A record the client enters by hand (e.g. from before they joined). `data`: reps, load (in
    `unit`, the user's by default), duration_seconds, distance_m, date (not in the future), note."""
    today = today or today_for(user)
    day = data.get("date")
    if day is None:
        raise AthleteError("Enter the date of this record.", "date")
    if day > today:
        raise AthleteError("A record cannot be dated in the future.", "date")
    if day < FIRST_DAY:
        raise AthleteError("Choose a date after 1900.", "date")
    note = (data.get("note") or "").strip()
    if len(note) > 200:
        raise AthleteError("Use at most 200 characters.", "note")
    row = clean_set({**data, "exercise_id": exercise.id, "field": "record"}, data.get("unit") or user.units,
                    {exercise.id: exercise})  # fmt: skip
    if row is None:
        raise AthleteError("Enter the result.", _main_field(exercise.measure))
    if exercise.measure == "load_reps" and (row["load_kg"] is None or row["reps"] not in RECORD_REPS):
        field_name = "load" if row["load_kg"] is None else "reps"
        raise AthleteError("Enter the load and 1 to 10 reps: records count sets of 1 to 10 reps.", field_name)
    if exercise.measure == "reps" and not row["reps"]:
        raise AthleteError("Enter the number of reps.", "reps")
    if exercise.measure == "time" and row["duration_seconds"] is None:
        raise AthleteError("Enter the time.", "time")
    if exercise.measure == "distance" and row["distance_m"] is None:
        raise AthleteError("Enter the distance.", "distance")
    record = ManualRecord(
        user_id=user.id,
        exercise_id=exercise.id,
        exercise_name=exercise.name,
        reps=row["reps"],
        load_kg=row["load_kg"],
        duration_seconds=row["duration_seconds"],
        distance_m=row["distance_m"],
        date=day,
        note=note,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _main_field(measure):
    return {"load_reps": "load", "reps": "reps", "time": "time", "distance": "distance"}[measure]


def client_exercises(user_id):
    """Exercises a client may record by hand or look up: the starter library and the own
    exercises of every coach whose program they are (or were) in."""
    coaches = (
        select(Program.coach_id)
        .join(Subscription, Subscription.program_id == Program.id)
        .where(Subscription.client_id == user_id, Subscription.status.in_((ACTIVE, ENDED)))
    )
    return or_(Exercise.coach_id.is_(None), Exercise.coach_id.in_(coaches))


def visible_exercise(user_id, exercise_id):
    """An exercise the client may see records of, or None: in their library, or one they logged."""
    mine = or_(
        client_exercises(user_id),
        Exercise.id.in_(select(SetLog.exercise_id).where(SetLog.user_id == user_id)),
        Exercise.id.in_(select(ManualRecord.exercise_id).where(ManualRecord.user_id == user_id)),
    )
    return db.session.scalar(select(Exercise).where(Exercise.id == exercise_id, mine))


# --- moving a client ---------------------------------------------------------------------------


def move_subscription(subscription, target_program, start_date, now=None):
    """Move a client to a new subscription: the old one ends (its calendar is kept, read-only),
    a new active one starts on `start_date` in `target_program` (another published program of
    the same coach, or the same one to re-subscribe a past client), with its own calendar copied
    from the target's template. History and Personal Records belong to the client and are not
    touched. One change; returns the new subscription."""
    now = now or utcnow()
    program = db.session.get(Program, subscription.program_id)
    if target_program is None or target_program.coach_id != program.coach_id:
        raise AthleteError("Choose one of your programs.", "program")
    if target_program.status != PUBLISHED:
        raise AthleteError("Choose a published program: publish it first to add clients.", "program")
    if subscription.status == PENDING or subscription.client_id is None:
        raise AthleteError("This client has not joined yet: only a client who joined can be moved.")
    if start_date is None:
        raise AthleteError("Choose a start date.", "start_date")
    if not calendar_rules.FIRST_DATE <= start_date <= calendar_rules.LAST_DATE:
        raise AthleteError("Choose a date between 2000 and 2099.", "start_date")
    already = db.session.scalar(
        select(Subscription.id).where(
            Subscription.program_id == target_program.id,
            Subscription.id != subscription.id,
            Subscription.status.in_((PENDING, ACTIVE)),
            or_(Subscription.client_id == subscription.client_id, Subscription.client_email == subscription.client_email),
        )
    )
    if already is not None:
        raise AthleteError(f"This client is already in {target_program.name}.", "program")

    if subscription.status == ACTIVE:
        ended = db.session.execute(
            update(Subscription)
            .where(Subscription.id == subscription.id, Subscription.status == ACTIVE)
            .values(status=ENDED, ended_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if ended != 1:
            raise AthleteError("This client was moved or ended in another tab. Reload the page.")
        subscription.status, subscription.ended_at = ENDED, now
    new = Subscription(
        program_id=target_program.id,
        client_id=subscription.client_id,
        client_name=subscription.client_name,
        client_email=subscription.client_email,
        status=ACTIVE,
        start_date=start_date,
        started_at=now,
        moved_from_id=subscription.id,
    )
    db.session.add(new)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise AthleteError(f"This client is already in {target_program.name}.", "program") from error
    calendar_rules.calendar_for_subscription(new)
    try:
        calendar_rules.copy_template(target_program, new, start_date)
    except CalendarError as error:
        raise AthleteError(error.message, "start_date") from error
    return new


def movable_programs(coach_id):
    """The coach's published programs, by name: where a client can be moved."""
    return db.session.scalars(
        select(Program)
        .where(Program.coach_id == coach_id, Program.status == PUBLISHED)
        .order_by(func.lower(Program.name), Program.id)
    ).all()


# --- the coach's view of a client --------------------------------------------------------------


def coach_subscriptions_of(client_id, coach_id):
    """The client's subscriptions (active and ended) in this coach's programs, program loaded."""
    return db.session.scalars(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Subscription.client_id == client_id,
            Program.coach_id == coach_id,
            Subscription.status.in_((ACTIVE, ENDED)),
        )
        .options(joinedload(Subscription.program))
        .order_by(Subscription.id)
    ).all()


def recent_logs(client_id, subscription_ids, limit=10):
    """The client's latest logs made through these subscriptions, sets loaded."""
    if not subscription_ids:
        return []
    return db.session.scalars(
        select(SessionLog)
        .where(SessionLog.user_id == client_id, SessionLog.subscription_id.in_(list(subscription_ids)))
        .options(selectinload(SessionLog.sets))
        .order_by(SessionLog.date.desc(), SessionLog.id.desc())
        .limit(limit)
    ).all()


@dataclass
class Adherence:
    first: date
    last: date
    planned: int
    done: int
    skipped: int

    @property
    def missed(self):
        return self.planned - self.done - self.skipped

    @property
    def percent(self):
        return round(100 * self.done / self.planned) if self.planned else None


def adherence(client_id, coach_id, today):
    """Done / planned over the last 4 weeks (the 28 days to today) across the coach's programs
    the client is in. Planned: sessions on their calendars while subscribed, up to yesterday,
    plus today's once logged (a session later today is not missed yet)."""
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    subscriptions = coach_subscriptions_of(client_id, coach_id)
    calendars = calendar_ids(subscriptions)
    conditions = []
    for s in subscriptions:
        if s.id not in calendars:
            continue
        lo = max(first, s.start_date or first)
        hi = min(today, s.ended_at.date() if s.status == ENDED and s.ended_at else today)
        if lo <= hi:
            conditions.append(and_(Session.calendar_id == calendars[s.id], Session.date.between(lo, hi)))
    if not conditions:
        return Adherence(first, today, 0, 0, 0)
    rows = db.session.execute(
        select(Session.id, Session.date, SessionLog.status)
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id == client_id))
        .where(or_(*conditions))
    ).all()
    planned = [row for row in rows if row.date < today or row.status is not None]
    return Adherence(
        first,
        today,
        planned=len(planned),
        done=sum(1 for row in planned if row.status == DONE),
        skipped=sum(1 for row in planned if row.status == SKIPPED),
    )


# --- calendar feeds ----------------------------------------------------------------------------


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(subscription_id):
    """The subscription's live feed token row, or None."""
    return db.session.scalar(
        select(FeedToken).where(FeedToken.subscription_id == subscription_id, FeedToken.revoked_at.is_(None))
    )


def create_feed(subscription, now=None):
    """A new private feed URL token for the subscription (any earlier one stops working). The
    token is returned once; only its hash is stored."""
    revoke_feed(subscription, now)
    token = secrets.token_urlsafe(32)
    db.session.add(FeedToken(subscription_id=subscription.id, user_id=subscription.client_id, token_hash=_hash(token)))
    db.session.flush()
    return token


def revoke_feed(subscription, now=None):
    db.session.execute(
        update(FeedToken)
        .where(FeedToken.subscription_id == subscription.id, FeedToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def subscription_for_feed(token):
    """The active subscription a live feed token opens (program and client loaded), or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Subscription)
        .join(FeedToken, FeedToken.subscription_id == Subscription.id)
        .where(
            FeedToken.token_hash == _hash(token),
            FeedToken.revoked_at.is_(None),
            FeedToken.user_id == Subscription.client_id,
            Subscription.status == ACTIVE,
        )
        .options(joinedload(Subscription.program), joinedload(Subscription.client))
    )


def delete_manual_record(user_id, record_id):
    """Delete one of the user's hand-entered records; False when there is no such record."""
    return (
        db.session.execute(
            delete(ManualRecord)
            .where(ManualRecord.id == record_id, ManualRecord.user_id == user_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def manual_records(user_id, exercise_id):
    return db.session.scalars(
        select(ManualRecord)
        .where(ManualRecord.user_id == user_id, ManualRecord.exercise_id == exercise_id)
        .order_by(ManualRecord.date.desc(), ManualRecord.id.desc())
    ).all()


def group_sets(log):
    """[(exercise name, [SetLog])] of a log, in session order."""
    groups = defaultdict(list)
    names = {}
    for s in log.sets:
        key = (s.position, s.exercise_name)
        groups[key].append(s)
        names[key] = s.exercise_name
    return [(names[key], groups[key]) for key in sorted(groups)]
