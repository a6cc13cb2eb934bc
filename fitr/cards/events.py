"""Stripe's webhook events as fitr reads them: the signature, signed no more than five minutes
from now either way; the event's shape; and its times. A correctly signed post that fitr cannot
read is refused with a BadEvent (a 400, one log line): it will read no better when Stripe sends
it again, so a 500 would only have Stripe retry it for days."""

import json
from datetime import UTC, datetime

import stripe

from fitr.clock import utcnow

TOLERANCE = 300  # seconds between the signature's time and now, as Stripe's own libraries allow
# A Stripe time outside these years is not one: nothing fitr is paid for began before 2000, and a
# date past 3000 would overflow when a grace period is added to it.
EARLIEST = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())
LATEST = int(datetime(3000, 1, 1, tzinfo=UTC).timestamp())


class BadEvent(Exception):
    """A signed post that is not an event fitr can read; the message says what is wrong, for the
    log (never the payload itself)."""


def verify(payload, header, secret):
    """Raises stripe.SignatureVerificationError unless `payload` is signed with `secret` at a
    time within TOLERANCE of now, before or after (a signature from the future is refused like
    an old one: a clock that far off, or a forgery kept for later)."""
    stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=None)  # the time is checked here
    now = utcnow().replace(tzinfo=UTC).timestamp()
    signed_at = int(next(part[2:] for part in header.split(",") if part.startswith("t=")))
    if abs(now - signed_at) > TOLERANCE:
        raise stripe.SignatureVerificationError(f"signed {int(signed_at - now):+d} s from now", header, payload)


def read(payload):
    """The verified payload as an event (a dict with an id, a type, a sane `created` and a data
    object); BadEvent otherwise."""
    try:
        event = json.loads(payload)
    except ValueError:
        raise BadEvent("the body is not JSON") from None
    if not isinstance(event, dict):
        raise BadEvent(f"the body is a JSON {type(event).__name__}, not an event object")
    for key in ("id", "type"):
        if not isinstance(event.get(key), str) or not event[key]:
            raise BadEvent(f"the event has no {key}")
    moment(event.get("created"), "created", required=True)
    obj = part(event, "data").get("object")
    if not isinstance(obj, dict):
        raise BadEvent("the event has no data object")
    for family, times in TIMES.items():  # every time fitr may read, whatever state it finds
        if event["type"].startswith(family):
            for time in times:
                time(obj)
    return event


def moment(timestamp, name="a time", required=False):
    """A Stripe time (whole seconds since 1970) as fitr's naive UTC datetime; None when Stripe
    sent none (unless `required`). BadEvent for a string, a fraction, a negative number, or a
    time before 2000 or from the year 3000 on."""
    if timestamp is None and not required:
        return None
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not EARLIEST <= timestamp < LATEST:
        raise BadEvent(f"{name} is not a time: {str(timestamp)[:40]!r}")
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def part(obj, key):
    """obj[key], an object (a dict); {} when absent or null. BadEvent for anything else."""
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadEvent(f"{key} is not an object")
    return value


def listed(obj, key):
    """The objects of a Stripe list obj[key] (its "data"); [] when absent. BadEvent when the
    list or one of its items is not what Stripe sends."""
    data = part(obj, key).get("data") or []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BadEvent(f"{key} is not a list of objects")
    return data


# --- the times fitr reads from Stripe's objects ---------------------------------------------------


def paid_at(obj):
    """When an invoice was paid (else when it, or a Checkout Session, was made); None if unsaid."""
    return moment(part(obj, "status_transitions").get("paid_at") or obj.get("created"), "paid_at")


def invoice_period_end(invoice):
    """The end of the last period an invoice's lines are for; None when they say none."""
    ends = [moment(part(line, "period").get("end"), "a period end") for line in listed(invoice, "lines")]
    return max((end for end in ends if end is not None), default=None)


def subscription_period_end(stripe_subscription):
    """The end of the period a Stripe subscription is paid to (on it, or on its first item)."""
    items = listed(stripe_subscription, "items") or [{}]
    return moment(stripe_subscription.get("current_period_end") or items[0].get("current_period_end"), "current_period_end")


TIMES = {
    "checkout.session.": (paid_at,),
    "invoice.": (paid_at, invoice_period_end),
    "customer.subscription.": (subscription_period_end,),
}
