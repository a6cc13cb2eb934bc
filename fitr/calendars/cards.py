"""A calendar grid's sessions, read for display only: each session's title, its prescriptions
with their exercise's name, what the client logged of it and whether they commented on it, in one query, as plain objects
rather than ORM instances. A month of a client's calendar is some 25 sessions and 150 prescriptions; loading
them as mapped objects (two queries, identity map, relationship loaders) was a third of the
calendar's time. The editor and the copy actions, which change sessions, load the mapped ones
(fitr.calendars.rules.sessions_between)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, exists, select

from fitr.calendars.models import Prescription, Session
from fitr.conversations.models import Conversation, Message
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.library.models import Exercise, Prescribed, PrescriptionText


@dataclass(frozen=True, slots=True)
class ExerciseName:
    id: int
    name: str


@dataclass(slots=True)
class PrescriptionCard(PrescriptionText):
    """What a calendar cell shows of a prescription: its dose, RPE, tempo and rest, and its
    place in a superset or circuit."""

    id: int
    exercise: ExerciseName
    sets: int | None
    reps_min: int | None
    reps_max: int | None
    load_value: float | None
    load_unit: str | None
    rpe: float | None
    tempo: str
    rest_seconds: int | None
    duration_seconds: int | None
    distance_m: int | None
    joined: bool
    rounds: int | None


@dataclass(slots=True)
class SessionCard(Prescribed):
    """A session as a calendar cell shows it (its summary and groups come from Prescribed)."""

    id: int
    date: date
    title: str
    logged: str | None = None  # what the client logged: 'done', 'skipped', or None
    commented: bool = False  # the client wrote a comment on it (that they have not deleted)
    prescriptions: list = field(default_factory=list)


_PRESCRIPTION_COLUMNS = (
    Prescription.id, Exercise.id, Exercise.name, Prescription.sets, Prescription.reps_min, Prescription.reps_max,
    Prescription.load_value, Prescription.load_unit, Prescription.rpe, Prescription.tempo, Prescription.rest_seconds,
    Prescription.duration_seconds, Prescription.distance_m, Prescription.joined, Prescription.rounds,
)  # fmt: skip


# Whether the client wrote on the session's thread (one thread per session and client).
_COMMENTED = (
    exists()
    .where(
        Conversation.session_id == Session.id, Conversation.client_id == bindparam("client_id"),
        Message.conversation_id == Conversation.id, Message.author_id == bindparam("client_id"),
        Message.deleted_at.is_(None),
    )
    .correlate(Session)
)  # fmt: skip

# Built once: the statement is the same for every calendar and month.
_CARDS = (
    select(Session.id, Session.date, Session.title, SessionLog.status, _COMMENTED.label("commented"), *_PRESCRIPTION_COLUMNS)
    .select_from(Session)
    .outerjoin(SessionLog, (SessionLog.session_id == Session.id) & (SessionLog.user_id == bindparam("client_id")))
    .outerjoin(Prescription, Prescription.session_id == Session.id)
    .outerjoin(Exercise, Exercise.id == Prescription.exercise_id)
    .where(Session.calendar_id == bindparam("calendar_id"), Session.date.between(bindparam("first"), bindparam("last")))
    .order_by(Session.date, Session.position, Session.id, Prescription.position, Prescription.id)
)


def session_cards(calendar_id, first, last, client_id=None):
    """The sessions of a calendar from `first` to `last` in the order a day lists them, each
    with its prescriptions in order and, on a client's calendar (`client_id`), what the client
    logged of it (one log per client and session). One query, on the session's connection
    (plain rows: no ORM entities to load)."""
    values = {"calendar_id": calendar_id, "first": first, "last": last, "client_id": client_id}
    rows = db.session.connection().execute(_CARDS, values).all()
    sessions, exercises = [], {}
    current = None
    for session_id, day, title, logged, commented, prescription_id, exercise_id, name, *dose in rows:
        if current is None or current.id != session_id:
            current = SessionCard(session_id, day, title, logged, bool(commented))
            sessions.append(current)
        if prescription_id is not None:
            exercise = exercises.get(exercise_id)
            if exercise is None:
                exercise = exercises[exercise_id] = ExerciseName(exercise_id, name)
            current.prescriptions.append(PrescriptionCard(prescription_id, exercise, *dose))
    return sessions
