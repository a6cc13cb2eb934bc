"""Recurring billing after joining: a failed card payment and its grace period, the end of an
unpaid subscription when the grace period has passed, and cancelling (by the client at the
period end; by the coach now or at the period end, with or without a refund). Plain functions:
the rules flush; end_lapsed() and the cancellations talk to Stripe, so they say when they commit."""

import logging
from datetime import timedelta

from sqlalchemy import update

from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.payments import ledger, stripe_api
from fitr.payments.stripe_api import PaymentError
from fitr.programs.models import Program
from fitr.subscriptions import rules as subscriptions
from fitr.subscriptions.models import (
    ACTIVE,
    CANCELLED,
    ENDED,
    PAID,
    PAST_DUE,
    Subscription,
)

log = logging.getLogger(__name__)
NOW, PERIOD_END = "now", "period_end"


class CancelError(RuleError):
    """A cancellation that cannot be made; the message says why."""


# --- failed payments and the grace period ------------------------------------------------------


def fail_payment(subscription, at):
    """A card payment failed at `at`: Payment failed, with access for the program's grace period
    counted from the first failure (a second failure does not extend it). False when the
    subscription is not active (nothing to keep)."""
    if subscription.status != ACTIVE:
        return False
    subscription.payment = PAST_DUE
    if subscription.payment_failed_at is None:
        grace_days = db.session.get(Program, subscription.program_id).grace_days
        subscription.payment_failed_at = at
        subscription.grace_ends_at = at + timedelta(days=grace_days)
    return True


def payment_recovered(subscription, state=PAID):
    """A payment went through (a retry, or the card was updated): the failure is forgotten."""
    subscription.payment = state
    subscription.payment_failed_at = None
    subscription.grace_ends_at = None


def end_lapsed(now=None, client_id=None):
    """End every subscription (or `client_id`'s) whose payment failed and whose grace period
    has passed by `now`: they become Past clients at the end of their grace period (history and
    calendar kept). One UPDATE, committed; then each Stripe subscription is cancelled so the
    card is not charged again (a failure there is logged: Stripe's own retries then end it).
    Returns the ids of the subscriptions ended."""
    now = now or utcnow()
    query = update(Subscription).where(
        Subscription.status == ACTIVE, Subscription.payment == PAST_DUE, Subscription.grace_ends_at <= now
    )
    if client_id is not None:
        query = query.where(Subscription.client_id == client_id)
    ended = db.session.execute(
        query.values(status=ENDED, ended_at=Subscription.grace_ends_at)
        .returning(Subscription.id, Subscription.stripe_subscription_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not ended:
        return []
    db.session.commit()
    for subscription_id, stripe_subscription_id in ended:
        if stripe_subscription_id and stripe_api.configured():
            try:
                stripe_api.cancel_now(stripe_subscription_id)
            except PaymentError:
                log.warning("payments: subscription %s ended unpaid; cancelling it in Stripe failed", subscription_id)
    return [subscription_id for subscription_id, _ in ended]


def settle_lapsed(loaded, now=None):
    """Where a client's access is checked: if any of these loaded subscriptions has lapsed,
    end the client's lapsed subscriptions now (no job needed). True when something ended (the
    caller loads them again). No query when none has lapsed."""
    now = now or utcnow()
    lapsed = [s for s in loaded if s.lapsed(now)]
    if not lapsed:
        return False
    return bool(end_lapsed(now, client_id=lapsed[0].client_id))


# --- cancelling ----------------------------------------------------------------------------------


def recurring(subscription):
    return bool(subscription.stripe_subscription_id)


def cancel_at_period_end(subscription, cancel=True):
    """Cancel subscription (or Keep subscription): the Stripe subscription stops renewing at
    the end of the period (or renews again); the client keeps access until then. Stripe first:
    when it fails nothing changes here."""
    if not subscription.paid_by_card or not recurring(subscription):
        raise CancelError("This subscription is not paid by card every period: there is nothing to renew.")
    if subscription.cancel_at_period_end == cancel:
        return False
    stripe_api.set_cancel_at_period_end(subscription.stripe_subscription_id, cancel)
    subscription.cancel_at_period_end = cancel
    db.session.flush()
    return True


def cancel_now(subscription, refund=False, now=None):
    """The coach's Cancel payment now: the Stripe subscription is cancelled (no further
    charge), the last payment refunded when asked, and the client becomes a Past client at
    once. A one-off payment has no period: this is how it ends. Stripe calls come first and in
    that order; a failure stops before anything changes here."""
    if not subscription.paid_by_card:
        raise CancelError("This client does not pay by card through fitr.")
    payment_intent = None
    if refund:
        payment_intent = stripe_api.last_payment_intent(subscription)
        if payment_intent is None:
            raise CancelError("There is no card payment to refund yet: cancel without a refund.", "refund")
    if recurring(subscription):
        stripe_api.cancel_now(subscription.stripe_subscription_id)
    if payment_intent:
        refunded = stripe_api.refund(payment_intent, subscription)
        ledger.record(subscription, refunded.id, refunded.amount, refunded.currency, kind=ledger.REFUND)
    subscription.payment = CANCELLED
    subscription.cancel_at_period_end = False
    subscriptions.end(subscription, now)


def cancel_by_coach(subscription, when, refund):
    """The coach's Cancel payment: `when` is now or at the period end (recurring only; no
    refund then, the client has paid for the period they keep)."""
    if when == PERIOD_END:
        if not recurring(subscription):
            raise CancelError("A one-off payment has no period to end: cancel it now.", "when")
        if refund:
            raise CancelError("A refund goes with cancelling now: the client keeps the period they paid for.", "refund")
        return cancel_at_period_end(subscription, True)
    if when == NOW:
        return cancel_now(subscription, refund)
    raise CancelError("Choose one of the options.", "when")

