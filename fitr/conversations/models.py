"""Threads between a coach and a client, their messages, and how far each person has read.

One table for both kinds of thread: a direct one per coach and client (Messages) and one per
session and client (comments; on a Group calendar each subscriber has their own). What is new
for someone in a thread is one question: messages by the other person after their read marker.
"""

import datetime as dt
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.accounts.models import User
from fitr.clock import utcnow
from fitr.extensions import db

DIRECT, SESSION = "direct", "session"
BODY_LIMIT = 4000  # characters in one message or comment


class Conversation(db.Model):
    """A thread between a coach and a client: direct (Messages), or about one session
    (comments). A session thread keeps the session's title and date, so it still says what it
    was about after the session is deleted (session_id is then empty)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_session.id", ondelete="SET NULL"), default=None
    )
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"), default=None)
    session_title: Mapped[str] = mapped_column(String(120), default="")
    session_date: Mapped[dt.date | None] = mapped_column(default=None)
    # Bumped by every message, edit and delete: a poll that brings the same number changed nothing.
    version: Mapped[int] = mapped_column(default=0)
    last_message_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coach: Mapped[User] = relationship(foreign_keys=[coach_id], lazy="raise")
    client: Mapped[User] = relationship(foreign_keys=[client_id], lazy="raise")

    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'session')", name="known_kind"),
        CheckConstraint("kind = 'session' OR session_id IS NULL", name="direct_has_no_session"),
        # One direct thread per coach and client, and one thread per session and client.
        Index(
            "uq_conversation_direct", "coach_id", "client_id", unique=True,
            sqlite_where=text("kind = 'direct'"), postgresql_where=text("kind = 'direct'"),
        ),
        Index(
            "uq_conversation_session", "session_id", "client_id", unique=True,
            sqlite_where=text("kind = 'session'"), postgresql_where=text("kind = 'session'"),
        ),
    )  # fmt: skip

    @property
    def is_direct(self):
        return self.kind == DIRECT

    def other(self, user_id):
        """The other person in the thread, seen by `user_id`."""
        return self.client if user_id == self.coach_id else self.coach


class Message(db.Model):
    """One message of a thread (on a session thread: a comment). Its author may edit or delete it
    for a while; a deleted one keeps its place, without its text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    conversation: Mapped[Conversation] = relationship(lazy="raise")

    __table_args__ = (Index("ix_message_conversation_id", "conversation_id", "id"),)


class ReadMarker(db.Model):
    """How far one person has read one thread: the last message they were shown. Unread for them
    is what the other person wrote after it."""

    __tablename__ = "conversation_read"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
