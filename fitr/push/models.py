"""The push area's tables: a browser's push subscription (one per phone or browser), what each
person chose in Settings > Reminders, each push waiting for (or done with) the worker, and the
training reminders already sent (one per person per day)."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.outbox import FAILED, QUEUED, SENDING, SENT

REMINDER_TIME = dt.time(7, 0)  # the training reminder's time until the person chooses another


class PushSubscription(db.Model):
    """One browser's push subscription (what its PushManager.subscribe() answered): where the
    push service takes pushes for it, and the keys a push is encrypted with for it."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))  # the browser's public key (base64url)
    auth: Mapped[str] = mapped_column(String(100))  # its auth secret (base64url)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def info(self):
        """The subscription as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Reminders(db.Model):
    """What a person chose in Settings > Reminders; no row means nothing chosen (all off)."""

    __tablename__ = "reminders"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    training: Mapped[bool] = mapped_column(default=False, server_default=false())
    training_at: Mapped[dt.time] = mapped_column(default=REMINDER_TIME)  # their time of day, where they are
    coach_replied: Mapped[bool] = mapped_column(default=False, server_default=false())
    new_training: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A coach's: pushes for their clients' logs, comments and messages.
    client_logs: Mapped[bool] = mapped_column(default=False, server_default=false())
    client_comments: Mapped[bool] = mapped_column(default=False, server_default=false())
    client_messages: Mapped[bool] = mapped_column(default=False, server_default=false())


class PushMessage(db.Model):
    """One push to one browser, written in the transaction that causes it and delivered by the
    worker, like an email in the outbox (same states, same pauses between tries)."""

    __tablename__ = "push_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside fitr
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(f"status IN ('{QUEUED}', '{SENDING}', '{SENT}', '{FAILED}')", name="known_status"),
        Index("ix_push_message_status_next_attempt_at", "status", "next_attempt_at"),
    )


class TrainingReminder(db.Model):
    """A training reminder, claimed once per person and day (their day): the primary key stops a
    second worker from sending it again."""

    __tablename__ = "training_reminder"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
