"""Workout rules, and the ordered prescriptions that a library workout and a calendar's session
both hold: checked once, written in one statement, copied field by field."""

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from fitr.extensions import db
from fitr.library.exercises import LibraryError, check_exercises
from fitr.library.models import PrescriptionFields, Workout, WorkoutItem

MAX_PRESCRIPTIONS = 30
STALE_MESSAGE = (
    "This {kind} was changed in another tab since you opened it. What you see here is "
    "your version: Save {kind} again to keep it."
)
ITEM_DEFAULTS = {name: None for name in PrescriptionFields.COPIED} | {"tempo": "", "notes": "", "joined": False}


# --- prescriptions, for workouts and sessions alike ------------------------------------------


def prescription_rows(coach_id, prescriptions, error=LibraryError):
    """Checked, complete rows (same keys in each, so they insert in one statement). A refusal is
    raised as `error` (the calling area's RuleError)."""
    prescriptions = list(prescriptions)
    if len(prescriptions) > MAX_PRESCRIPTIONS:
        raise error(f"A session holds at most {MAX_PRESCRIPTIONS} exercises.", "prescriptions")
    try:
        check_exercises(coach_id, [p["exercise_id"] for p in prescriptions])
    except LibraryError as refused:
        raise error(refused.message, refused.field) from None
    return [{**ITEM_DEFAULTS, **p, "position": i} for i, p in enumerate(prescriptions)]


def item_rows(items):
    """The prescriptions of a session or workout as rows to copy."""
    return [item.copied_fields() for item in items]


def write_items(owners, model):
    """Insert the items of several sessions (or workouts) in one statement: `owners` is a list of
    (session or workout, rows); `model` is Prescription or WorkoutItem. The owners' item lists
    are reloaded when next read."""
    key = model.owner_key
    values = [{**row, key: owner.id} for owner, rows in owners for row in rows]
    if values:
        # render_nulls: a None is sent as NULL rather than left out, so rows of different shapes
        # (a plank's time, a squat's load) still go in one statement.
        db.session.execute(insert(model).execution_options(render_nulls=True), values)
    for owner, _ in owners:
        db.session.expire(owner, ["prescriptions"])


def save_prescribed(owner, model, coach_id, title, notes, prescriptions, version=None, error=LibraryError):
    """Save an editor onto a session or a workout (`model`: its items' class): title, notes and
    the whole ordered list of prescriptions. Refuses, as `error`, when it was saved elsewhere
    since the editor was opened (`version`)."""
    if version is not None and version != owner.version:
        kind = "workout" if model is WorkoutItem else "session"
        raise error(STALE_MESSAGE.format(kind=kind), "version")
    rows = prescription_rows(coach_id, prescriptions, error)
    owner.title = title
    owner.notes = notes or ""
    owner.version += 1
    db.session.flush()
    db.session.execute(delete(model).where(getattr(model, model.owner_key) == owner.id))
    write_items([(owner, rows)], model)
    return owner


# --- the workout library ---------------------------------------------------------------------


def add_workout(coach_id, title, notes="", prescriptions=()):
    """A workout in the coach's library. `prescriptions` are dicts of PrescriptionFields."""
    rows = prescription_rows(coach_id, prescriptions)
    workout = Workout(coach_id=coach_id, title=title, notes=notes or "")
    db.session.add(workout)
    db.session.flush()
    write_items([(workout, rows)], WorkoutItem)
    return workout


def save_to_library(session, coach_id):
    """Save a copy of a calendar's session to the coach's workout library."""
    workout = Workout(coach_id=coach_id, title=session.title, notes=session.notes)
    db.session.add(workout)
    db.session.flush()
    write_items([(workout, item_rows(session.prescriptions))], WorkoutItem)
    return workout


def update_workout(workout, coach_id, title, notes, prescriptions, version=None):
    """Edit a library workout; the sessions it was inserted into do not change."""
    return save_prescribed(workout, WorkoutItem, coach_id, title, notes, prescriptions, version)


def find_workout(coach_id, title):
    """The coach's library workout with this title (type-ahead picks by name), items loaded."""
    return db.session.scalars(
        select(Workout)
        .where(Workout.coach_id == coach_id, func.lower(Workout.title) == (title or "").strip().lower())
        .order_by(Workout.id.desc())
        .options(selectinload(Workout.prescriptions))
    ).first()


def workout_titles(coach_id):
    """The titles of the coach's library workouts, for the editor's Insert type-ahead."""
    return db.session.scalars(
        select(Workout.title).where(Workout.coach_id == coach_id).order_by(func.lower(Workout.title))
    ).all()


def workouts_of(coach_id):
    """The coach's workout library, by title, items and exercises loaded."""
    return db.session.scalars(
        select(Workout)
        .where(Workout.coach_id == coach_id)
        .order_by(func.lower(Workout.title))
        .options(selectinload(Workout.prescriptions).joinedload(WorkoutItem.exercise))
    ).all()
