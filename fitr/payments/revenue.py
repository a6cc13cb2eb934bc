"""A program's money: its paying clients and monthly recurring revenue, in one grouped query
whatever the number of clients."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from fitr.extensions import db
from fitr.programs.prices import format_price
from fitr.subscriptions.models import ACTIVE, OUTSIDE, PAID, PAST_DUE, Subscription

# Paying clients: those whose money comes in (by card, a failed card still in its grace period,
# or paid outside fitr). A trial, a complimentary client or one awaiting payment pays nothing yet.
PAYING = (PAID, PAST_DUE, OUTSIDE)
MONTHS = {"monthly": Decimal(1), "weekly": Decimal(52) / 12, "yearly": Decimal(1) / 12}  # one-off: not recurring


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
