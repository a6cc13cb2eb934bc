"""What `flask notify` sent, kept so it never sends it twice: each coach's daily digest (one row
per day) and the last email about each thread to each person."""

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db


class Digest(db.Model):
    """A coach's daily digest, claimed once per day: the unique (user, day) row is what stops a
    second copy of `flask notify` from sending it again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column()  # the coach's day it is for, where they are
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="sending")  # sending, sent, not_configured

    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_digest_user_day"),)


class ThreadEmail(db.Model):
    """The last email to one person about one thread (comments on a session, or messages): the
    next comes at most BATCH later, and only about messages after `last_message_id`. Updating
    this row (or adding it) is the claim that stops a second copy of `flask notify`."""

    __tablename__ = "thread_email"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True)
    last_message_id: Mapped[int] = mapped_column()
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
