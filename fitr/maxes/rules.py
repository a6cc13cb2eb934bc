"""Training max rules: setting and removing a client's max, and looking up the maxes a page
needs (a fixed number of queries however many clients, sessions and exercises) to turn
percentage prescriptions into loads with fitr.maxes.loads."""

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.history.records import estimated_1rms
from fitr.library.models import Exercise
from fitr.maxes.loads import (
    PERCENT_UNITS,
    SET_BY_CLIENT,
    SET_BY_COACH,
    Max,
    choose_max,
    resolve_load,
)
from fitr.maxes.models import MAX_KG, MAX_KINDS, TrainingMax
from fitr.units import display_to_kg, format_load


class MaxError(RuleError):
    """A training max rule refused."""


def max_of(row):
    """A stored TrainingMax as the Max loads are worked out from."""
    return Max(row.kind, row.value_kg, row.set_by)


# --- looking maxes up --------------------------------------------------------------------------


@dataclass
class MaxBook:
    """The maxes a page needs, looked up at once: those set (by coach, client and exercise) and
    the estimated 1RMs of programs that use them. `load` is the one way a page turns a
    percentage prescription into one client's load."""

    set_maxes: dict = field(default_factory=dict)  # {(coach id, client id, exercise id): TrainingMax}
    estimated: dict = field(default_factory=dict)  # {(coach id, client id, exercise id): kg}

    def max_for(self, program, client_id, exercise_id):
        key = (program.coach_id, client_id, exercise_id)
        row = self.set_maxes.get(key)
        return choose_max(max_of(row) if row else None, self.estimated.get(key), program.use_estimated_1rm)

    def load(self, program, client_id, prescription, unit):
        """The client's load for a prescription of this program (fitr.maxes.loads.Load), or
        None when it is not written as a percentage."""
        if not prescription.is_percent:
            return None
        max_ = self.max_for(program, client_id, prescription.exercise_id) if client_id else None
        return resolve_load(prescription.load_value, prescription.load_unit, max_, unit, program.plate_kg, program.plate_lb)


def max_book(wanted):
    """The MaxBook for `wanted`: (program, client id, exercise id) triples. One query for the
    maxes set, two more when a program uses estimated 1RMs; none when nothing is wanted."""
    wanted = [(program, client_id, exercise_id) for program, client_id, exercise_id in wanted if client_id]
    if not wanted:
        return MaxBook()
    coaches = {program.coach_id for program, _, _ in wanted}
    clients = {client_id for _, client_id, _ in wanted}
    exercises = {exercise_id for _, _, exercise_id in wanted}
    rows = db.session.scalars(
        select(TrainingMax).where(
            TrainingMax.coach_id.in_(coaches), TrainingMax.client_id.in_(clients), TrainingMax.exercise_id.in_(exercises)
        )
    ).all()
    book = MaxBook({(r.coach_id, r.client_id, r.exercise_id): r for r in rows})
    estimating = [(p, c, e) for p, c, e in wanted if p.use_estimated_1rm]
    if estimating:
        book.estimated = estimated_1rms(
            {c for _, c, _ in estimating}, {e for _, _, e in estimating}, {p.coach_id for p, _, _ in estimating}
        )
    return book


def client_loads(client, planned):
    """{prescription id: Load} for one client's percentage prescriptions in `planned`: (session,
    program) pairs, the sessions' prescriptions loaded. In the client's unit, a fixed number of
    queries however many sessions and programs."""
    wanted = [(program, s, p) for s, program in planned for p in s.prescriptions if p.is_percent]
    book = max_book((program, client.id, p.exercise_id) for program, _, p in wanted)
    return {p.id: book.load(program, client.id, p, client.units) for program, _, p in wanted}


@dataclass(frozen=True)
class Written:
    """A prescription as typed in the editor, before it is saved: enough to work out loads."""

    exercise_id: int
    load_value: float | None
    load_unit: str | None

    @property
    def is_percent(self):
        return self.load_unit in PERCENT_UNITS and self.load_value is not None


def loads_for_clients(program, clients, rows):
    """Per row of a session being written, each client's load: [[(client, Load)] or None]. `rows`
    are prescriptions or anything with exercise_id, load_value, load_unit and is_percent (None
    for a row not written as a percentage); `clients` are User rows, each read in their unit."""
    wanted = [(program, c.id, r.exercise_id) for r in rows if r is not None and r.is_percent for c in clients]
    book = max_book(wanted)
    return [
        [(c, book.load(program, c.id, r, c.units)) for c in clients] if r is not None and r.is_percent else None
        for r in rows
    ]


def maxes_of(coach_id, client_id):
    """The maxes a coach holds for one client, exercises loaded, by exercise name (one query)."""
    return db.session.scalars(
        select(TrainingMax)
        .join(Exercise, TrainingMax.exercise_id == Exercise.id)
        .where(TrainingMax.coach_id == coach_id, TrainingMax.client_id == client_id)
        .options(joinedload(TrainingMax.exercise))
        .order_by(func.lower(Exercise.name), TrainingMax.id)
    ).all()


def max_for_exercise(coach_id, client_id, exercise_id):
    return db.session.scalar(
        select(TrainingMax).where(
            TrainingMax.coach_id == coach_id, TrainingMax.client_id == client_id, TrainingMax.exercise_id == exercise_id
        )
    )


# --- setting and removing ----------------------------------------------------------------------


def check_value(value, unit):
    """A max typed in `unit` (kg or lb), in kg: more than 0 and at most 1000 kg."""
    if value is None:
        raise MaxError("Enter the max.", "value")
    kg = display_to_kg(value, unit)
    if not 0 < kg <= MAX_KG:
        raise MaxError(f"Enter a max above 0 and at most {format_load(MAX_KG, unit)}.", "value")
    return kg


def set_max(coach_id, client_id, exercise, kind, value, unit, set_by=SET_BY_COACH):
    """Set (or replace) a client's max for one exercise, as this coach knows it: `kind` 1RM or
    training max, `value` typed in `unit`. A client sets only their own 1RM, never over one
    their coach set. Returns the TrainingMax."""
    if kind not in MAX_KINDS:
        raise MaxError("Choose 1RM or Training max.", "kind")
    if exercise is None or exercise.measure != "load_reps":
        raise MaxError("Choose an exercise from your library measured by load and reps.", "exercise")
    kg = check_value(value, unit)
    row = max_for_exercise(coach_id, client_id, exercise.id)
    if row is not None and set_by == SET_BY_CLIENT and row.set_by == SET_BY_COACH:
        raise MaxError(f"Your coach has set your max for {exercise.name}: ask them to change it.", "value")
    try:
        with db.session.begin_nested():
            if row is None:
                row = TrainingMax(coach_id=coach_id, client_id=client_id, exercise_id=exercise.id)
                db.session.add(row)
            row.kind, row.value_kg, row.set_by, row.set_at = kind, kg, set_by, utcnow()
            db.session.flush()
    except IntegrityError:
        # Set at the same moment in another tab: this one replaces it.
        row = max_for_exercise(coach_id, client_id, exercise.id)
        if row is None:
            raise MaxError("This max could not be saved. Try again.") from None
        row.kind, row.value_kg, row.set_by, row.set_at = kind, kg, set_by, utcnow()
        db.session.flush()
    return row


def remove_max(coach_id, client_id, max_id):
    """Remove one of the coach's maxes of this client; False when there is no such max."""
    removed = db.session.execute(
        delete(TrainingMax)
        .where(TrainingMax.id == max_id, TrainingMax.coach_id == coach_id, TrainingMax.client_id == client_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    return removed == 1

