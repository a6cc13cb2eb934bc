"""Payments: a paid program's clients pay by card on Stripe Checkout; Stripe's signed webhook
events activate, renew and end their subscriptions. Without Stripe keys the coach marks each
client Paid outside fitr or Complimentary."""

from flask import Blueprint

bp = Blueprint("payments", __name__)

from fitr.payments import billing_routes, money, routes  # noqa: E402, F401
