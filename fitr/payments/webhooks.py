"""Stripe's webhook events, applied once each and in any order: every handler looks at the
object's own state (paid or not, its period) rather than at the order events arrive in, and
finds the fitr subscription from the metadata fitr put on the Checkout Session and the Stripe
subscription (an object of another deployment, or unknown here, is ignored)."""

from datetime import UTC, datetime

from sqlalchemy import select

from fitr.extensions import db
from fitr.payments import ledger
from fitr.payments.models import StripeEvent
from fitr.payments.rules import activate_paid
from fitr.payments.stripe_api import deployment_id
from fitr.subscriptions import rules as subscriptions
from fitr.subscriptions.models import (
    ACTIVE,
    AWAITING,
    CANCELLED,
    PAID,
    PENDING,
    TRIALING,
    Subscription,
)


def already_handled(event_id):
    return db.session.scalar(select(StripeEvent.id).where(StripeEvent.event_id == event_id)) is not None


def handle(event):
    """Apply one verified event (a dict); returns what was done, for the log. The event is
    stored with its effect, in the caller's transaction."""
    handler = HANDLERS.get(event.get("type"))
    obj = (event.get("data") or {}).get("object") or {}
    outcome = handler(obj) if handler else "ignored: not an event fitr uses"
    db.session.add(StripeEvent(event_id=str(event["id"])[:255], type=str(event.get("type"))[:100], outcome=outcome[:100]))
    db.session.flush()
    return outcome


def subscription_from(metadata, stripe_subscription_id=None):
    """The fitr subscription an object names; (None, why) when it is not this deployment's."""
    metadata = metadata or {}
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


def checkout_completed(session):
    """The client finished Checkout: when it is paid (or a trial needs no payment yet) the
    subscription becomes active; a payment still processing waits for its own event."""
    subscription, why = subscription_from(session.get("metadata"))
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
    subscription, why = subscription_from(session.get("metadata"))
    if subscription is None:
        return why
    if subscription.stripe_checkout_id == session.get("id"):
        subscription.stripe_checkout_id = None
    return "awaiting payment" if subscription.payment == AWAITING else "ignored: not awaiting payment"


def invoice_paid(invoice):
    """A recurring payment went through (the first one, or a renewal): the subscription is paid
    up to the end of the invoice's period (never moved back by an older invoice arriving
    late), and activated if its Checkout event has not arrived yet."""
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    stripe_subscription = details.get("subscription") or invoice.get("subscription")
    subscription, why = subscription_from(details.get("metadata"), stripe_subscription)
    if subscription is None:
        return why
    subscription.stripe_subscription_id = stripe_subscription or subscription.stripe_subscription_id
    subscription.stripe_customer_id = invoice.get("customer") or subscription.stripe_customer_id
    ledger.record_invoice(subscription, invoice)
    ends = [line["period"]["end"] for line in (invoice.get("lines") or {}).get("data", []) if line.get("period")]
    period_end = datetime.fromtimestamp(max(ends), UTC).replace(tzinfo=None) if ends else None
    if period_end and subscription.next_payment_at and period_end <= subscription.next_payment_at:
        return "ignored: an older invoice"
    subscription.next_payment_at = period_end or subscription.next_payment_at
    state = TRIALING if invoice.get("amount_paid") == 0 and subscription.trial_days else PAID
    if subscription.status == PENDING:
        return "activated" if activate_paid(subscription, state) else "ignored"
    if subscription.status == ACTIVE:
        subscription.payment = state
        return "renewed"
    return "ignored: subscription ended"


def stripe_subscription_deleted(stripe_subscription):
    """Stripe ended the subscription (cancelled, at the period end or now): the client becomes
    a Past client; their calendar and history stay."""
    subscription, why = subscription_from(stripe_subscription.get("metadata"), stripe_subscription.get("id"))
    if subscription is None:
        return why
    subscription.payment = CANCELLED
    if subscription.status == ACTIVE:
        subscriptions.end(subscription)
        return "ended"
    return "cancelled"


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_completed,
    "checkout.session.expired": checkout_expired,
    "invoice.paid": invoice_paid,
    "customer.subscription.deleted": stripe_subscription_deleted,
}
