"""Stripe's webhook events, applied once each and in any order: every handler looks at the
object's own state (paid or not, its period) rather than at the order events arrive in, and
finds the fitr subscription from the metadata fitr put on the Checkout Session and the Stripe
subscription (an object of another deployment, or unknown here, is ignored)."""

from sqlalchemy import select

from fitr.accounts.models import User
from fitr.cards import ledger
from fitr.cards.events import invoice_period_end, moment, part, subscription_period_end
from fitr.cards.stripe_api import deployment_id
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.lifecycle import rules as lifecycle
from fitr.payments import billing
from fitr.payments.models import StripeEvent
from fitr.programs.models import Program
from fitr.subscriptions.models import (
    ACTIVE,
    AWAITING,
    CANCELLED,
    PAID,
    PAST_DUE,
    PENDING,
    TRIALING,
    Subscription,
)


def already_handled(event_id):
    return db.session.scalar(select(StripeEvent.id).where(StripeEvent.event_id == event_id)) is not None


def handle(event):
    """Apply one verified event (as events.read returns it); returns what was done, for the log.
    The event is stored with its effect, in the caller's transaction. An object whose parts or
    times are not what Stripe sends raises events.BadEvent (the caller rolls back)."""
    handler = HANDLERS.get(event.get("type"))
    obj = event["data"]["object"]
    if event.get("type") in STATE_HANDLERS:  # these compare the event's time with the newest applied
        outcome = STATE_HANDLERS[event["type"]](obj, moment(event.get("created"), "created"))
    else:
        outcome = handler(obj) if handler else "ignored: not an event fitr uses"
    db.session.add(StripeEvent(event_id=str(event["id"])[:255], type=str(event.get("type"))[:100], outcome=outcome[:100]))
    db.session.flush()
    return outcome


def subscription_from(metadata, stripe_subscription_id=None):
    """The fitr subscription an object names; (None, why) when it is not this deployment's."""
    if metadata.get("fitr_deployment") not in (None, deployment_id()):
        return None, "ignored: another deployment's object"
    wanted = str(metadata.get("fitr_subscription_id") or "")
    subscription = None
    if wanted.isdigit() and len(wanted) < 19 and metadata.get("fitr_deployment"):
        subscription = db.session.get(Subscription, int(wanted))
    elif stripe_subscription_id:
        subscription = db.session.scalar(
            select(Subscription).where(Subscription.stripe_subscription_id == str(stripe_subscription_id))
        )
    if subscription is None:
        return None, "ignored: unknown subscription"
    return subscription, ""


def activate_paid(subscription, payment):
    """Stripe confirmed the payment (or the trial) of a subscription Awaiting payment: the
    client joins as by a free invite (lifecycle.join), in this payment state. False when it was
    not awaiting payment (already active, ended, never sold): nothing changes then but its state."""
    if subscription.status != PENDING or subscription.client_id is None:
        return False
    program = db.session.get(Program, subscription.program_id)
    client = db.session.get(User, subscription.client_id)
    return lifecycle.join(subscription, program, client, paid=payment)


def checkout_completed(session):
    """The client finished Checkout: when it is paid (or a trial needs no payment yet) the
    subscription becomes active; a payment still processing waits for its own event."""
    subscription, why = subscription_from(part(session, "metadata"))
    if subscription is None:
        return why
    subscription.stripe_customer_id = session.get("customer") or subscription.stripe_customer_id
    subscription.stripe_subscription_id = session.get("subscription") or subscription.stripe_subscription_id
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "waiting: checkout not paid yet"
    ledger.record_checkout(subscription, session)
    trialing = session.get("mode") == "subscription" and subscription.trial_days and session.get("payment_status") == "no_payment_required"
    if activate_paid(subscription, TRIALING if trialing else PAID):
        return "activated"
    return "already applied" if subscription.status == ACTIVE else "ignored: subscription ended"


def checkout_expired(session):
    """Checkout timed out unpaid: the subscription stays Awaiting payment; Finish paying makes
    a new Checkout Session."""
    subscription, why = subscription_from(part(session, "metadata"))
    if subscription is None:
        return why
    if subscription.stripe_checkout_id == session.get("id"):
        subscription.stripe_checkout_id = None
    return "awaiting payment" if subscription.payment == AWAITING else "ignored: not awaiting payment"


def invoice_subscription(invoice):
    """(fitr subscription, Stripe subscription id, why) for an invoice of a Stripe subscription."""
    details = part(part(invoice, "parent"), "subscription_details") or part(invoice, "subscription_details")
    stripe_subscription = details.get("subscription") or invoice.get("subscription")
    subscription, why = subscription_from(part(details, "metadata"), stripe_subscription)
    return subscription, stripe_subscription, why


def invoice_paid(invoice):
    """A recurring payment went through (the first one, or a renewal): the subscription is paid
    up to the end of the invoice's period (never moved back by an older invoice arriving
    late), and activated if its Checkout event has not arrived yet."""
    subscription, stripe_subscription, why = invoice_subscription(invoice)
    if subscription is None:
        return why
    period_end = invoice_period_end(invoice)
    subscription.stripe_subscription_id = stripe_subscription or subscription.stripe_subscription_id
    subscription.stripe_customer_id = invoice.get("customer") or subscription.stripe_customer_id
    ledger.record_invoice(subscription, invoice)
    if period_end and subscription.next_payment_at and period_end <= subscription.next_payment_at:
        return "ignored: an older invoice"
    subscription.next_payment_at = period_end or subscription.next_payment_at
    state = TRIALING if invoice.get("amount_paid") == 0 and subscription.trial_days else PAID
    if subscription.status == PENDING:
        return "activated" if activate_paid(subscription, state) else "ignored"
    if subscription.status == ACTIVE:
        billing.payment_recovered(subscription, state)  # a retry that went through ends the grace period
        return "renewed"
    return "ignored: subscription ended"


def invoice_paid_at(invoice, created):
    """invoice.paid, remembered as the newest event applied: a past_due state sent before it
    and arriving after it does not undo the payment."""
    outcome = invoice_paid(invoice)
    subscription, _, _ = invoice_subscription(invoice)
    if subscription is not None and outcome in ("renewed", "activated"):
        newer(subscription, created)
    return outcome


def newer(subscription, created):
    """Whether an event created at `created` is not older than the newest applied to this
    subscription's state; if so it becomes the newest."""
    if created is not None and subscription.stripe_event_at is not None and created < subscription.stripe_event_at:
        return False
    subscription.stripe_event_at = created or subscription.stripe_event_at
    return True


def invoice_payment_failed(invoice, created):
    """A card payment failed: Payment failed for the coach and the client, who keeps access for
    the program's grace period from the first failure. Ignored when the period it was for is
    already paid, or a newer event (a successful retry) was applied first."""
    subscription, stripe_subscription, why = invoice_subscription(invoice)
    if subscription is None:
        return why
    period_end = invoice_period_end(invoice)
    if period_end and subscription.next_payment_at and period_end <= subscription.next_payment_at:
        return "ignored: that period is paid"
    if subscription.status != ACTIVE:
        return "ignored: subscription not active"
    if not newer(subscription, created):
        return "ignored: an older event"
    subscription.stripe_subscription_id = stripe_subscription or subscription.stripe_subscription_id
    billing.fail_payment(subscription, created or utcnow())
    return "payment failed"


def stripe_subscription_updated(stripe_subscription, created):
    """The Stripe subscription's own state, applied whatever order its events come in (an older
    one than the newest applied is ignored): past_due/unpaid is Payment failed; active or
    trialing again clears it; cancel_at_period_end and the period end are copied; canceled ends
    it as deleted does."""
    subscription, why = subscription_from(part(stripe_subscription, "metadata"), stripe_subscription.get("id"))
    if subscription is None:
        return why
    status = stripe_subscription.get("status")
    if status in ("canceled", "incomplete_expired"):
        return stripe_subscription_deleted(stripe_subscription)
    if subscription.status != ACTIVE:
        return "ignored: subscription not active"
    if not newer(subscription, created):
        return "ignored: an older event"
    subscription.next_payment_at = subscription_period_end(stripe_subscription) or subscription.next_payment_at
    subscription.cancel_at_period_end = bool(stripe_subscription.get("cancel_at_period_end"))
    if status in ("past_due", "unpaid"):
        billing.fail_payment(subscription, created or utcnow())
        return "payment failed"
    if status in ("active", "trialing") and subscription.payment == PAST_DUE:
        billing.payment_recovered(subscription, TRIALING if status == "trialing" else PAID)
        return "payment recovered"
    return "updated"


def stripe_subscription_deleted(stripe_subscription):
    """Stripe ended the subscription (cancelled, at the period end or now): the client becomes
    a Past client; their calendar and history stay."""
    subscription, why = subscription_from(part(stripe_subscription, "metadata"), stripe_subscription.get("id"))
    if subscription is None:
        return why
    if subscription.payment != PAST_DUE:  # ended unpaid: the coach keeps seeing why
        subscription.payment = CANCELLED
    subscription.cancel_at_period_end = False
    if subscription.status == ACTIVE:
        lifecycle.end(subscription, card=False)  # Stripe has stopped the payment already
        return "ended"
    return "cancelled"


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_completed,
    "checkout.session.expired": checkout_expired,
    "invoice.paid": invoice_paid,
    "customer.subscription.deleted": stripe_subscription_deleted,
}
STATE_HANDLERS = {
    "invoice.paid": invoice_paid_at,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.updated": stripe_subscription_updated,
}
