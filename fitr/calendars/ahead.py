"""What the coach needs to act on, read from the calendars: who has too little training
scheduled ahead (Needs training), and whose session passed yesterday without a log (missed).

Both are about the client's own today, which differs from the server's (UTC) date by at most a
day either way; each query fetches the three candidate days at once and picks the client's in
Python, so the number of queries never grows with the number of clients.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Calendar, Session
from fitr.clock import today_for, utcnow
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.programs.models import GROUP, Program
from fitr.subscriptions.models import ACTIVE, Subscription

SHIFTS = (-1, 0, 1)  # every time zone's today is within a day of UTC's


@dataclass(frozen=True)
class NeedsTraining:
    """An active client with fewer days of training scheduled ahead than their program asks."""

    subscription_id: int
    client_id: int
    client_name: str
    program_id: int
    program_name: str
    program_type: str
    days_ahead: int  # days from the client's today on with at least one session
    wanted: int  # the program's Needs training threshold


@dataclass(frozen=True)
class Missed:
    """A session that passed (on a day before the client's today) without a log."""

    subscription_id: int
    coach_id: int
    client_id: int
    client_name: str
    program_id: int
    program_name: str
    program_type: str
    session_id: int
    title: str
    day: date

    @property
    def calendar_link(self):
        """That day of the client's calendar (the program's shared one, for a Group)."""
        if self.program_type == GROUP:
            return f"/programs/{self.program_id}/shared-calendar?date={self.day.isoformat()}"
        return f"/programs/{self.program_id}/clients/{self.subscription_id}/calendar?date={self.day.isoformat()}"


def _calendar_join():
    """A subscription's sessions: its own calendar's (1-2-1), or its program's shared one (Group).
    Each side of the OR has an index of its own (calendar.subscription_id, and the program's one
    shared calendar): with the program's id outside the OR, a program of a thousand clients read
    a thousand calendars for each client."""
    return or_(
        and_(Calendar.subscription_id == Subscription.id, Calendar.kind == CLIENT_CALENDAR),
        and_(Calendar.program_id == Subscription.program_id, Calendar.kind == SHARED_CALENDAR),
    )


def _active(coach_id, program_id, only=None):
    where = [Subscription.status == ACTIVE, Subscription.client_id.is_not(None)]
    if only is not None:
        where.append(Subscription.id.in_(list(only)))
    return where + _programs(coach_id, program_id)


def needs_training(coach_id, program_id=None, only=None):
    """{subscription id: NeedsTraining} of the coach's active clients (of one program, if asked;
    of the subscriptions `only` lists, if given: a page of them) with fewer than the program's N
    days of training scheduled from their today on (today included; sessions before the
    client's start do not count). N = 0 turns it off. One query.

    Its cost does not grow with how far ahead the coach has written: for each client it reads
    at most N days from the day after UTC's tomorrow-or-today on (the most any program asks,
    one LIMIT for the query), and looks up the two days before that; a client with N days
    there has N from every possible today, and is left out in SQL."""
    base = utcnow().date()
    first, later_from = base + timedelta(days=SHIFTS[0]), base + timedelta(days=SHIFTS[-1])
    since_start = or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date)
    most_wanted = select(func.max(Program.needs_training_days)).where(*_programs(coach_id, program_id)).scalar_subquery()
    later_days = (
        select(Session.date)
        .where(Session.calendar_id == Calendar.id, Session.date >= later_from, since_start)
        .correlate(Calendar, Subscription)  # a derived table: correlated only when asked
        .distinct()
        .order_by(Session.date)
        .limit(most_wanted)
        .subquery()
    )
    later = select(func.count()).select_from(later_days).scalar_subquery()
    on_day = [  # the days before `later_from`, from `first` on
        select(Session.id).where(Session.calendar_id == Calendar.id, Session.date == base + timedelta(days=shift), since_start).exists()
        for shift in SHIFTS[:-1]
    ]
    rows = db.session.execute(
        select(Subscription.id, Subscription.client_id, User.name, User.time_zone, Program.id, Program.name,
               Program.type, Program.needs_training_days, Subscription.ends_on, later, *on_day)  # fmt: skip
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == Subscription.client_id)
        .outerjoin(Calendar, _calendar_join())
        .where(*_active(coach_id, program_id, only), Program.needs_training_days > 0, later < Program.needs_training_days)
    ).all()
    found = {}
    for sub_id, client_id, name, time_zone, prog_id, prog_name, prog_type, wanted, ends_on, ahead, *before in rows:
        today = today_for(_Where(time_zone))
        if ends_on is not None and today > ends_on:
            continue  # Program finished: nothing more to write for them
        ahead += sum(bool(b) for b in before[(today - first).days :])  # the days from their today to `later_from`
        if ahead < wanted:
            found[sub_id] = NeedsTraining(sub_id, client_id, name, prog_id, prog_name, prog_type, ahead, wanted)
    return found


def _programs(coach_id, program_id):
    where = []
    if coach_id is not None:
        where.append(Program.coach_id == coach_id)
    if program_id is not None:
        where.append(Program.id == program_id)
    return where


def missed_yesterday(coach_id, limit=50):
    """The sessions of the coach's active clients that passed on the client's yesterday with no
    log (Done or Skipped), by client name. One query."""
    return missed(coach_id, days=1)[:limit]


def missed(coach_id=None, days=1):
    """The sessions of active clients (of one coach, or of every coach) that passed on one of the
    `days` days before the client's today with no log (Done or Skipped), within the dates the
    client could see them; by client name, then date. One query."""
    base = utcnow().date()
    rows = db.session.execute(
        select(Subscription.id, Program.coach_id, Subscription.client_id, User.name, User.time_zone, Program.id,
               Program.name, Program.type, Session.id, Session.title, Session.date)  # fmt: skip
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == Subscription.client_id)
        .join(Calendar, _calendar_join())
        .join(Session, Session.calendar_id == Calendar.id)
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id == Subscription.client_id))
        .where(
            *_active(coach_id, None),
            SessionLog.id.is_(None),
            Session.date.between(base - timedelta(days=days + 1), base),
            or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date),
        )
        .order_by(func.lower(User.name), Session.date, Session.position, Session.id)
    ).all()
    found = []
    for sub_id, coach, client_id, name, time_zone, prog_id, prog_name, prog_type, session_id, title, day in rows:
        today = today_for(_Where(time_zone))
        if today - timedelta(days=days) <= day < today:
            found.append(Missed(sub_id, coach, client_id, name, prog_id, prog_name, prog_type, session_id, title, day))
    return found


@dataclass(frozen=True)
class _Where:
    """Just enough of a user for clock.today_for: their time zone."""

    time_zone: str | None
