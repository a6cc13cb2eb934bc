"""What a client may see: the dates of each subscription's calendar they can look at (from
their start to today plus the program's Clients can see ahead), the sessions in them, and one
session of theirs."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Prescription, Session
from fitr.calendars.rules import calendar_ids
from fitr.calendars.window import visible_window
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, AWAITING, ENDED, PENDING, Subscription


def client_subscriptions(user_id, statuses=(ACTIVE, ENDED)):
    """The user's subscriptions as a client (active first, then by start, then those Awaiting
    payment, which they can Finish paying), program and coach loaded."""
    return db.session.scalars(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Subscription.client_id == user_id,
            or_(Subscription.status.in_(statuses), and_(Subscription.status == PENDING, Subscription.payment == AWAITING)),
        )
        .options(joinedload(Subscription.program).joinedload(Program.coach))
        .order_by(Subscription.status, Subscription.start_date.desc(), Subscription.id.desc())
    ).all()


@dataclass
class Planned:
    """A session the client may see, with the subscription it came through."""

    session: Session
    subscription: Subscription


def visible_sessions(subscriptions, first, last, today, client=None):
    """The sessions from `first` to `last` the client may see in these subscriptions, each cut to
    its visible window (`today` and `client`: see visible_window), prescriptions and exercises
    loaded: three queries however many."""
    calendars = calendar_ids(subscriptions)
    ranges = {}
    for s in subscriptions:
        window = visible_window(s, today, client=client)
        clipped = window.clip(first, last) if window and s.id in calendars else None
        if clipped:
            ranges[s.id] = clipped
    if not ranges:
        return []
    through = {}
    conditions = []
    for s in subscriptions:
        if s.id in ranges:
            calendar_id = calendars[s.id]
            through[calendar_id] = s
            lo, hi = ranges[s.id]
            conditions.append(and_(Session.calendar_id == calendar_id, Session.date.between(lo, hi)))
    sessions = db.session.scalars(
        select(Session)
        .where(or_(*conditions))
        .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        .order_by(Session.date, Session.calendar_id, Session.position, Session.id)
    ).all()
    return [Planned(session, through[session.calendar_id]) for session in sessions]


def find_own_session(user, session_id, today):
    """(session, subscription) when the session is on a calendar of one of the user's active
    subscriptions (their own, or their Group program's) and inside its visible window; else
    None. The session comes with its calendar, prescriptions and exercises."""
    session = db.session.scalar(
        select(Session)
        .where(Session.id == session_id)
        .options(
            joinedload(Session.calendar),
            selectinload(Session.prescriptions).joinedload(Prescription.exercise),
        )
    )
    if session is None:
        return None
    calendar = session.calendar
    where = [Subscription.client_id == user.id, Subscription.status == ACTIVE]
    if calendar.kind == CLIENT_CALENDAR:
        where.append(Subscription.id == calendar.subscription_id)
    elif calendar.kind == SHARED_CALENDAR:
        where.append(Subscription.program_id == calendar.program_id)
    else:
        return None
    subscription = db.session.scalar(
        select(Subscription).where(*where).options(joinedload(Subscription.program)).limit(1)
    )
    if subscription is None or subscription.lapsed(utcnow()):  # unpaid past its grace period
        return None
    if session.date not in visible_window(subscription, today, client=user):
        return None
    return session, subscription


def first_sessions(subscriptions, today, client=None):
    """{subscription id: the date of its first session from `today` on that the client may see}
    (none planned yet: left out). One query for them all."""
    calendars = calendar_ids(subscriptions)
    conditions, through = [], {}
    for s in subscriptions:
        window = visible_window(s, today, client=client)
        clipped = window.clip(today, today + timedelta(days=366)) if window and s.id in calendars else None
        if clipped:
            through[calendars[s.id]] = s.id
            conditions.append(and_(Session.calendar_id == calendars[s.id], Session.date.between(*clipped)))
    if not conditions:
        return {}
    rows = db.session.execute(
        select(Session.calendar_id, func.min(Session.date)).where(or_(*conditions)).group_by(Session.calendar_id)
    ).all()
    return {through[calendar_id]: day for calendar_id, day in rows}
