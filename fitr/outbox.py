"""The outbox: every email is a row, written in the same transaction as the change that causes
it, and delivered by the worker (fitr.worker), never by a request.

A row is queued, then claimed by one worker with a conditional UPDATE (so a message enqueued
twice, or seen by two workers, goes out once), then sent, or queued again after a pause that
grows with each failed try (BACKOFF), and failed for good after the last one. The table is the
truth: the queue only wakes the worker, and a sweep every minute re-enqueues what is due, so a
lost enqueue or a crashed worker never loses mail.

An area that wants to know how its email went (an invite shows Sending…, Sent or Failed)
registers a listener for its `about` with `on_result`; the worker calls it in the transaction
that records the result.
"""

from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import CheckConstraint, Index, String, Text, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
# The pause after each failed try; after the last one the email has failed for good.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
ATTEMPTS = len(BACKOFF) + 1
# A claim older than this belongs to a worker that died mid-send: the row may be tried again.
STALE_CLAIM = timedelta(minutes=10)


class OutboxMessage(db.Model):
    """One email, written and waiting for (or done with) delivery."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(254), default=None)
    # What the email is about, for its listener: ("invite", the invite's id), ("digest", None)...
    about: Mapped[str] = mapped_column(String(32))
    about_id: Mapped[int | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="known_status"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_about", "about", "about_id"),
    )


_listeners = {}


def on_result(about, listener):
    """Call `listener(message)` whenever an email about `about` is sent, retried or failed."""
    _listeners[about] = listener


def write(to, subject, text, html, reply_to=None, about="email", about_id=None):
    """Add the email to the outbox in the caller's transaction; it is enqueued once that commits."""
    message = OutboxMessage(to=to, subject=subject, text=text, html=html, reply_to=reply_to, about=about,
                            about_id=about_id, next_attempt_at=utcnow())  # fmt: skip
    db.session.add(message)
    return message


# --- enqueue after commit ---------------------------------------------------------------------
# The new rows' ids are noted at flush and handed to the queue only once the transaction has
# committed: a rolled-back email is never enqueued, and a committed one whose enqueue is lost is
# found by the sweep.

@event.listens_for(Session, "after_flush")
def _note_new(session, _flush_context):
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new:
        session.info.setdefault("outbox_new", []).extend(new)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    ids = session.info.pop("outbox_new", None)
    enqueue = has_app_context() and current_app.extensions.get("outbox_enqueue")
    if ids and enqueue:
        enqueue(ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop("outbox_new", None)


# --- the worker's side ------------------------------------------------------------------------


def due_ids(now=None, limit=500):
    """Rows the worker should try now: queued and due, or claimed by a worker that died."""
    now = now or utcnow()
    return db.session.scalars(
        select(OutboxMessage.id)
        .where(or_(
            (OutboxMessage.status == QUEUED) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at <= now - STALE_CLAIM),
        ))  # fmt: skip
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()


def claim(message_id, now):
    """Take the row for this worker, if it is due and nobody has it: True when taken."""
    taken = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            or_(
                (OutboxMessage.status == QUEUED) & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at <= now - STALE_CLAIM),
            ),
        )
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def deliver(message_id, send):
    """Deliver one row: claim it, hand it to `send(message)` (which returns a MailResult and
    never raises), and record the outcome. Returns the row's new status, or None when the row
    was not ours to send (not due, already sent, or another worker has it)."""
    if not claim(message_id, utcnow()):
        return None
    message = db.session.get(OutboxMessage, message_id)
    result = send(message)
    now = utcnow()
    if result.sent:
        message.status, message.sent_at, message.last_error = SENT, now, None
    elif result.permanent or message.attempts >= ATTEMPTS:
        message.status, message.last_error = FAILED, result.error
    else:
        message.status, message.last_error = QUEUED, result.error
        message.next_attempt_at = now + BACKOFF[message.attempts - 1]
    message.claimed_at = None
    listener = _listeners.get(message.about)
    if listener is not None:
        listener(message)
    db.session.commit()
    return message.status
