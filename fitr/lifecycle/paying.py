"""What a subscription's life does to its payment: sold at the program's price as the client
joins, Awaiting payment while they are on Checkout, the card payment stopped when the coach ends
it, and carried over (or cancelled) when the coach moves the client. Plain functions that flush
but never commit; Stripe is called through fitr.cards and comes before anything changes here."""

from sqlalchemy import update

from fitr.cards import ledger, stripe_api
from fitr.cards.stripe_api import configured
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.subscriptions.models import (
    AWAITING,
    CANCELLED,
    COMPLIMENTARY,
    OUTSIDE,
    PENDING,
    Subscription,
)

CANCEL, KEEP = "cancel", "keep"
CHOICES = {CANCEL: "Cancel their card payment", KEEP: "Keep it going"}  # Move to program's question
SOLD = ("price_minor", "currency", "billing_period", "trial_days")


class PaymentChoiceError(RuleError):
    """What should happen to a payment cannot be done; the message says why."""


# --- joining -----------------------------------------------------------------------------------


def sell(subscription, program):
    """The price the subscription is sold at, kept on it: a later price change applies to new
    subscribers only."""
    subscription.price_minor = program.price_minor
    subscription.currency = program.currency
    subscription.billing_period = program.billing_period
    subscription.trial_days = program.trial_days or 0


def needs_checkout(subscription, program):
    """Joining this paid program means paying by card first (Stripe configured, and the coach
    did not make it complimentary or paid outside fitr)."""
    return not program.is_free and configured() and subscription.payment not in (COMPLIMENTARY, OUTSIDE)


def await_payment(subscription, program, client):
    """The client joined a paid program and goes to Checkout: the subscription stays pending,
    now theirs, Awaiting payment, at today's price. The name the coach entered stays until they
    join (the coach is told both then). One conditional UPDATE (a second tab cannot take it)."""
    done = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == PENDING)
        .values(client_id=client.id, payment=AWAITING, price_minor=program.price_minor, currency=program.currency,
                billing_period=program.billing_period, trial_days=program.trial_days or 0)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if done != 1:
        raise PaymentChoiceError("This invite has already been accepted.", code="used")
    db.session.refresh(subscription)
    return subscription


# --- ending --------------------------------------------------------------------------------------


def stop_card(subscription, refund=False):
    """The card payment of a subscription that ends now: the Stripe subscription is cancelled
    (no further charge) and, when asked, the last payment refunded (a ledger row). A one-off
    payment has no period: ending is how it stops. Stripe calls come first and in that order; a
    failure raises before anything changes here."""
    payment_intent = None
    if refund:
        payment_intent = stripe_api.last_payment_intent(subscription)
        if payment_intent is None:
            raise PaymentChoiceError("There is no card payment to refund yet: cancel without a refund.", "refund")
    if subscription.stripe_subscription_id:
        stripe_api.cancel_now(subscription.stripe_subscription_id)
    if payment_intent:
        refunded = stripe_api.refund(payment_intent, subscription)
        ledger.record(subscription, refunded.id, refunded.amount, refunded.currency, kind=ledger.REFUND)
    subscription.payment = CANCELLED
    subscription.cancel_at_period_end = False


# --- moving --------------------------------------------------------------------------------------


def carry_payment(old, new, choice, card):
    """The new subscription's payment after a move from `old` (flushes, never commits); `card`:
    whether `old` paid by card before the move ended it (Subscription.card_renews). Keep it going moves the
    card subscription (its Stripe ids, the price it was sold at, the next payment) to `new`;
    Cancel their card payment leaves `new` unpaid and `old` cancelled; a mark carries over.
    Returns the Stripe subscription to tell, or None."""
    if old.payment in (OUTSIDE, COMPLIMENTARY):
        new.payment = old.payment
        _copy(old, new, SOLD)
        return None
    if not card:
        return None
    if choice not in CHOICES:
        raise PaymentChoiceError("Choose what happens to their card payment.", "payment")
    stripe_id = old.stripe_subscription_id
    if choice == KEEP:
        _copy(old, new, (*SOLD, "payment", "stripe_customer_id", "stripe_subscription_id", "next_payment_at"))
        old.stripe_subscription_id = None  # Stripe's later events find the new one
    else:
        new.stripe_customer_id = old.stripe_customer_id  # a later Checkout reuses the customer
        old.payment = CANCELLED
        old.next_payment_at = None
    db.session.flush()
    return stripe_id


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
