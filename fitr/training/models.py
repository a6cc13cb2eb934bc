"""The calendar feed link of a subscription; only its token's hash is stored."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db


class FeedToken(db.Model):
    """A private, revocable calendar feed (.ics) of one subscription; only the token's hash is kept."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        # One live link per subscription: a new one replaces it.
        Index(
            "uq_feed_token_live",
            "subscription_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )
