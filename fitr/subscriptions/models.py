"""A subscription: one client in one program."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.accounts.models import User
from fitr.clock import today_for, utcnow
from fitr.extensions import db

PENDING, ACTIVE, ENDED = "pending", "active", "ended"
LIVE = (PENDING, ACTIVE)  # a person has at most one live subscription to a program

# How a subscription is paid for ("" = free, or nothing said yet). Card payments go through
# Stripe (fitr.payments); without it the coach marks a client paid outside fitr or complimentary.
AWAITING, PAID, TRIALING, PAST_DUE, CANCELLED = "awaiting", "paid", "trialing", "past_due", "cancelled"
OUTSIDE, COMPLIMENTARY = "outside", "complimentary"
CARD_LIVE = (PAID, TRIALING, PAST_DUE)  # a card payment Stripe still takes (or retries)
PAYMENT_LABELS = {
    AWAITING: "Awaiting payment", PAID: "Paid", TRIALING: "Trialing", PAST_DUE: "Payment failed",
    CANCELLED: "Cancelled", OUTSIDE: "Paid outside fitr", COMPLIMENTARY: "Complimentary",
}  # fmt: skip


class Subscription(db.Model):
    """One client in one program. Exists from the invite on (pending), so a pending client's
    calendar can be written before they join; `client_id` is set when they accept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    client_name: Mapped[str] = mapped_column(String(100), default="")  # until they have an account
    client_email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    start_date: Mapped[date | None] = mapped_column(default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    moved_from_id: Mapped[int | None] = mapped_column(ForeignKey("subscription.id", ondelete="SET NULL"))
    welcome_dismissed_at: Mapped[datetime | None] = mapped_column(default=None)  # the client's Got it
    # Fixed Length: the last day of the program as placed on this client's calendar (their start
    # plus the template's weeks); after it, in the client's own today, they are Program finished.
    ends_on: Mapped[date | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Payment: the price it was sold at (a later price change applies to new subscribers only),
    # its state, and the Stripe objects that carry it.
    payment: Mapped[str] = mapped_column(String(15), default="", server_default="")
    price_minor: Mapped[int] = mapped_column(default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    billing_period: Mapped[str] = mapped_column(String(10), default="", server_default="")
    trial_days: Mapped[int] = mapped_column(default=0, server_default="0")
    stripe_checkout_id: Mapped[str | None] = mapped_column(String(255), default=None)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), default=None)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255), default=None, index=True)
    next_payment_at: Mapped[datetime | None] = mapped_column(default=None)  # the current period's end
    # A failed card payment: when it first failed, and when the client's access ends unless a
    # payment goes through (the first failure plus the program's grace period).
    payment_failed_at: Mapped[datetime | None] = mapped_column(default=None)
    grace_ends_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    # Cancelled at the period end (by the client or the coach): access until next_payment_at.
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # When the newest Stripe event applied to its state was created: an older one arriving late
    # never undoes a newer one.
    stripe_event_at: Mapped[datetime | None] = mapped_column(default=None)

    # The program is named, not imported: the programs area sits above this one.
    program: Mapped["Program"] = relationship("Program", lazy="raise")  # noqa: F821
    client: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active', 'ended')", name="known_status"),
        # Never two live (pending or active) subscriptions of one person to one program.
        Index(
            "uq_subscription_live_email",
            "program_id",
            "client_email",
            unique=True,
            sqlite_where=text("status IN ('pending', 'active')"),
            postgresql_where=text("status IN ('pending', 'active')"),
        ),
        # ... nor of one account, whichever address it was invited at.
        Index(
            "uq_subscription_live_client",
            "program_id",
            "client_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'active') AND client_id IS NOT NULL"),
            postgresql_where=text("status IN ('pending', 'active') AND client_id IS NOT NULL"),
        ),
    )

    @property
    def display_name(self):
        if self.client is not None:
            return self.client.name
        return self.client_name or self.client_email

    @property
    def is_pending(self):
        return self.status == PENDING

    @property
    def is_active(self):
        return self.status == ACTIVE

    @property
    def is_ended(self):
        return self.status == ENDED

    def finished(self, today):
        """Program finished: an active Fixed Length client whose last week has passed on `today`
        (the client's). Derived from dates: the subscription itself stays active."""
        return self.status == ACTIVE and self.ends_on is not None and today > self.ends_on

    @property
    def program_finished(self):
        """finished() on the client's own today (where they are); `client` must be loaded."""
        return self.client is not None and self.finished(today_for(self.client))

    @property
    def awaiting_payment(self):
        return self.status == PENDING and self.payment == AWAITING

    @property
    def payment_failed(self):
        return self.status == ACTIVE and self.payment == PAST_DUE

    def lapsed(self, now):
        """Active, but its payment failed and the grace period has passed by `now` (UTC): the
        client has no access any more, even before end_lapsed() ends it."""
        return self.payment_failed and self.grace_ends_at is not None and self.grace_ends_at <= now

    @property
    def paid_by_card(self):
        """Paid through Stripe (a subscription or a one-off Checkout payment), still live: the one
        "pays by card" rule."""
        return self.status == ACTIVE and self.payment in CARD_LIVE and bool(self.stripe_checkout_id or self.stripe_subscription_id)

    @property
    def card_renews(self):
        """Pays by card through a Stripe subscription, which charges the card again and again (a
        move must say what happens to it; the client can cancel it)."""
        return self.paid_by_card and bool(self.stripe_subscription_id)

    @property
    def payment_label(self):
        return PAYMENT_LABELS.get(self.payment, "")
