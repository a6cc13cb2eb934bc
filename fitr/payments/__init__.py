"""Payments: a paid program's clients pay by card on Stripe Checkout; Stripe's signed webhook
events activate, renew and end their subscriptions. Without Stripe keys the coach marks each
client Paid outside fitr or Complimentary."""

from flask import Blueprint

bp = Blueprint("payments", __name__)


@bp.record_once
def end_lapsed_every_few_minutes(state):
    """The worker ends subscriptions unpaid past their grace period (as `flask payments
    end-lapsed` does)."""
    from fitr.clock import utcnow
    from fitr.lifecycle.rules import end_lapsed
    from fitr.worker import register_job

    register_job(state.app, "end lapsed subscriptions", lambda: len(end_lapsed(utcnow())))


from fitr.payments import billing_pages, payment_pages, payments_csv, price_pages, status  # noqa: E402, F401
