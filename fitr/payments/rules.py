"""A paid subscription's life: sold at the program's price, awaiting payment while the client
is on Checkout, active once Stripe confirms, marked paid outside fitr or complimentary by the
coach. Plain functions that flush but never commit."""

from sqlalchemy import update

from fitr.accounts.models import User
from fitr.calendars.copying import seed_calendar
from fitr.clock import today_for, utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.notices import rules as notices
from fitr.notices.models import JOINED
from fitr.payments.stripe_api import configured
from fitr.programs.models import Program
from fitr.programs.rules import default_start
from fitr.subscriptions import rules as subscriptions
from fitr.subscriptions.models import AWAITING, COMPLIMENTARY, OUTSIDE, PENDING, Subscription

MARKS = {OUTSIDE: "Paid outside fitr", COMPLIMENTARY: "Complimentary", "": "Not marked"}


class MarkError(RuleError):
    """The coach's mark cannot be applied."""


def sell(subscription, program):
    """The price the subscription is sold at, kept on it: a later price change applies to new
    subscribers only."""
    subscription.price_minor = program.price_minor
    subscription.currency = program.currency
    subscription.billing_period = program.billing_period
    subscription.trial_days = program.trial_days or 0


def needs_checkout(subscription, program):
    """Joining this paid program means paying by card first (Stripe configured, and the coach
    did not make it complimentary or paid outside fitr)."""
    return not program.is_free and configured() and subscription.payment not in (COMPLIMENTARY, OUTSIDE)


def await_payment(subscription, program, client):
    """The client joined a paid program and goes to Checkout: the subscription stays pending,
    now theirs, Awaiting payment, at today's price. One conditional UPDATE (a second tab
    cannot take it)."""
    done = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == PENDING)
        .values(client_id=client.id, client_name=client.name, payment=AWAITING, price_minor=program.price_minor,
                currency=program.currency, billing_period=program.billing_period, trial_days=program.trial_days or 0)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise subscriptions.SubscriptionError("This invite has already been accepted.", code="used")
    db.session.refresh(subscription)
    return subscription


def activate_paid(subscription, payment, now=None):
    """Stripe confirmed the payment (or the trial): the subscription becomes active from its
    start date (or the program's default start for the client), the 1-2-1 calendar is seeded
    and the coach told, as when a client joins a free program. Returns False when it was not
    awaiting payment (already active, ended, never sold): nothing changes then but its state."""
    now = now or utcnow()
    if subscription.status != PENDING or subscription.client_id is None:
        return False
    program = db.session.get(Program, subscription.program_id)
    client = db.session.get(User, subscription.client_id)
    start_date = subscription.start_date or default_start(program, today_for(client))
    subscriptions.activate(subscription, client, start_date, now)
    subscription.payment = payment
    seed_calendar(program, subscription, start_date)
    notices.tell(program.coach_id, f"{client.name} paid and joined {program.name}",
                 f"/programs/{program.id}/clients/active", kind=JOINED, program_id=program.id, client_id=client.id)  # fmt: skip
    return True


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
