"""What a coach sees of one client: their subscriptions in the coach's programs, recent logs and
adherence over the last four weeks (Personal Records come from fitr.history.records). Only what
the client did in this coach's programs."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fitr.calendars.models import Session
from fitr.calendars.rules import calendar_ids
from fitr.extensions import db
from fitr.history.models import DONE, SKIPPED, SessionLog
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription

ADHERENCE_DAYS = 28


def coach_subscriptions_of(client_id, coach_id):
    """The client's subscriptions (active and ended) in this coach's programs, program loaded."""
    return db.session.scalars(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Subscription.client_id == client_id,
            Program.coach_id == coach_id,
            Subscription.status.in_((ACTIVE, ENDED)),
        )
        .options(joinedload(Subscription.program))
        .order_by(Subscription.id)
    ).all()


def recent_logs(client_id, subscription_ids, limit=10):
    """The client's latest logs made through these subscriptions, sets loaded."""
    if not subscription_ids:
        return []
    return db.session.scalars(
        select(SessionLog)
        .where(SessionLog.user_id == client_id, SessionLog.subscription_id.in_(list(subscription_ids)))
        .options(selectinload(SessionLog.sets))
        .order_by(SessionLog.date.desc(), SessionLog.id.desc())
        .limit(limit)
    ).all()


@dataclass
class Adherence:
    first: date
    last: date
    planned: int
    done: int
    skipped: int

    @property
    def missed(self):
        return self.planned - self.done - self.skipped

    @property
    def percent(self):
        return round(100 * self.done / self.planned) if self.planned else None


def adherence(client_id, coach_id, today):
    """Done / planned over the last 4 weeks (the 28 days to today) across the coach's programs
    the client is in. Planned: sessions on their calendars while subscribed, up to yesterday,
    plus today's once logged (a session later today is not missed yet)."""
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    subscriptions = coach_subscriptions_of(client_id, coach_id)
    calendars = calendar_ids(subscriptions)
    conditions = []
    for s in subscriptions:
        if s.id not in calendars:
            continue
        lo = max(first, s.start_date or first)
        hi = min(today, s.ended_at.date() if s.status == ENDED and s.ended_at else today)
        if lo <= hi:
            conditions.append(and_(Session.calendar_id == calendars[s.id], Session.date.between(lo, hi)))
    if not conditions:
        return Adherence(first, today, 0, 0, 0)
    rows = db.session.execute(
        select(Session.id, Session.date, SessionLog.status)
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id == client_id))
        .where(or_(*conditions))
    ).all()
    planned = [row for row in rows if row.date < today or row.status is not None]
    return Adherence(
        first,
        today,
        planned=len(planned),
        done=sum(1 for row in planned if row.status == DONE),
        skipped=sum(1 for row in planned if row.status == SKIPPED),
    )
