"""What a client logged, read back: completion of planned sessions, one log, a page of history.
A set as typed is checked here too, for logging a session and entering a record by hand."""

import secrets
from collections import defaultdict
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from fitr.errors import RuleError
from fitr.extensions import db
from fitr.history.models import (
    MAX_DISTANCE_M,
    MAX_LOAD_KG,
    MAX_REPS,
    MAX_SECONDS,
    SessionLog,
    SetLog,
)
from fitr.library.models import Exercise
from fitr.units import display_to_kg, format_load

MAX_SETS = 200
MAX_NOTES = 2000
FIRST_DAY = date(1900, 1, 1)
HISTORY_PAGE = 20


class HistoryError(RuleError):
    """A history rule refused (a result that cannot be saved)."""


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


def own_log(user_id, log_id):
    """One of the user's logs, sets loaded, or None."""
    return db.session.scalar(
        select(SessionLog)
        .where(SessionLog.id == log_id, SessionLog.user_id == user_id)
        .options(selectinload(SessionLog.sets))
    )


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


def group_sets(log):
    """[(exercise name, [SetLog])] of a log, in session order."""
    groups = defaultdict(list)
    names = {}
    for s in log.sets:
        key = (s.position, s.exercise_name)
        groups[key].append(s)
        names[key] = s.exercise_name
    return [(names[key], groups[key]) for key in sorted(groups)]


def new_submission_key():
    """The random key a log form carries, so the same form sent twice saves once."""
    return secrets.token_urlsafe(24)


def _in_range(value, low, high, message, field_name):
    if value is not None and not low <= value <= high:
        raise HistoryError(message, field_name)
    return value


def clean_set(row, unit, known_exercises):
    """A set as typed (load in `unit`) -> SetLog columns, or None for an empty row."""
    name = row.get("field") or "sets"
    exercise = known_exercises.get(row.get("exercise_id"))
    if exercise is None:
        raise HistoryError("Choose an exercise from the list.", f"{name}-exercise_id")
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
