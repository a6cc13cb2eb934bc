"""The life of a subscription: added (pending), activated when the client joins, ended, or moved
to another program. Plain functions that flush but never commit; each status change is one
conditional UPDATE, so two requests racing (a double click, two tabs) cannot both change it.
They raise SubscriptionError with a message a person can act on."""

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.subscriptions.models import ACTIVE, ENDED, LIVE, PENDING, Subscription


class SubscriptionError(RuleError):
    """A subscription rule refused."""


def add_pending(program_id, email, name="", start_date=None):
    """A pending subscription of `email` (lower-cased) to the program: the client is invited or
    added manually and has not joined. The live-email unique index refuses a second one."""
    subscription = Subscription(
        program_id=program_id, client_email=email, client_name=name, status=PENDING, start_date=start_date
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def activate(subscription, client, start, now=None):
    """The client joins: a pending subscription becomes active for them from `start`. Raises
    SubscriptionError("used") when it is no longer pending (someone else got there first)."""
    now = now or utcnow()
    activated = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == PENDING)
        .values(status=ACTIVE, client_id=client.id, client_name=client.name, started_at=now, start_date=start)
        .execution_options(synchronize_session=False)
    ).rowcount
    if activated != 1:
        raise SubscriptionError("This invite has already been accepted.", code="used")
    db.session.refresh(subscription)
    return subscription


def end(subscription, now=None):
    """End subscription: the client moves to Past clients; their calendar and history stay."""
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


def move(subscription, target_program, start_date, now=None):
    """Move a client to a new subscription: the old one ends (if still active) and a new active
    one starts on `start_date` in the target program (another program, or the same one to
    re-subscribe a past client), linked to the old one. Returns the new subscription."""
    now = now or utcnow()
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
    new = Subscription(
        program_id=target_program.id,
        client_id=subscription.client_id,
        client_name=subscription.client_name,
        client_email=subscription.client_email,
        status=ACTIVE,
        start_date=start_date,
        started_at=now,
        moved_from_id=subscription.id,
    )
    db.session.add(new)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise SubscriptionError(f"This client is already in {target_program.name}.", "program", code="already_in") from error
    return new


def dismiss_welcome(subscription, now=None):
    """The client read the program's welcome: Today stops showing it."""
    subscription.welcome_dismissed_at = subscription.welcome_dismissed_at or now or utcnow()
