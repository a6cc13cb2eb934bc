"""A client's training max for one exercise, as one coach knows it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.library.models import Exercise
from fitr.maxes.loads import ONE_RM, TM_SHARE, TRAINING_MAX

MAX_KINDS = {ONE_RM: "1RM", TRAINING_MAX: "Training max"}
MAX_KG = 1000  # as for a logged set: anything heavier is a typo


class TrainingMax(db.Model):
    """One client's max for one exercise, kept per coach: a client's two coaches never see each
    other's numbers. Stored in kg; `kind` says whether it is a 1RM or a training max, `set_by`
    whether the coach or the client entered it."""

    __tablename__ = "training_max"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(3))
    value_kg: Mapped[float] = mapped_column()
    set_by: Mapped[str] = mapped_column(String(6))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    exercise: Mapped[Exercise] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("coach_id", "client_id", "exercise_id"),
        CheckConstraint("kind IN ('1rm', 'tm')", name="known_kind"),
        CheckConstraint("set_by IN ('coach', 'client')", name="known_setter"),
        CheckConstraint(f"value_kg > 0 AND value_kg <= {MAX_KG}", name="sane_value"),
    )

    @property
    def kind_label(self):
        return MAX_KINDS[self.kind]

    @property
    def one_rm_kg(self):
        return self.value_kg if self.kind == ONE_RM else self.value_kg / TM_SHARE

    @property
    def training_max_kg(self):
        """The training max, or the 1RM's 90% (the usual convention) when the 1RM is what is known."""
        return self.value_kg if self.kind == TRAINING_MAX else self.value_kg * TM_SHARE
