"""Questions about subscriptions, each one query whatever the number of clients."""

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager

from fitr.accounts.models import User
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


def _live(program_id, search):
    """The program's live subscriptions (matching `search` by name or email) and the name each
    is listed by."""
    name = func.coalesce(User.name, func.nullif(Subscription.client_name, ""), Subscription.client_email)
    query = (
        select(Subscription)
        .outerjoin(User, User.id == Subscription.client_id)
        .where(Subscription.program_id == program_id, Subscription.status.in_(LIVE))
    )
    if search:
        typed = search.lower()
        query = query.where(or_(func.lower(name).contains(typed, autoescape=True), Subscription.client_email.contains(typed, autoescape=True)))
    return query, name


def live_subscriptions(program_id, search="", limit=None):
    """The program's clients whose calendars can be written: active, then pending, by name;
    with `search`, those whose name or email holds it; at most `limit` of them. In SQL, so a
    program of a thousand clients is searched and cut by the database."""
    query, name = _live(program_id, search)
    query = query.options(contains_eager(Subscription.client)).order_by(
        case((Subscription.status == ACTIVE, 0), else_=1), func.lower(name), Subscription.id
    )
    if limit is not None:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def live_count(program_id, search=""):
    """How many clients `live_subscriptions` finds in all."""
    query, _ = _live(program_id, search)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


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


def matching(pattern):
    """Subscriptions whose client's name or email is like `pattern` (a lower-case LIKE pattern
    escaped with a backslash); the query must join User on the subscription's client."""
    return or_(
        func.lower(Subscription.client_name).like(pattern, escape="\\"),
        Subscription.client_email.like(pattern, escape="\\"),
        func.lower(User.name).like(pattern, escape="\\"),
    )


def subscriptions_in(program_id, status, pattern=None, page=1, per_page=50):
    """One page of a program's subscriptions with this status (those matching the search
    `pattern`, see `matching`), their clients loaded, newest first; and whether a next page
    follows. One query, whatever the number of clients: the page is picked by sorting the
    subscriptions' ids, and only its rows are read in full (sorting a thousand full rows of
    subscription and client took three times as long)."""
    shown = (
        select(Subscription.id)
        .where(Subscription.program_id == program_id, Subscription.status == status, joined_if_ended())
        .order_by(*ORDER[status])
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    if pattern:
        shown = shown.outerjoin(User, User.id == Subscription.client_id).where(matching(pattern))
    query = (
        select(Subscription)
        .outerjoin(User, User.id == Subscription.client_id)
        .options(contains_eager(Subscription.client))
        .where(Subscription.id.in_(shown))
        .order_by(*ORDER[status])
    )
    rows = db.session.scalars(query).all()
    return rows[:per_page], len(rows) > per_page
