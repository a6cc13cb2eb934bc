"""The coach's marks on a client of a paid program: Paid outside fitr or Complimentary (what a
subscription's life does to its payment as the client joins is fitr.lifecycle.paying). Plain
functions that flush but never commit."""

from fitr.errors import RuleError
from fitr.extensions import db
from fitr.lifecycle.paying import sell
from fitr.subscriptions.models import COMPLIMENTARY, OUTSIDE

# What the coach may mark (its words are PAYMENT_LABELS'), and "" for no mark; a payment that is
# not one of these is a card payment Stripe handles.
MARKS = (OUTSIDE, COMPLIMENTARY, "")


class MarkError(RuleError):
    """The coach's mark cannot be applied."""


def mark(subscription, program, value):
    """The coach marks a client of a paid program Paid outside fitr or Complimentary (or takes
    the mark off). A card payment Stripe handles is not theirs to overwrite."""
    if value not in MARKS:
        raise MarkError("Choose one of the options.", "payment")
    if program.is_free:
        raise MarkError("This program is free: there is nothing to pay.", "payment")
    if subscription.payment not in MARKS:
        raise MarkError("This client pays by card through Stripe: manage it there.", "payment")
    if value and not subscription.price_minor:
        sell(subscription, program)
    subscription.payment = value
    db.session.flush()
