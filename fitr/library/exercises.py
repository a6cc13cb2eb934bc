"""Exercise rules: which exercises a coach can use, finding them by name, and the coach's own."""

import csv
from pathlib import Path

from sqlalchemy import func, or_, select

from fitr.errors import RuleError
from fitr.extensions import db
from fitr.library.models import CATEGORIES, MEASURES, Exercise

STARTER_EXERCISES = Path(__file__).resolve().parent / "data" / "exercises.csv"


class LibraryError(RuleError):
    """A library rule refused."""


def visible_exercises(coach_id):
    """Criteria for the exercises a coach can use: the starter library and their own."""
    return or_(Exercise.coach_id.is_(None), Exercise.coach_id == coach_id)


def library(coach_id):
    """Every exercise the coach can see: their own first, then the starter library, by name."""
    return db.session.scalars(
        select(Exercise)
        .where(visible_exercises(coach_id))
        .order_by(Exercise.coach_id.is_(None), Exercise.archived, func.lower(Exercise.name))
    ).all()


def exercise_names(coach_id, measure=None):
    """Names of the exercises a coach can choose from, for the editor's type-ahead: each name
    once, in the coach's own spelling when their exercise shares a starter one's name (theirs
    is the one a session gets). `measure`: only exercises measured so ('load_reps')."""
    names = db.session.scalars(
        select(Exercise.name)
        .where(visible_exercises(coach_id), Exercise.archived.is_(False), *([Exercise.measure == measure] if measure else []))
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


def check_exercises(coach_id, exercise_ids):
    """Refuse exercises the coach cannot use (another coach's, or unknown)."""
    ids = set(exercise_ids)
    if not ids:
        return
    known = set(db.session.scalars(select(Exercise.id).where(Exercise.id.in_(ids), visible_exercises(coach_id))))
    if ids - known:
        raise LibraryError("Choose exercises from your library.", "prescriptions")


def _clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise LibraryError("Enter a name.", "name")
    if len(name) > 80:
        raise LibraryError("Use at most 80 characters.", "name")
    return name


def _check_name_free(coach_id, name, exercise_id=None):
    clash = db.session.scalar(
        select(Exercise.id).where(
            Exercise.coach_id == coach_id, func.lower(Exercise.name) == name.lower(), Exercise.id != exercise_id
        )
    )
    if clash is not None:
        raise LibraryError("You already have an exercise with this name.", "name")


def create_exercise(coach_id, name, category, measure):
    """A coach's own exercise."""
    name = _clean_name(name)
    if category not in CATEGORIES:
        raise LibraryError("Choose a category.", "category")
    if measure not in MEASURES:
        raise LibraryError("Choose how it is measured.", "measure")
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
