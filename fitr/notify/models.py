"""A coach's daily digest, claimed once per day: the unique (user, day) row is what stops a
second copy of `flask notify` from sending it again."""

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db


class Digest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column()  # the coach's day it is for, where they are
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="sending")  # sending, sent, not_configured

    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_digest_user_day"),)
