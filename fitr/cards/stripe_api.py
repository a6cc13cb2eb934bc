"""The few Stripe API calls fitr makes, through the official library. Amounts are the
program's minor units (Stripe's own unit), and every object carries metadata naming the fitr
subscription and this deployment, so a webhook event can be traced back (or ignored)."""

import hashlib
import hmac
import logging

import stripe
from flask import current_app

from fitr.errors import RuleError

log = logging.getLogger(__name__)
INTERVALS = {"weekly": "week", "monthly": "month", "yearly": "year"}  # one_off: a single payment


class PaymentError(RuleError):
    """Stripe could not be reached or refused; the message is for the client."""


def configured():
    """Card payments are on when both Stripe keys are set."""
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def deployment_id():
    """This fitr's name in Stripe metadata: STRIPE_DEPLOYMENT_ID, or one derived from
    SECRET_KEY (stable, and telling nothing about the key)."""
    config = current_app.config
    if config.get("STRIPE_DEPLOYMENT_ID"):
        return config["STRIPE_DEPLOYMENT_ID"]
    return hmac.new(config["SECRET_KEY"].encode(), b"fitr stripe deployment", hashlib.sha256).hexdigest()[:16]


def client():
    config = current_app.config
    return stripe.StripeClient(config["STRIPE_SECRET_KEY"], base_addresses={"api": config["STRIPE_API_BASE"]})


def metadata(subscription):
    return {"fitr_subscription_id": str(subscription.id), "fitr_deployment": deployment_id()}


def checkout_params(subscription, product_name, email, success_url, cancel_url):
    """A Checkout Session for the subscription at the price it was sold at: one payment for a
    one-off price, a Stripe subscription (with its free trial) for a recurring one."""
    price_data = {
        "currency": subscription.currency.lower(),
        "unit_amount": subscription.price_minor,
        "product_data": {"name": product_name},
    }
    params = {
        "line_items": [{"price_data": price_data, "quantity": 1}],
        "metadata": metadata(subscription),
        "client_reference_id": str(subscription.id),
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if subscription.stripe_customer_id:
        params["customer"] = subscription.stripe_customer_id
    else:
        params["customer_email"] = email
    interval = INTERVALS.get(subscription.billing_period)
    if interval:
        params["mode"] = "subscription"
        price_data["recurring"] = {"interval": interval}
        params["subscription_data"] = {"metadata": metadata(subscription)}
        if subscription.trial_days:
            params["subscription_data"]["trial_period_days"] = subscription.trial_days
    else:
        params["mode"] = "payment"
        params["payment_intent_data"] = {"metadata": metadata(subscription)}
    return params


def create_checkout(params):
    """Create the Checkout Session; its id and URL. Raises PaymentError (logged without keys)."""
    try:
        session = client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        log.warning("stripe: creating a checkout session failed: %s", type(error).__name__)
        raise PaymentError("Card payments are not available right now. Try Finish paying again in a few minutes.") from None
    return session.id, session.url


# --- after joining: cancelling, refunding, the customer portal -------------------------------


def _call(what, message, call):
    """Run one Stripe call; a failure is logged (its kind, never a key) and raised as
    PaymentError(message), so the route shows it and changes nothing."""
    try:
        return call(client().v1)
    except stripe.StripeError as error:
        log.warning("stripe: %s failed: %s", what, type(error).__name__)
        raise PaymentError(message) from None


UNREACHABLE = "Stripe could not be reached, so nothing changed. Try again in a few minutes."


def set_cancel_at_period_end(stripe_subscription_id, cancel):
    """Stop (or resume) renewing the Stripe subscription at the end of its period."""
    _call("updating a subscription", UNREACHABLE,
          lambda v1: v1.subscriptions.update(stripe_subscription_id, params={"cancel_at_period_end": cancel}))  # fmt: skip


def cancel_now(stripe_subscription_id, message=UNREACHABLE):
    """Cancel the Stripe subscription at once: the card is not charged again."""
    _call("cancelling a subscription", message, lambda v1: v1.subscriptions.cancel(stripe_subscription_id))


def name_in_metadata(stripe_subscription_id, subscription, message=UNREACHABLE):
    """Name `subscription` in the Stripe subscription's metadata: its later events come to it."""
    _call("renaming a subscription", message,
          lambda v1: v1.subscriptions.update(stripe_subscription_id, params={"metadata": metadata(subscription)}))  # fmt: skip


def last_payment_intent(subscription):
    """The payment intent of the subscription's latest paid payment: the latest paid invoice's
    payment for a recurring price, the Checkout Session's payment for a one-off one; or None."""
    def find(v1):
        if subscription.stripe_subscription_id:
            invoices = v1.invoices.list(params={"subscription": subscription.stripe_subscription_id, "status": "paid", "limit": 1})
            if not invoices.data:
                return None
            payments = v1.invoice_payments.list(params={"invoice": invoices.data[0].id, "status": "paid", "limit": 1})
            payment = payments.data[0].payment if payments.data else None
            return payment.payment_intent if payment is not None and payment.type == "payment_intent" else None
        if subscription.stripe_checkout_id:
            return v1.checkout.sessions.retrieve(subscription.stripe_checkout_id).payment_intent
        return None

    return _call("finding the last payment", UNREACHABLE, find)


def refund(payment_intent, subscription):
    """Refund a payment in full (Stripe's Refunds API), tagged with the fitr subscription; the
    Refund (its id, amount and currency go in the ledger)."""
    return _call("refunding a payment", "Stripe could not refund the payment, so nothing changed. Try again in a few minutes.",
          lambda v1: v1.refunds.create(params={"payment_intent": payment_intent, "metadata": metadata(subscription)}))  # fmt: skip


def portal_url(customer_id, return_url):
    """A Stripe customer portal session for the customer (their card and invoices); its URL."""
    session = _call("opening the customer portal",
                    "Payments and invoices cannot be opened right now. Try again in a few minutes.",
                    lambda v1: v1.billing_portal.sessions.create(params={"customer": customer_id, "return_url": return_url}))  # fmt: skip
    return session.url


def change_price(stripe_subscription_id, currency, unit_amount, period):
    """Charge the Stripe subscription a new recurring price from its next payment, without
    prorating: its one item (found by retrieving it) gets inline price data on the same
    product."""
    def change(v1):
        item = v1.subscriptions.retrieve(stripe_subscription_id)["items"].data[0]
        product = item.price.product
        price_data = {"currency": currency.lower(), "unit_amount": unit_amount, "product": product,
                      "recurring": {"interval": INTERVALS[period]}}  # fmt: skip
        return v1.subscriptions.update(stripe_subscription_id, params={
            "items": [{"id": item.id, "price_data": price_data}], "proration_behavior": "none"})  # fmt: skip

    _call("changing a subscription's price", UNREACHABLE, change)
