"""The coach sees money: each client's plan, payment status in words and next payment; each
program's paying clients and monthly recurring revenue; and a CSV of their payments. Each a
fixed number of queries, whatever the number of clients or payments."""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_login import current_user, login_required
from sqlalchemy import func, select

from fitr.cards.ledger import Payment
from fitr.clock import local
from fitr.extensions import db
from fitr.payments import bp
from fitr.programs.access import owned_program
from fitr.programs.money import format_price, to_major_text
from fitr.subscriptions.models import (
    ACTIVE,
    AWAITING,
    CANCELLED,
    COMPLIMENTARY,
    OUTSIDE,
    PAID,
    PAST_DUE,
    TRIALING,
    Subscription,
)
from fitr.web import attachment

# Paying clients: those whose money comes in (by card, a failed card still in its grace period,
# or paid outside fitr). A trial, a complimentary client or one awaiting payment pays nothing yet.
PAYING = (PAID, PAST_DUE, OUTSIDE)
MONTHS = {"monthly": Decimal(1), "weekly": Decimal(52) / 12, "yearly": Decimal(1) / 12}  # one-off: not recurring
STATUS = {TRIALING: "Trialing", PAST_DUE: "Payment failed", CANCELLED: "Cancelled", AWAITING: "Awaiting payment",
          OUTSIDE: "Paid outside fitr", COMPLIMENTARY: "Complimentary"}  # fmt: skip


@bp.app_template_global()
def money_status(subscription):
    """A client's payment in words: Active (a recurring card payment going), Paid (a one-off
    paid), Trialing, Payment failed, Cancelled, Awaiting payment, Paid outside fitr,
    Complimentary; '' for a free program."""
    if subscription.payment == PAID:
        return "Active" if subscription.billing_period in MONTHS else "Paid"
    return STATUS.get(subscription.payment, "")


@bp.app_template_global()
def next_payment(subscription):
    """(day, price text) of the client's next card payment, or None: a recurring card
    subscription still going (active, trialing or failed and retrying) that Stripe has dated."""
    if subscription.payment not in (PAID, TRIALING, PAST_DUE) or subscription.billing_period not in MONTHS:
        return None
    if subscription.next_payment_at is None or not subscription.price_minor or subscription.cancel_at_period_end:
        return None  # cancelled at the period end: "Ends on" says when instead
    return local(subscription.next_payment_at, current_user).date(), format_price(subscription.price_minor, subscription.currency)


@dataclass
class ProgramMoney:
    """A program's paying clients and its monthly recurring revenue, {currency: minor units}."""

    paying: int = 0
    monthly: dict = field(default_factory=dict)

    @property
    def monthly_text(self):
        """'£1,287.00' ('£99.00 + $45.00' in two currencies); '' when nothing recurs."""
        return " + ".join(format_price(minor, currency) for currency, minor in sorted(self.monthly.items()))


def program_money(program_id):
    """Active paying clients and monthly recurring revenue of a program: one grouped query,
    whatever page of clients is on screen. Weekly prices count 52/12 a month, yearly 1/12;
    one-off prices and trials are not recurring revenue."""
    money, exact = ProgramMoney(), {}
    rows = db.session.execute(
        select(Subscription.billing_period, Subscription.currency, func.count(), func.sum(Subscription.price_minor))
        .where(Subscription.program_id == program_id, Subscription.status == ACTIVE, Subscription.payment.in_(PAYING))
        .group_by(Subscription.billing_period, Subscription.currency)
    ).all()
    for period, currency, paying, total in rows:
        money.paying += paying
        if period in MONTHS and total:
            exact[currency] = exact.get(currency, Decimal(0)) + total * MONTHS[period]
    money.monthly = {currency: int(amount.quantize(Decimal(1), ROUND_HALF_UP)) for currency, amount in exact.items()}
    return money


# --- the CSV of payments ------------------------------------------------------------------------

HEADER = ("Date", "Client", "Program", "Kind", "Amount", "Currency", "Stripe id")


def cell(value):
    """A cell a spreadsheet shows as text: one starting like a formula (= + - @, or a tab or
    carriage return) gets a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payments_csv(coach, program_id=None):
    """The coach's payments (one program's, with `program_id`), newest first, as CSV text."""
    query = select(Payment).where(Payment.coach_id == coach.id).order_by(Payment.paid_at.desc(), Payment.id.desc())
    if program_id is not None:
        query = query.where(Payment.program_id == program_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for p in db.session.scalars(query):
        writer.writerow([cell(v) for v in (local(p.paid_at, coach).date().isoformat(), p.client_name, p.program_name,
                                           p.kind_label, to_major_text(p.amount_minor, p.currency), p.currency, p.stripe_id)])  # fmt: skip
    return out.getvalue()


@bp.route("/payments.csv")
@login_required
def all_payments_csv():
    """Download payments: every payment of my clients, across my programs, as a CSV file."""
    return attachment(payments_csv(current_user), "fitr-payments.csv", "text/csv")


@bp.route("/programs/<int:program_id>/payments.csv")
@login_required
def program_payments_csv(program_id):
    """Download payments of one of my programs, as a CSV file."""
    program = owned_program(program_id)
    return attachment(payments_csv(current_user, program.id), f"fitr-payments-program-{program.id}.csv", "text/csv")
