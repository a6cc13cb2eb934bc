"""A subscription's life: added (pending), joined, ended, moved, finished. Plain functions that
flush but never commit (end_lapsed, which then talks to Stripe, says when it commits). Each
status change is one conditional UPDATE, so two requests racing (a double click, two tabs, a
webhook sent twice) cannot both change it. They raise SubscriptionError with a message a person
can act on (a card payment's refusals are paying.PaymentChoiceError, Stripe's PaymentError)."""

import logging
from datetime import timedelta

from flask import url_for
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from fitr.calendars.copying import seed_calendar, template_weeks
from fitr.calendars.models import FIRST_DATE, LAST_DATE
from fitr.calendars.rules import CalendarError
from fitr.cards import stripe_api
from fitr.cards.stripe_api import PaymentError
from fitr.clock import today_for, utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.lifecycle import paying
from fitr.notices import rules as notices
from fitr.notices.models import JOINED
from fitr.programs.models import FIXED, Program
from fitr.programs.rules import default_start
from fitr.subscriptions.models import ACTIVE, ENDED, LIVE, PAST_DUE, PENDING, Subscription

log = logging.getLogger(__name__)


class SubscriptionError(RuleError):
    """A subscription rule refused."""


# --- added and joined --------------------------------------------------------------------------


def add_pending(program_id, email, name="", start_date=None):
    """A pending subscription of `email` (lower-cased) to the program: the client is invited or
    added manually and has not joined. The live-email unique index refuses a second one."""
    subscription = Subscription(
        program_id=program_id, client_email=email, client_name=name, status=PENDING, start_date=start_date
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def join(subscription, program, client, now=None, start_date=None, paid=""):
    """The client joins (by invite, by invite link, from a program's public page, or once Stripe
    confirms their payment): their pending subscription becomes active from its start date (or
    the program's default for them), their own calendar is seeded from the template (Fixed
    Length: with the day it finishes), and the coach is told. `start_date`: the day a Session 1
    Day 1 client picked, kept for when the payment comes. A paid program with card payments on
    waits for Stripe first (Awaiting payment): False. `paid`: Stripe confirmed, in this payment
    state (PAID, TRIALING): the price it was sold at stays."""
    now = now or utcnow()
    if start_date is not None:
        subscription.start_date = start_date
    if not paid:
        if paying.needs_checkout(subscription, program):
            paying.await_payment(subscription, program, client)
            return False
        paying.sell(subscription, program)
    entered = added_as(subscription, client)  # before activate() puts the client's own name
    start = subscription.start_date or default_start(program, today_for(client))
    activate(subscription, client, start, now)
    if paid:
        subscription.payment = paid
    place(program, subscription, start)
    joined = "paid and joined" if paid else "joined"
    notices.tell(program.coach_id, f"{joined_name(client, entered)} {joined} {program.name}",
                 url_for("clients.program_tab", program_id=program.id, tab="active"), kind=JOINED, program_id=program.id, client_id=client.id)  # fmt: skip
    return True


def activate(subscription, client, start, now=None):
    """The status change of joining: a pending subscription becomes active for `client` from
    `start` (join() does the rest). Raises SubscriptionError("used") when it is no longer
    pending (someone else got there first)."""
    activated = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == PENDING)
        .values(status=ACTIVE, client_id=client.id, client_name=client.name, started_at=now or utcnow(), start_date=start)
        .execution_options(synchronize_session=False)
    ).rowcount
    if activated != 1:
        raise SubscriptionError("This invite has already been accepted.", code="used")
    db.session.refresh(subscription)
    return subscription


def added_as(subscription, client):
    """The name the coach entered for a manually added client, when the client joined under
    another one (their own replaces it everywhere, so the coach is told both once); else ""."""
    entered = " ".join((subscription.client_name or "").split())
    if entered and entered.casefold() != " ".join(client.name.split()).casefold():
        return entered
    return ""


def joined_name(client, entered=""):
    """How the coach is told who joined: "Robert Smith (you added them as Bob Smith)"."""
    return f"{client.name} (you added them as {entered})" if entered else client.name


def place(program, subscription, start):
    """The subscriber's calendar (seed_calendar: from the template, from `start`) and, in a
    Fixed Length program, the day they finish: the last day of the template as placed from
    `start`. After it, in the client's own today, they are Program finished (the subscription
    stays active). Returns the calendar."""
    calendar = seed_calendar(program, subscription, start)
    if program.type == FIXED and start is not None:
        weeks = template_weeks(program)
        subscription.ends_on = start + timedelta(days=7 * weeks - 1) if weeks else None
        db.session.flush()
    return calendar


def dismiss_welcome(subscription, now=None):
    """The client read the program's welcome: Today stops showing it."""
    subscription.welcome_dismissed_at = subscription.welcome_dismissed_at or now or utcnow()


# --- ended -------------------------------------------------------------------------------------


def end(subscription, now=None, refund=False, card=True):
    """End subscription (the coach's, or their Cancel payment now): the client moves to Past
    clients; their calendar and history stay. A client who pays by card through fitr has that
    payment stopped in Stripe first (`refund`: their last payment refunded); Stripe failing
    changes nothing. `card=False`: Stripe ended the payment itself (its webhook)."""
    if card and subscription.paid_by_card:
        paying.stop_card(subscription, refund)
    ended = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == ACTIVE)
        .values(status=ENDED, ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if ended != 1:
        raise SubscriptionError("This subscription is not active.", code="not_active")
    db.session.expire(subscription)


def end_pending(subscription_ids, now=None):
    """Pending subscriptions whose invite was revoked or expired end without ever starting (the
    client never joined). `subscription_ids`: ids, or a SELECT of them. One UPDATE."""
    db.session.execute(
        update(Subscription)
        .where(Subscription.status == PENDING, Subscription.id.in_(subscription_ids))
        .values(status=ENDED, ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def end_every(client_id, now=None):
    """The client deleted their account: every live subscription of theirs (pending ones too)
    ends now. Their card payments are stopped first, each with end(). One UPDATE."""
    db.session.execute(
        update(Subscription)
        .where(Subscription.client_id == client_id, Subscription.status.in_(LIVE))
        .values(status=ENDED, ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def end_lapsed(now=None, client_id=None):
    """End every subscription (or `client_id`'s) whose payment failed and whose grace period
    has passed by `now`: they become Past clients at the end of their grace period (history and
    calendar kept). One UPDATE, committed; then each Stripe subscription is cancelled so the
    card is not charged again (a failure there is logged: Stripe's own retries then end it).
    Returns the ids of the subscriptions ended."""
    now = now or utcnow()
    query = update(Subscription).where(
        Subscription.status == ACTIVE, Subscription.payment == PAST_DUE, Subscription.grace_ends_at <= now
    )
    if client_id is not None:
        query = query.where(Subscription.client_id == client_id)
    ended = db.session.execute(
        query.values(status=ENDED, ended_at=Subscription.grace_ends_at)
        .returning(Subscription.id, Subscription.stripe_subscription_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not ended:
        return []
    db.session.commit()
    for subscription_id, stripe_subscription_id in ended:
        if stripe_subscription_id and stripe_api.configured():
            try:
                stripe_api.cancel_now(stripe_subscription_id)
            except PaymentError:
                log.warning("payments: subscription %s ended unpaid; cancelling it in Stripe failed", subscription_id)
    return [subscription_id for subscription_id, _ in ended]


def settle_lapsed(loaded, now=None):
    """Where a client's access is checked: if any of these loaded subscriptions has lapsed,
    end the client's lapsed subscriptions now (no job needed). True when something ended (the
    caller loads them again). No query when none has lapsed."""
    now = now or utcnow()
    lapsed = [s for s in loaded if s.lapsed(now)]
    if not lapsed:
        return False
    return bool(end_lapsed(now, client_id=lapsed[0].client_id))


# --- moved -------------------------------------------------------------------------------------


def move(subscription, target_program, start_date, payment_choice="", now=None):
    """Move to program: the client's subscription ends (its calendar is kept, read-only) and a
    new active one starts on `start_date` in `target_program` (another published program of the
    same coach, or the same one to re-subscribe a past client), linked to the old one, with its
    own calendar from the target's template. A card payment is kept going or cancelled as
    `payment_choice` says (paying.CHOICES; Stripe is told last: its failure raises and the caller
    keeps nothing); a mark carries over. History and Personal Records belong to the client and
    are not touched. Returns the new subscription."""
    now = now or utcnow()
    check_move(subscription, target_program, start_date)
    card = subscription.card_renews  # asked before the move ends it
    if subscription.status == ACTIVE:
        ended = db.session.execute(
            update(Subscription)
            .where(Subscription.id == subscription.id, Subscription.status == ACTIVE)
            .values(status=ENDED, ended_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if ended != 1:
            raise SubscriptionError("This client was moved or ended in another tab. Reload the page.")
        subscription.status, subscription.ended_at = ENDED, now
    new = Subscription(program_id=target_program.id, client_id=subscription.client_id, client_name=subscription.client_name,
                       client_email=subscription.client_email, status=ACTIVE, start_date=start_date, started_at=now,
                       moved_from_id=subscription.id)  # fmt: skip
    db.session.add(new)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise SubscriptionError(f"This client is already in {target_program.name}.", "program", code="already_in") from error
    try:
        place(target_program, new, start_date)
    except CalendarError as error:
        raise SubscriptionError(error.message, "start_date") from error
    stripe_id = paying.carry_payment(subscription, new, payment_choice, card)
    if stripe_id:
        paying.tell_stripe(stripe_id, payment_choice, new)
    return new


def check_move(subscription, target_program, start_date):
    """Refuse a move the coach cannot make: to a program not theirs or not published, without
    a start date (or one outside 2000-2099), of a client who has not joined, or into a program
    they are already in."""
    source = db.session.get(Program, subscription.program_id)
    if target_program is None or target_program.coach_id != source.coach_id:
        raise SubscriptionError("Choose one of your programs.", "program")
    if not target_program.is_published:
        raise SubscriptionError("Choose a published program: publish it first to add clients.", "program")
    if start_date is None:
        raise SubscriptionError("Choose a start date.", "start_date")
    if not FIRST_DATE <= start_date <= LAST_DATE:
        raise SubscriptionError("Choose a date between 2000 and 2099.", "start_date")
    if subscription.status == PENDING or subscription.client_id is None:
        raise SubscriptionError("This client has not joined yet: only a client who joined can be moved.")
    already = db.session.scalar(
        select(Subscription.id).where(
            Subscription.program_id == target_program.id,
            Subscription.id != subscription.id,
            Subscription.status.in_(LIVE),
            or_(Subscription.client_id == subscription.client_id, Subscription.client_email == subscription.client_email),
        )
    )
    if already is not None:
        raise SubscriptionError(f"This client is already in {target_program.name}.", "program", code="already_in")
