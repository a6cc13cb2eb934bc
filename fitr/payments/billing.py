"""Recurring billing after joining: a failed card payment and its grace period (ending the
subscription once it has passed is fitr.lifecycle's end_lapsed), and cancelling (by the client
at the period end; by the coach now, which ends the subscription, or at the period end, with or
without a refund). Plain functions that flush; the cancellations call Stripe first."""

from datetime import timedelta

from fitr.cards import stripe_api
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.lifecycle import rules as lifecycle
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, PAID, PAST_DUE

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


def cancel_by_coach(subscription, when, refund):
    """The coach's Cancel payment: `when` is now or at the period end (recurring only; no
    refund then, the client has paid for the period they keep). Now ends the subscription
    (lifecycle.end): the client becomes a Past client at once."""
    if when == PERIOD_END:
        if not recurring(subscription):
            raise CancelError("A one-off payment has no period to end: cancel it now.", "when")
        if refund:
            raise CancelError("A refund goes with cancelling now: the client keeps the period they paid for.", "refund")
        return cancel_at_period_end(subscription, True)
    if when == NOW:
        if not subscription.paid_by_card:
            raise CancelError("This client does not pay by card through fitr.")
        return lifecycle.end(subscription, refund=refund)
    raise CancelError("Choose one of the options.", "when")

