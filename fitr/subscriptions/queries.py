"""Questions about subscriptions, each one query whatever the number of clients."""

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from fitr.extensions import db
from fitr.subscriptions.models import ACTIVE, ENDED, LIVE, PENDING, Subscription

# How each list of a program's clients is ordered: newest first.
ORDER = {
    ACTIVE: (Subscription.start_date.desc(), Subscription.id.desc()),
    PENDING: (Subscription.created_at.desc(), Subscription.id.desc()),
    ENDED: (Subscription.ended_at.desc(), Subscription.id.desc()),
}


def joined_if_ended():
    """Past clients are those who joined and left; an invite revoked or expired before they
    joined also ends its pending subscription, but that person was never a client."""
    return or_(Subscription.status != ENDED, Subscription.started_at.is_not(None))


def live_subscription(program_id, email):
    """This address's pending or active subscription to the program, if any."""
    return db.session.scalar(
        select(Subscription).where(
            Subscription.program_id == program_id, Subscription.client_email == email, Subscription.status.in_(LIVE)
        )
    )


def live_subscriptions(program_id):
    """The program's clients whose calendars can be written: active, then pending, by name."""
    subscriptions = db.session.scalars(
        select(Subscription)
        .where(Subscription.program_id == program_id, Subscription.status.in_(LIVE))
        .options(joinedload(Subscription.client))
    ).all()
    return sorted(subscriptions, key=lambda s: (s.status != ACTIVE, s.display_name.lower(), s.id))


def subscription_count(program_id):
    """Every subscription the program ever had, whatever its status."""
    return db.session.scalar(
        select(func.count()).select_from(Subscription).where(Subscription.program_id == program_id)
    )


def client_counts(program_id):
    """{'active': n, 'pending': n, 'ended': n} for one program."""
    rows = db.session.execute(
        select(Subscription.status, func.count())
        .where(Subscription.program_id == program_id, joined_if_ended())
        .group_by(Subscription.status)
    ).all()
    counts = {ACTIVE: 0, PENDING: 0, ENDED: 0}
    counts.update({status: count for status, count in rows})
    return counts


def counts_by_program(program_ids):
    """A subquery of (program_id, active, pending, ended) for the programs in `program_ids` (a
    SELECT of ids), to join onto a list of programs."""
    return (
        select(
            Subscription.program_id.label("program_id"),
            func.sum(case((Subscription.status == ACTIVE, 1), else_=0)).label("active"),
            func.sum(case((Subscription.status == PENDING, 1), else_=0)).label("pending"),
            func.sum(case((Subscription.status == ENDED, 1), else_=0)).label("ended"),
        )
        .where(Subscription.program_id.in_(program_ids))
        .group_by(Subscription.program_id)
        .subquery()
    )


def subscriptions_in(program_id, status):
    """A program's subscriptions with this status, their clients loaded, newest first."""
    return db.session.scalars(
        select(Subscription)
        .options(joinedload(Subscription.client))
        .where(Subscription.program_id == program_id, Subscription.status == status, joined_if_ended())
        .order_by(*ORDER[status])
    ).all()
