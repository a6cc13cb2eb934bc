"""Finding exercises by what a coach types: the Exercises page's search and the session
editor's type-ahead, over names and aliases, without regard to case, in SQL."""

from dataclasses import dataclass, field

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import selectinload

from fitr.extensions import db
from fitr.library.exercises import offered_exercises
from fitr.library.models import Exercise, ExerciseAlias, HiddenExercise

PAGE_SIZE = 50  # exercises listed per section; a search narrows the rest
MATCHES = 8  # suggestions under the editor's Exercise field
MAX_QUERY = 80


def _pattern(q):
    """A LIKE pattern for `q` anywhere, its own % and _ taken literally."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_query(q):
    return " ".join((q or "").split())[:MAX_QUERY]


def matching(q):
    """Criteria: the exercise's name or one of its aliases contains `q` (any case)."""
    if not q:
        return True
    pattern = _pattern(q)
    alias = exists().where(ExerciseAlias.exercise_id == Exercise.id, func.lower(ExerciseAlias.name).like(pattern, escape="\\"))
    return func.lower(Exercise.name).like(pattern, escape="\\") | alias


def best_first(q):
    """Order: an exact name or alias, then names that start with `q`, then by name."""
    if not q:
        return (func.lower(Exercise.name),)
    exact_alias = exists().where(ExerciseAlias.exercise_id == Exercise.id, func.lower(ExerciseAlias.name) == q.lower())
    rank = case(
        (func.lower(Exercise.name) == q.lower(), 0),
        (exact_alias, 1),
        (func.lower(Exercise.name).like(_pattern(q)[1:], escape="\\"), 2),
        else_=3,
    )
    return (rank, func.lower(Exercise.name))


@dataclass
class Section:
    exercises: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.exercises)


@dataclass
class Library:
    """What the Exercises page lists for a search: the coach's own, the starter library, and
    how many starter exercises the coach hid."""

    q: str
    own: Section
    starter: Section
    hidden_count: int
    showing_hidden: bool


def _section(criteria, order):
    total = db.session.scalar(select(func.count(Exercise.id)).where(*criteria))
    exercises = db.session.scalars(
        select(Exercise).where(*criteria).order_by(*order).limit(PAGE_SIZE).options(selectinload(Exercise.aliases))
    ).all()
    return Section(exercises, total)


def search_library(coach_id, q="", hidden=False):
    """The Exercises page for `q`: at most PAGE_SIZE of each section with their totals (seven
    queries, whatever the library holds). `hidden`: the starter section lists the hidden ones."""
    q = clean_query(q)
    hidden_ids = select(HiddenExercise.exercise_id).where(HiddenExercise.coach_id == coach_id)
    own = _section(
        (Exercise.coach_id == coach_id, matching(q)), (Exercise.archived, *best_first(q))
    )
    starter_hidden = Exercise.id.in_(hidden_ids) if hidden else Exercise.id.not_in(hidden_ids)
    starter = _section((Exercise.coach_id.is_(None), starter_hidden, matching(q)), best_first(q))
    hidden_count = db.session.scalar(select(func.count()).select_from(hidden_ids.subquery()))
    return Library(q, own, starter, hidden_count, hidden)


@dataclass
class Match:
    exercise: Exercise
    alias: str | None  # the other name it was found by, when not its own name


def exercise_matches(coach_id, q):
    """The editor's type-ahead: up to MATCHES exercises the coach is offered whose name or alias
    contains `q`, best first, each with the alias it matched by (two queries)."""
    q = clean_query(q)
    if not q:
        return []
    found = db.session.scalars(
        select(Exercise)
        .where(offered_exercises(coach_id), matching(q))
        .order_by(*best_first(q), Exercise.coach_id.is_(None))
        .limit(MATCHES * 2)
    ).all()
    seen, exercises = set(), []
    for exercise in found:  # the coach's own shadows a starter exercise of the same name
        if exercise.name.lower() not in seen:
            seen.add(exercise.name.lower())
            exercises.append(exercise)
    exercises = exercises[:MATCHES]
    aliases = {}
    if exercises:
        for exercise_id, name in db.session.execute(
            select(ExerciseAlias.exercise_id, ExerciseAlias.name)
            .where(ExerciseAlias.exercise_id.in_([e.id for e in exercises]), func.lower(ExerciseAlias.name).like(_pattern(q), escape="\\"))
            .order_by(func.length(ExerciseAlias.name))
        ):
            aliases.setdefault(exercise_id, name)
    return [Match(e, None if q.lower() in e.name.lower() else aliases.get(e.id)) for e in exercises]
