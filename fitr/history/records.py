"""Personal Records: derived from what a client logged plus the records they entered by hand.
Per exercise the best load for exactly 1 to 10 reps, the estimated 1RM, the most reps, and the
longest time and distance; and the progress chart's series."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, or_, select

from fitr.clock import today_for
from fitr.extensions import db
from fitr.history.logs import FIRST_DAY, HistoryError, clean_set
from fitr.history.models import DONE, ManualRecord, SessionLog, SetLog
from fitr.library.models import Exercise
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription
from fitr.units import format_distance, format_duration, format_load

RECORD_REPS = range(1, 11)  # records and the estimated 1RM count sets of 1 to 10 reps


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


def estimated_1rms(user_ids, exercise_ids, coach_ids):
    """{(coach id, user id, exercise id): best estimated 1RM in kg}, from what each coach sees of
    the client's records (as on the coach's overview): done sets logged through that coach's
    programs, and records entered by hand of starter exercises or the coach's own. Two queries
    however many clients, exercises and sets: the heaviest load per rep count, then Epley."""
    users, exercises, coaches = set(user_ids), set(exercise_ids), set(coach_ids)
    if not (users and exercises and coaches):
        return {}
    best = {}

    def offer(key, load_kg, reps):
        value = estimated_1rm(load_kg, reps)
        if value is not None and value > best.get(key, 0):
            best[key] = value

    sets = db.session.execute(
        select(Program.coach_id, SetLog.user_id, SetLog.exercise_id, SetLog.reps, func.max(SetLog.load_kg))
        .join(SessionLog, SetLog.session_log_id == SessionLog.id)
        .join(Subscription, SessionLog.subscription_id == Subscription.id)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            SetLog.user_id.in_(users), SetLog.exercise_id.in_(exercises), Program.coach_id.in_(coaches),
            SessionLog.status == DONE, SetLog.reps.between(RECORD_REPS.start, RECORD_REPS.stop - 1), SetLog.load_kg > 0,
        )  # fmt: skip
        .group_by(Program.coach_id, SetLog.user_id, SetLog.exercise_id, SetLog.reps)
    )
    for coach_id, user_id, exercise_id, reps, load_kg in sets:
        offer((coach_id, user_id, exercise_id), load_kg, reps)
    manual = db.session.execute(
        select(ManualRecord.user_id, ManualRecord.exercise_id, Exercise.coach_id, ManualRecord.reps, func.max(ManualRecord.load_kg))
        .join(Exercise, ManualRecord.exercise_id == Exercise.id)
        .where(
            ManualRecord.user_id.in_(users), ManualRecord.exercise_id.in_(exercises),
            ManualRecord.reps.between(RECORD_REPS.start, RECORD_REPS.stop - 1), ManualRecord.load_kg > 0,
        )  # fmt: skip
        .group_by(ManualRecord.user_id, ManualRecord.exercise_id, Exercise.coach_id, ManualRecord.reps)
    )
    for user_id, exercise_id, owner_id, reps, load_kg in manual:
        for coach_id in coaches if owner_id is None else coaches & {owner_id}:
            offer((coach_id, user_id, exercise_id), load_kg, reps)
    return best


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


def short(record, unit):
    """A record as the set that made it: '5 × 112.5 kg', 'e1RM 128.3 kg', '20 reps', '1:30', '400 m'."""
    if record.kind == "load":
        return f"{record.reps} × {format_load(record.value, unit)}"
    if record.kind == "e1rm":
        return f"e1RM {format_load(record.value, unit)}"
    if record.kind == "reps":
        return f"{int(record.value)} rep{'s' if int(record.value) != 1 else ''}"
    if record.kind == "time":
        return format_duration(int(record.value))
    return format_distance(int(record.value))


SHOWN_FIRST = {"load": 0, "reps": 1, "time": 2, "distance": 3, "e1rm": 4}  # the set, before the estimate


def records_by_exercise(records, unit):
    """[(exercise name, '5 × 112.5 kg')]: one line per exercise of new records ([(ExerciseRecords,
    Record)] from `new_records_in`). Of an exercise's records the set that made them is named
    (its heaviest by estimated 1RM), not each rep count and the estimate."""
    best = {}
    for exercise, record in records:
        rank = (SHOWN_FIRST.get(record.kind, 5), -record.value * (1 + (record.reps or 0) / 30))
        if exercise.name not in best or rank < best[exercise.name][0]:
            best[exercise.name] = (rank, record)
    return [(name, short(record, unit)) for name, (_, record) in best.items()]


def records_line(records, unit):
    """The short news of new records: "New record: Back Squat 5 × 112.5 kg", or "New records:
    Back Squat 5 × 112.5 kg, Bench Press 3 × 80 kg"."""
    lines = records_by_exercise(records, unit)
    if not lines:
        return ""
    return f"New record{'s' if len(lines) > 1 else ''}: " + ", ".join(f"{name} {text}" for name, text in lines)


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
        raise HistoryError("Enter the date of this record.", "date")
    if day > today:
        raise HistoryError("A record cannot be dated in the future.", "date")
    if day < FIRST_DAY:
        raise HistoryError("Choose a date after 1900.", "date")
    note = (data.get("note") or "").strip()
    if len(note) > 200:
        raise HistoryError("Use at most 200 characters.", "note")
    row = clean_set({**data, "exercise_id": exercise.id, "field": "record"}, data.get("unit") or user.units,
                    {exercise.id: exercise})  # fmt: skip
    if row is None:
        raise HistoryError("Enter the result.", _main_field(exercise.measure))
    if exercise.measure == "load_reps" and (row["load_kg"] is None or row["reps"] not in RECORD_REPS):
        field_name = "load" if row["load_kg"] is None else "reps"
        raise HistoryError("Enter the load and 1 to 10 reps: records count sets of 1 to 10 reps.", field_name)
    if exercise.measure == "reps" and not row["reps"]:
        raise HistoryError("Enter the number of reps.", "reps")
    if exercise.measure == "time" and row["duration_seconds"] is None:
        raise HistoryError("Enter the time.", "time")
    if exercise.measure == "distance" and row["distance_m"] is None:
        raise HistoryError("Enter the distance.", "distance")
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
