"""Exercise rules: which exercises a coach can use, finding them by name, and the coach's own."""

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import delete, func, or_, select

from fitr.errors import RuleError
from fitr.extensions import db
from fitr.library.models import CATEGORIES, MEASURES, Exercise, ExerciseAlias, HiddenExercise

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
        .where(offered_exercises(coach_id), *([Exercise.measure == measure] if measure else []))
        .order_by(func.lower(Exercise.name), Exercise.coach_id.is_(None))
    ).all()
    seen = set()
    return [name for name in names if not (name.lower() in seen or seen.add(name.lower()))]


def resolve_exercises(coach_id, names, keep_ids=()):
    """{lower-cased name: Exercise} for the names a coach typed (see resolve_names); names that
    are unknown or ambiguous are left out."""
    return resolve_names(coach_id, names, keep_ids)[0]


def resolve_names(coach_id, names, keep_ids=()):
    """({lower-cased name: Exercise}, {lower-cased name: [Exercise, ...]}) for the names a coach
    typed: an exercise's own name first (the coach's own exercise wins over a starter one of the
    same name), else an alias of one exercise; an alias of several is ambiguous (the second
    dict). Archived exercises resolve only when in `keep_ids` (already on the session being
    edited); hidden starter exercises resolve by their full name only."""
    wanted = {name.strip().lower() for name in names if name and name.strip()}
    if not wanted:
        return {}, {}
    found = {}
    for exercise in db.session.scalars(
        select(Exercise).where(visible_exercises(coach_id), func.lower(Exercise.name).in_(wanted))
    ):
        if exercise.archived and exercise.id not in keep_ids:
            continue
        key = exercise.name.lower()
        if key not in found or exercise.coach_id is not None:
            found[key] = exercise
    by_alias = {}
    if wanted - found.keys():
        rows = db.session.execute(
            select(func.lower(ExerciseAlias.name), Exercise)
            .join(Exercise, Exercise.id == ExerciseAlias.exercise_id)
            .where(
                offered_exercises(coach_id),
                func.lower(ExerciseAlias.name).in_(wanted - found.keys()),
            )
            .order_by(func.lower(Exercise.name))
        )
        for alias, exercise in rows:
            by_alias.setdefault(alias, {})[exercise.id] = exercise
    ambiguous = {}
    for alias, exercises in by_alias.items():
        if len(exercises) == 1:
            found[alias] = next(iter(exercises.values()))
        else:
            ambiguous[alias] = list(exercises.values())
    return found, ambiguous


def offered_exercises(coach_id):
    """Criteria for the exercises offered to a coach: theirs not archived, and the starter
    library less the ones they hid."""
    hidden = select(HiddenExercise.exercise_id).where(HiddenExercise.coach_id == coach_id)
    return or_(
        Exercise.coach_id == coach_id,
        (Exercise.coach_id.is_(None)) & Exercise.id.not_in(hidden),
    ) & Exercise.archived.is_(False)


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
    # The database's lower() on both sides, as the unique index has it: SQLite's folds A-Z only,
    # so against Python's str.lower() "ÉLAN ROW" missed "Élan Row", and the index refused it (a 500).
    clash = db.session.scalar(
        select(Exercise.id).where(
            Exercise.coach_id == coach_id, func.lower(Exercise.name) == func.lower(name), Exercise.id != exercise_id
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


# --- instructions, demo video and aliases ---------------------------------------------------

MAX_INSTRUCTIONS = 5000
MAX_ALIASES = 10
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_instructions(text):
    """Plain text, shown as typed (escaped, never as HTML)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if CONTROL.search(text):
        raise LibraryError("Remove the control characters from the instructions.", "instructions")
    if len(text) > MAX_INSTRUCTIONS:
        raise LibraryError(f"Use at most {MAX_INSTRUCTIONS} characters.", "instructions")
    return text


def clean_video_url(url):
    """A link to a demo video (YouTube, Vimeo or any web page): http or https only, so a
    javascript: or data: link never reaches a client's phone."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 500:
        raise LibraryError("Use at most 500 characters.", "video_url")
    parts = urlsplit(url)
    if CONTROL.search(url) or any(c.isspace() for c in url) or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise LibraryError("Enter a web address starting with https:// (a YouTube, Vimeo or any video page).", "video_url")
    return url


def clean_aliases(text, name):
    """Other names, one per comma: trimmed, each once, not the exercise's own name."""
    aliases, seen = [], {name.lower()}
    for alias in (text or "").split(","):
        alias = " ".join(alias.split())
        if not alias or alias.lower() in seen:
            continue
        if len(alias) > 80:
            raise LibraryError("Use at most 80 characters for each other name.", "aliases")
        seen.add(alias.lower())
        aliases.append(alias)
    if len(aliases) > MAX_ALIASES:
        raise LibraryError(f"Give at most {MAX_ALIASES} other names.", "aliases")
    return aliases


def describe_exercise(exercise, instructions, video_url, aliases):
    """Set a coach's own exercise's instructions, demo video link and other names (comma
    separated); sessions that use it show the new ones."""
    exercise.instructions = clean_instructions(instructions)
    exercise.video_url = clean_video_url(video_url)
    names = clean_aliases(aliases, exercise.name)
    db.session.execute(delete(ExerciseAlias).where(ExerciseAlias.exercise_id == exercise.id))
    db.session.add_all(ExerciseAlias(exercise_id=exercise.id, name=alias) for alias in names)
    db.session.flush()
    db.session.expire(exercise, ["aliases"])
    return exercise


# --- hiding starter exercises ----------------------------------------------------------------


def hide_exercise(coach_id, exercise, hidden=True):
    """Hide (or show again) a starter exercise for one coach: it leaves their list and the
    editor's type-ahead; sessions that use it keep it."""
    if exercise.coach_id is not None:
        raise LibraryError("Only starter exercises can be hidden; archive your own instead.", "exercise")
    db.session.execute(
        delete(HiddenExercise).where(HiddenExercise.coach_id == coach_id, HiddenExercise.exercise_id == exercise.id)
    )
    if hidden:
        db.session.add(HiddenExercise(coach_id=coach_id, exercise_id=exercise.id))
    db.session.flush()
    return exercise


# --- the shipped starter library -------------------------------------------------------------


def load_starter_exercises(path=STARTER_EXERCISES):
    """Add the shipped starter library's exercises that are not in the database yet, and the
    aliases and instructions shipped since; returns how many exercises were added. Safe to run
    again."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    have = {e.name: e for e in db.session.scalars(select(Exercise).where(Exercise.coach_id.is_(None)))}
    aliases = set(
        db.session.execute(
            select(ExerciseAlias.exercise_id, func.lower(ExerciseAlias.name))
            .join(Exercise, Exercise.id == ExerciseAlias.exercise_id)
            .where(Exercise.coach_id.is_(None))
        ).all()
    )
    added = 0
    for row in rows:
        exercise = have.get(row["name"])
        if exercise is None:
            exercise = Exercise(coach_id=None, name=row["name"], category=row["category"], measure=row["measure"])
            db.session.add(exercise)
            have[row["name"]] = exercise
            added += 1
        if row.get("instructions") and not exercise.instructions:
            exercise.instructions = row["instructions"]
        names = [a for a in (row.get("aliases") or "").split("|") if a]
        if names:
            db.session.flush()
        for alias in names:
            if (exercise.id, alias.lower()) not in aliases:
                db.session.add(ExerciseAlias(exercise_id=exercise.id, name=alias))
                aliases.add((exercise.id, alias.lower()))
    db.session.flush()
    return added
