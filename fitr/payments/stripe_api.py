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
