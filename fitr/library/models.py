"""Exercises, prescriptions of them, and library workouts."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, func, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.library.groups import grouped, labels, letter
from fitr.units import display_to_kg, format_duration, format_load

LOAD_UNITS = {"kg": "kg", "lb": "lb", "%1rm": "% 1RM", "%tm": "% TM"}
PERCENT_LABELS = {"%1rm": "1RM", "%tm": "TM"}  # a load written as a percentage of a max
MEASURES = {
    "load_reps": "Load and reps",
    "reps": "Reps only",
    "time": "Time",
    "distance": "Distance",
}
CATEGORIES = {
    "strength": "Strength",
    "olympic": "Olympic lifting",
    "plyometric": "Plyometric",
    "core": "Core",
    "conditioning": "Conditioning",
    "mobility": "Mobility",
}


class Exercise(db.Model):
    """An exercise: from the shipped starter library (no coach) or a coach's own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(10))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    instructions: Mapped[str] = mapped_column(Text, default="", server_default="")  # plain text
    video_url: Mapped[str] = mapped_column(String(500), default="", server_default="")  # http(s) link

    aliases: Mapped[list["ExerciseAlias"]] = relationship(
        order_by="ExerciseAlias.name", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    # Names are matched without regard to case, so they are unique that way: per coach, and in
    # the starter library.
    __table_args__ = (
        CheckConstraint("measure IN ('load_reps', 'reps', 'time', 'distance')", name="known_measure"),
        Index("uq_exercise_coach_name", "coach_id", func.lower(text("name")), unique=True),
        Index(
            "uq_exercise_starter_name",
            func.lower(text("name")),
            unique=True,
            sqlite_where=text("coach_id IS NULL"),
            postgresql_where=text("coach_id IS NULL"),
        ),
    )

    @property
    def measure_label(self):
        return MEASURES[self.measure]

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)


class ExerciseAlias(db.Model):
    """Another name an exercise is found by ("RDL" for Romanian Deadlift)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))

    __table_args__ = (Index("uq_exercise_alias_name", "exercise_id", func.lower(text("name")), unique=True),)


class HiddenExercise(db.Model):
    """A starter exercise a coach does not use: left out of their list and type-ahead."""

    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id", ondelete="CASCADE"), primary_key=True, index=True)


class PrescriptionText:
    """How a prescription reads ('5×5 @ 100 kg'): for the mapped rows below and for the plain
    rows a calendar grid reads for display (fitr.calendars.cards)."""

    @property
    def reps_text(self):
        if self.reps_min is None:
            return ""
        if self.reps_max is not None and self.reps_max != self.reps_min:
            return f"{self.reps_min}-{self.reps_max}"
        return str(self.reps_min)

    @property
    def is_percent(self):
        """A load written as a percentage of the client's 1RM or training max."""
        return self.load_unit in PERCENT_LABELS and self.load_value is not None

    @property
    def load_text(self):
        if self.load_value is None:
            return ""
        value = f"{self.load_value:g}"
        if self.load_unit in PERCENT_LABELS:
            return f"{value}% {PERCENT_LABELS[self.load_unit]}"
        return f"{value} {self.load_unit or ''}".strip()

    def load_text_in(self, unit=None, load=None):
        """The load as the coach wrote it or, for a viewer who uses the other of kg and lb, in
        the viewer's unit ('225 lb' for 102 kg); a percentage with the client's own load when
        `load` (fitr.maxes.loads.Load) knows it ('75% 1RM (82.5 kg)')."""
        if unit in ("kg", "lb") and self.load_unit in ("kg", "lb") and self.load_unit != unit and self.load_value is not None:
            return format_load(display_to_kg(self.load_value, self.load_unit), unit)
        if load is not None and load.known:
            return f"{self.load_text} ({load.text})"
        return self.load_text

    def card_dose(self, unit=None, load=None):
        """The dose as a calendar card shows it: with its RPE ('3×8 @ RPE 8', '5×5 @ 100 kg,
        RPE 8'), which a coach who writes no load prescribes by."""
        text_ = self.dose_text_in(unit, load)
        if self.rpe is None:
            return text_
        rpe = f"RPE {self.rpe:g}"
        if not text_:
            return rpe
        return f"{text_}, {rpe}" if "@" in text_ else f"{text_} @ {rpe}"

    @property
    def dose_text(self):
        """'5×5 @ 100 kg', '3×8-12', '4×30s': the short form a calendar cell shows."""
        return self.dose_text_in()

    def dose_text_in(self, unit=None, load=None):
        """The dose with its load in the viewer's unit (see load_text_in)."""
        amount = self.reps_text
        if not amount and self.duration_seconds:
            amount = format_duration(self.duration_seconds)
        if not amount and self.distance_m:
            amount = f"{self.distance_m} m"
        text_ = f"{self.sets}×{amount}" if self.sets and amount else (amount or (f"{self.sets} sets" if self.sets else ""))
        load_text = self.load_text_in(unit, load)
        if load_text:
            text_ = f"{text_} @ {load_text}" if text_ else load_text
        return text_


class PrescriptionFields(PrescriptionText):
    """What a coach prescribes for one exercise; shared by a session's prescriptions and a
    library workout's items so that copying between them is a field-by-field copy."""

    COPIED = (
        "position", "exercise_id", "sets", "reps_min", "reps_max", "load_value", "load_unit",
        "rpe", "tempo", "rest_seconds", "duration_seconds", "distance_m", "notes", "joined", "rounds",
    )  # fmt: skip

    position: Mapped[int] = mapped_column(default=0)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    sets: Mapped[int | None] = mapped_column(default=None)
    reps_min: Mapped[int | None] = mapped_column(default=None)
    reps_max: Mapped[int | None] = mapped_column(default=None)  # = reps_min unless a range
    load_value: Mapped[float | None] = mapped_column(default=None)
    load_unit: Mapped[str | None] = mapped_column(String(4), default=None)  # kg, lb, %1rm, %tm
    rpe: Mapped[float | None] = mapped_column(default=None)
    tempo: Mapped[str] = mapped_column(String(12), default="")
    rest_seconds: Mapped[int | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    distance_m: Mapped[int | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(String(500), default="")
    # Supersets and circuits: a row joined to the row above is in its group (A1, A2, ...); a
    # group's rounds are kept on its first row.
    joined: Mapped[bool] = mapped_column(default=False, server_default=false())
    rounds: Mapped[int | None] = mapped_column(default=None)

    @declared_attr
    def exercise(cls) -> Mapped[Exercise]:
        return relationship(Exercise, lazy="raise")

    @declared_attr.directive
    def __table_args__(cls):
        return (
            CheckConstraint("sets IS NULL OR (sets BETWEEN 1 AND 50)", name="sane_sets"),
            CheckConstraint(
                "reps_min IS NULL OR (reps_min BETWEEN 0 AND 500 AND reps_max BETWEEN reps_min AND 500)",
                name="sane_reps",
            ),
            CheckConstraint("load_value IS NULL OR (load_value BETWEEN 0 AND 1000)", name="sane_load"),
            CheckConstraint("load_unit IS NULL OR load_unit IN ('kg', 'lb', '%1rm', '%tm')", name="known_load_unit"),
            CheckConstraint("rpe IS NULL OR (rpe BETWEEN 1 AND 10)", name="sane_rpe"),
            CheckConstraint("rounds IS NULL OR (rounds BETWEEN 1 AND 50)", name="sane_rounds"),
        )

    def copied_fields(self):
        return {name: getattr(self, name) for name in self.COPIED}


def _unbroken(dose):
    """A dose that a narrow card may wrap only after its "@" or ",": never between a number and
    its unit ("102.5 kg", "RPE 8")."""
    words = dose.split(" ")
    out = words[:1]
    for word in words[1:]:
        out.append((" " if out[-1].endswith(("@", ",")) else "\u00a0") + word)
    return "".join(out)


class Prescribed:
    """Something with a title and an ordered list of prescriptions: a calendar's session or a
    library workout. Both keep a version, bumped on each save, so a stale editor is told."""

    @property
    def groups(self):
        """The prescriptions in their supersets and circuits (fitr.library.groups.Group)."""
        return grouped(self.prescriptions)

    @property
    def summary(self):
        """A short line of the first exercises, for the calendar cell."""
        return self.summary_in()

    def summary_in(self, unit=None, loads=None):
        """The summary with loads in the viewer's unit (a client who trains in lb), and a
        client's own loads for percentages (`loads`: {prescription id: Load}); rows of a
        superset or circuit carry their labels (A1, A2)."""
        loads = loads or {}
        marks = labels(self.prescriptions)
        parts = [
            f"{marks.get(id(p), '')} {p.exercise.name} {p.dose_text_in(unit, loads.get(p.id))}".strip()
            for p in self.prescriptions[:3]
        ]
        more = len(self.prescriptions) - 3
        if more > 0:
            parts.append(f"+{more} more")
        return " · ".join(parts)

    def card_lines(self, unit=None, loads=None, shown=3):
        """What a calendar card lists: ([(label, exercise name, dose)], how many more), one line
        per exercise up to `shown`, each with its label (A, B1, B2, C) and its dose with its RPE
        ('5×5 @ 80% 1RM', '3×8 @ RPE 8'). unit/loads as summary_in."""
        rows = self.prescriptions
        marks = labels(rows)
        loads = loads or {}
        lines = [
            (marks.get(id(p)) or letter(i), p.exercise.name, _unbroken(p.card_dose(unit, loads.get(p.id))))
            for i, p in enumerate(rows[:shown])
        ]
        return lines, max(len(rows) - shown, 0)


class Workout(Prescribed, db.Model):
    """A session a coach saved to their workout library; inserting it copies it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prescriptions: Mapped[list["WorkoutItem"]] = relationship(
        order_by="WorkoutItem.position", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )


class WorkoutItem(PrescriptionFields, db.Model):
    """One exercise of a library workout."""

    owner_key = "workout_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    workout_id: Mapped[int] = mapped_column(ForeignKey("workout.id", ondelete="CASCADE"), index=True)
