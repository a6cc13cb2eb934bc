"""A client's payment as the coach reads it, on their pages: the payment in words and the next
card payment (template globals)."""

from flask_login import current_user

from fitr.clock import local
from fitr.payments import bp
from fitr.payments.revenue import MONTHS
from fitr.payments.rules import MARKS
from fitr.programs.prices import format_price
from fitr.subscriptions.models import PAID, PAST_DUE, PAYMENT_LABELS, TRIALING

# The one table of payment words (fitr.subscriptions.models), and what the coach may mark.
bp.add_app_template_global(PAYMENT_LABELS, "payment_labels")
bp.add_app_template_global(MARKS, "payment_marks")


@bp.app_template_global()
def money_status(subscription):
    """A client's payment in words: Active (a recurring card payment going), Paid (a one-off
    paid), Trialing, Payment failed, Cancelled, Awaiting payment, Paid outside fitr,
    Complimentary; '' for a free program."""
    if subscription.payment == PAID:
        return "Active" if subscription.billing_period in MONTHS else "Paid"
    return PAYMENT_LABELS.get(subscription.payment, "")


@bp.app_template_global()
def next_payment(subscription):
    """(day, price text) of the client's next card payment, or None: a recurring card
    subscription still going (active, trialing or failed and retrying) that Stripe has dated."""
    if subscription.payment not in (PAID, TRIALING, PAST_DUE) or subscription.billing_period not in MONTHS:
        return None
    if subscription.next_payment_at is None or not subscription.price_minor or subscription.cancel_at_period_end:
        return None  # cancelled at the period end: "Ends on" says when instead
    return local(subscription.next_payment_at, current_user).date(), format_price(subscription.price_minor, subscription.currency)
