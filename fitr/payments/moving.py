"""Moving a client who pays: what happens to their payment when the coach moves them to
another program. A card subscription is cancelled now, or kept going at the price they pay
(Stripe's subscription then belongs to the new fitr subscription); a mark (Paid outside fitr,
Complimentary) carries over."""

import logging

from fitr.errors import RuleError
from fitr.extensions import db
from fitr.payments import stripe_api
from fitr.subscriptions.models import (
    ACTIVE,
    CANCELLED,
    COMPLIMENTARY,
    OUTSIDE,
    PAID,
    PAST_DUE,
    TRIALING,
)

log = logging.getLogger(__name__)
CANCEL, KEEP = "cancel", "keep"
CHOICES = {CANCEL: "Cancel their card payment", KEEP: "Keep it going"}
SOLD = ("price_minor", "currency", "billing_period", "trial_days")


class MoveError(RuleError):
    """The payment choice of a move cannot be applied."""


def pays_by_card(subscription):
    """An active client whose card Stripe charges again and again: a move must say what happens
    to that payment."""
    return (subscription.status == ACTIVE and bool(subscription.stripe_subscription_id)
            and subscription.payment in (PAID, TRIALING, PAST_DUE))  # fmt: skip


def carry_payment(old, new, choice):
    """The new subscription's payment after a move from `old` (flushes, never commits):
    Keep it going moves the card subscription (its Stripe ids, the price it was sold at, the
    next payment) to `new`; Cancel their card payment leaves `new` unpaid and `old` cancelled;
    a mark carries over. Returns the Stripe subscription to tell (id, choice), or None."""
    if old.payment in (OUTSIDE, COMPLIMENTARY):
        new.payment = old.payment
        _copy(old, new, SOLD)
        return None
    if not old.stripe_subscription_id or old.payment not in (PAID, TRIALING, PAST_DUE):
        return None
    if choice not in CHOICES:
        raise MoveError("Choose what happens to their card payment.", "payment")
    stripe_id = old.stripe_subscription_id
    if choice == KEEP:
        _copy(old, new, (*SOLD, "payment", "stripe_customer_id", "stripe_subscription_id", "next_payment_at"))
        old.stripe_subscription_id = None  # Stripe's later events find the new one
    else:
        new.stripe_customer_id = old.stripe_customer_id  # a later Checkout reuses the customer
        old.payment = CANCELLED
        old.next_payment_at = None
    db.session.flush()
    return stripe_id, choice


def _copy(old, new, names):
    for name in names:
        setattr(new, name, getattr(old, name))


def tell_stripe(stripe_subscription_id, choice, new):
    """Cancel the Stripe subscription now, or name `new` in its metadata (so its invoices and
    its end come to the new fitr subscription). Raises PaymentError when Stripe refuses or
    cannot be reached (the caller then keeps nothing)."""
    message = "Stripe could not be reached, so the client was not moved. Try again in a few minutes."
    if choice == KEEP:
        stripe_api.name_in_metadata(stripe_subscription_id, new, message)
    else:
        stripe_api.cancel_now(stripe_subscription_id, message)
