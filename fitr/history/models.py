"""What a client logged, kept apart from what was planned (wger's lesson).

Logs belong to the client (`user_id`). Their links to the planned session, the subscription and
the exercise are ON DELETE SET NULL, with names copied at logging time, so deleting a planned
session, ending or moving a subscription, or deleting a whole program never removes history.
"""

import datetime as dt
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.clock import utcnow
from fitr.extensions import db

DONE, SKIPPED = "done", "skipped"
LOG_STATUSES = {DONE: "Done", SKIPPED: "Skipped"}

# Ranges a real result falls in; anything outside is a typo, refused with a message.
MAX_LOAD_KG = 1000
MAX_REPS = 1000
MAX_SECONDS = 24 * 3600
MAX_DISTANCE_M = 1_000_000


def sane_results():
    """The database's own check of a result's ranges (a logged set, a hand-entered record)."""
    return (
        CheckConstraint(f"reps IS NULL OR (reps BETWEEN 0 AND {MAX_REPS})", name="sane_reps"),
        CheckConstraint(f"load_kg IS NULL OR (load_kg BETWEEN 0 AND {MAX_LOAD_KG})", name="sane_load"),
        CheckConstraint(
            f"duration_seconds IS NULL OR (duration_seconds BETWEEN 1 AND {MAX_SECONDS})", name="sane_duration"
        ),
        CheckConstraint(
            f"distance_m IS NULL OR (distance_m BETWEEN 1 AND {MAX_DISTANCE_M})", name="sane_distance"
        ),
    )


class SessionLog(db.Model):
    """One session as the client did it (or skipped it), on one date."""

    __tablename__ = "session_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_session.id", ondelete="SET NULL"), index=True
    )
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id", ondelete="SET NULL"), index=True
    )
    program_name: Mapped[str] = mapped_column(String(120), default="")  # as it was when logged
    session_title: Mapped[str] = mapped_column(String(120), default="")
    date: Mapped[dt.date] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default=DONE)
    rpe: Mapped[float | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # A random key rendered into the log form: the same form sent twice is recognised.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sets: Mapped[list["SetLog"]] = relationship(
        back_populates="log",
        order_by="[SetLog.position, SetLog.set_number]",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )

    __table_args__ = (
        CheckConstraint("status IN ('done', 'skipped')", name="known_status"),
        CheckConstraint("rpe IS NULL OR (rpe BETWEEN 1 AND 10)", name="sane_rpe"),
        # One log per client per planned session (NULLs, once the session is gone, do not clash).
        UniqueConstraint("user_id", "session_id", name="uq_session_log_user_session"),
        Index("ix_session_log_user_date", "user_id", "date", "id"),
    )

    @property
    def status_label(self):
        return LOG_STATUSES[self.status]


class SetLog(db.Model):
    """One performed set: reps, load (stored in kg), time or distance, as the exercise is measured."""

    __tablename__ = "set_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_log_id: Mapped[int] = mapped_column(ForeignKey("session_log.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    exercise_id: Mapped[int | None] = mapped_column(ForeignKey("exercise.id", ondelete="SET NULL"))
    exercise_name: Mapped[str] = mapped_column(String(80))  # as it was when logged
    measure: Mapped[str] = mapped_column(String(10))  # the exercise's measure when logged
    position: Mapped[int] = mapped_column(default=0)  # the exercise's place in the session
    set_number: Mapped[int] = mapped_column(default=1)
    # Logged against the coach's prescription (not an exercise the client added): a coach who
    # removes the exercise later leaves it reading "No longer in the session", not "Added by you".
    prescribed: Mapped[bool] = mapped_column(default=False, server_default=false())
    reps: Mapped[int | None] = mapped_column(default=None)
    load_kg: Mapped[float | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    distance_m: Mapped[int | None] = mapped_column(default=None)
    date: Mapped[dt.date] = mapped_column()  # = the log's date, kept here for fast record queries

    log: Mapped[SessionLog] = relationship(back_populates="sets", lazy="raise")

    __table_args__ = (*sane_results(), Index("ix_set_log_user_exercise", "user_id", "exercise_id"))


class ManualRecord(db.Model):
    """A result the client entered by hand, e.g. from before they joined; counts for records."""

    __tablename__ = "manual_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int | None] = mapped_column(ForeignKey("exercise.id", ondelete="SET NULL"), index=True)
    exercise_name: Mapped[str] = mapped_column(String(80))
    reps: Mapped[int | None] = mapped_column(default=None)
    load_kg: Mapped[float | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    distance_m: Mapped[int | None] = mapped_column(default=None)
    date: Mapped[dt.date] = mapped_column()  # never in the future
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = sane_results()
