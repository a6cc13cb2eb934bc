"""Stripe's webhook events fitr has applied: each one once, whatever Stripe resends."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db


class StripeEvent(db.Model):
    """One webhook event applied (or knowingly ignored), stored in the same transaction as its
    effect: its unique id refuses a second delivery."""

    __tablename__ = "stripe_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
