"""A user's notices."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db

# What a notice is about; a coach can filter by it.
JOINED, LOGGED, RECORD, SKIPPED, MISSED, COMMENTED, MESSAGED, INVITE_EXPIRING = (
    "joined", "logged", "record", "skipped", "missed", "commented", "messaged", "invite_expiring",
)  # fmt: skip


class Notice(db.Model):
    """A line in a user's in-app notices, e.g. "Ada joined Strength 1-2-1"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default=JOINED, server_default=JOINED)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"), default=None)
    # The client the notice is about: it may quote them (a message, a comment, why they skipped),
    # so it goes when their account does.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), default=None, index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside fitr
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    # What the notice is about, for a notice told at most once (e.g. "missed:<session>:<client>"):
    # `flask notify` may run twice at once and still tell it once.
    key: Mapped[str | None] = mapped_column(String(100), default=None)

    __table_args__ = (
        Index("ix_notice_user_read", "user_id", "read_at"),
        Index("uq_notice_user_key", "user_id", "key", unique=True),
    )
