"""What the coach needs to act on, read from the calendars: who has too little training
scheduled ahead (Needs training), and whose session passed yesterday without a log (missed).

Both are about the client's own today, which is decided in SQL (ClientDays: from the few time
zones the clients have), so each list is sorted and cut to a page by SQL and the number of
queries never grows with the number of clients.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, func, literal, or_, select

from fitr.accounts.models import User
from fitr.accounts.rules import TIME_ZONES
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Calendar, Session
from fitr.clock import today_for
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.programs.models import GROUP, Program
from fitr.subscriptions.models import ACTIVE, Subscription


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
    client's start do not count). N = 0 turns it off. Two queries (_needing)."""
    return {n.subscription_id: n for n in _needing(coach_id, program_id, only)[0]}


def needs_training_first(coach_id, limit=50):
    """The first `limit` of the coach's clients who need training, by client name then program
    name, and how many there are in all: (list, count). Two queries, LIMITed in SQL."""
    return _needing(coach_id, None, None, limit)


def _needing(coach_id, program_id, only, limit=None):
    """(the NeedsTraining of the clients described at needs_training, by name, the first `limit`
    of them; how many there are in all).

    Its cost does not grow with how far ahead the coach has written: for each client it reads
    at most N distinct days from their today on (N the most any program asks: one LIMIT for
    the query)."""
    days = ClientDays.of_active(coach_id, program_id)
    if days is None:
        return [], 0
    today = days.today()
    most_wanted = select(func.max(Program.needs_training_days)).where(*_programs(coach_id, program_id)).scalar_subquery()
    planned_days = (
        select(Session.date)
        .where(Session.calendar_id == Calendar.id, Session.date >= today,
               or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date))  # fmt: skip
        .correlate(Calendar, Subscription, User)  # a derived table: correlated only when asked
        .distinct()
        .order_by(Session.date)
        .limit(most_wanted)
        .subquery()
    )
    ahead = select(func.count()).select_from(planned_days).scalar_subquery()
    query = (
        select(Subscription.id, Subscription.client_id, User.name, Program.id, Program.name, Program.type, ahead,
               Program.needs_training_days, func.count().over())  # fmt: skip
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == Subscription.client_id)
        .outerjoin(Calendar, _calendar_join())
        .where(
            *_active(coach_id, program_id, only),
            Program.needs_training_days > 0,
            # Program finished on their today: nothing more to write for them.
            or_(Subscription.ends_on.is_(None), Subscription.ends_on >= today),
            ahead < Program.needs_training_days,
        )
        .order_by(func.lower(User.name), func.lower(Program.name), Subscription.id)
    )
    rows = db.session.execute(query if limit is None else query.limit(limit)).all()
    return [NeedsTraining(*row[:-1]) for row in rows], (rows[0][-1] if rows else 0)


def _programs(coach_id, program_id):
    where = []
    if coach_id is not None:
        where.append(Program.coach_id == coach_id)
    if program_id is not None:
        where.append(Program.id == program_id)
    return where


def missed_yesterday(coach_id, limit=50):
    """The first `limit` sessions of the coach's active clients that passed on the client's
    yesterday with no log (Done or Skipped), by client name, and whether more did: (list,
    more). Two queries, LIMITed in SQL."""
    found = missed(coach_id, 1, limit + 1)
    return found[:limit], len(found) > limit


def missed(coach_id=None, days=1, limit=None):
    """The sessions of active clients (of one coach, or of every coach) that passed on one of the
    `days` days before the client's today with no log (Done or Skipped), within the dates the
    client could see them; by client name, then date; the first `limit` of them, when given.
    Two queries: the clients' time zones, then the sessions."""
    client_days = ClientDays.of_active(coach_id)
    if client_days is None:
        return []
    query = (
        select(Subscription.id, Program.coach_id, Subscription.client_id, User.name, Program.id,
               Program.name, Program.type, Session.id, Session.title, Session.date)  # fmt: skip
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == Subscription.client_id)
        .join(Calendar, _calendar_join())
        .join(Session, and_(Session.calendar_id == Calendar.id, Session.date >= client_days.today(-days),
                            Session.date < client_days.today()))  # fmt: skip
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id == Subscription.client_id))
        .where(
            *_active(coach_id, None),
            SessionLog.id.is_(None),
            or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date),
        )
        .order_by(func.lower(User.name), Session.date, Session.position, Session.id)
    )
    rows = db.session.execute(query if limit is None else query.limit(limit)).all()
    return [Missed(*row) for row in rows]


class ClientDays:
    """Each client's today, in SQL: a CASE on their time zone. The time zones the clients have
    are read first (a handful of rows however many clients) and each is given the date it is
    there now (clock.today_for), so a query can compare dates with the client's own today and
    still sort and LIMIT in SQL."""

    def __init__(self, todays):
        self.todays = todays  # {date: [time zone]}

    @classmethod
    def of_active(cls, coach_id, program_id=None):
        """The days of the active clients (of one coach, of one program, or everyone's); None
        when there are none. One query."""
        zones = db.session.scalars(
            select(User.time_zone)
            .distinct()
            .join(Subscription, Subscription.client_id == User.id)
            .join(Program, Program.id == Subscription.program_id)
            .where(*_active(coach_id, program_id))
            .limit(len(TIME_ZONES))  # a user's is one of these (accounts.rules.check_time_zone)
        )
        todays = {}
        for name in zones:
            todays.setdefault(today_for(_Where(name)), []).append(name)
        return cls(todays) if todays else None

    def today(self, shift=0):
        """The client's today (plus `shift` days) as a SQL expression."""
        # The largest group needs no test: it is the ELSE (and the only one, most of the time).
        *others, (most, _) = sorted(self.todays.items(), key=lambda item: len(item[1]))
        return case(
            *((User.time_zone.in_(zones), literal(day + timedelta(days=shift), Date)) for day, zones in others),
            else_=literal(most + timedelta(days=shift), Date),
        ) if others else literal(most + timedelta(days=shift), Date)  # fmt: skip


@dataclass(frozen=True)
class _Where:
    """Just enough of a user for clock.today_for: their time zone."""

    time_zone: str | None
