"""The ledger: every payment (and refund) Stripe confirmed, one row per Stripe object, written by
the webhook handler in the same transaction as the event it came with. It keeps the client's
name and the program's name as they were, so a coach's payments stay readable after a client
leaves or a program is renamed."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from fitr.accounts.models import User
from fitr.cards import events
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import Program

PAYMENT, REFUND = "payment", "refund"
KINDS = {PAYMENT: "Payment", REFUND: "Refund"}


class Payment(db.Model):
    """Money that moved for one subscription: a payment in, or a refund out (amount positive)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscription.id", ondelete="SET NULL"), index=True)
    program_name: Mapped[str] = mapped_column(String(100), default="")
    client_name: Mapped[str] = mapped_column(String(254), default="")
    kind: Mapped[str] = mapped_column(String(10), default=PAYMENT)
    amount_minor: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime] = mapped_column(default=utcnow)
    stripe_id: Mapped[str] = mapped_column(String(255), unique=True)

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)


def record(subscription, stripe_id, amount_minor, currency, kind=PAYMENT, paid_at=None):
    """Write one payment or refund of `subscription` once: a Stripe object already in the
    ledger (an event sent again, or a second event about the same object) adds nothing.
    Returns the row, new or already there; flushes, never commits."""
    stripe_id = str(stripe_id or "")[:255]
    if not stripe_id or not isinstance(amount_minor, int) or amount_minor <= 0:
        return None
    existing = db.session.scalar(select(Payment).where(Payment.stripe_id == stripe_id))
    if existing is not None:
        return existing
    program = db.session.get(Program, subscription.program_id)
    client = db.session.get(User, subscription.client_id) if subscription.client_id else None
    payment = Payment(
        coach_id=program.coach_id, program_id=program.id, subscription_id=subscription.id, program_name=program.name,
        client_name=client.name if client else (subscription.client_name or subscription.client_email),
        kind=kind, amount_minor=amount_minor, currency=str(currency or subscription.currency).upper()[:3],
        paid_at=paid_at or utcnow(), stripe_id=stripe_id,
    )  # fmt: skip
    db.session.add(payment)
    db.session.flush()
    return payment


def record_checkout(subscription, session):
    """A paid Checkout Session of a one-off price (a recurring price is paid by its invoices)."""
    if session.get("mode") != "payment" or session.get("payment_status") != "paid":
        return None
    return record(subscription, session.get("id"), session.get("amount_total"), session.get("currency"),
                  paid_at=events.paid_at(session) or utcnow())  # fmt: skip


def record_invoice(subscription, invoice):
    """A paid invoice of a Stripe subscription (the first payment or a renewal); a free trial's
    invoice of 0 moves no money and is not a payment."""
    return record(subscription, invoice.get("id"), invoice.get("amount_paid"), invoice.get("currency"),
                  paid_at=events.paid_at(invoice) or utcnow())  # fmt: skip
