"""What the coach needs to act on, read from the calendars: who has too little training
scheduled ahead (Needs training), and whose session passed yesterday without a log (missed).

Both are about the client's own today, which is decided in SQL (ClientDays: from the few time
zones the clients have), so each list is sorted and cut to a page by SQL and the number of
queries never grows with the number of clients.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from fitr.accounts.models import User
from fitr.accounts.rules import TIME_ZONES
from fitr.calendars.links import calendar_day_url
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Calendar, Session
from fitr.clock import today_for
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.programs.models import Program
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
        return calendar_day_url(self.program_id, self.program_type, self.subscription_id, self.day)


def _with_calendar(statement):
    """The statement (of subscriptions) joined with each one's calendar: its own (1-2-1), or its
    program's shared one (Group); and that calendar's id. Two LEFT JOINs, each one index lookup
    (an OR in one join made SQLite merge two index searches for every client)."""
    own, shared = aliased(Calendar), aliased(Calendar)
    statement = statement.outerjoin(own, and_(own.subscription_id == Subscription.id, own.kind == CLIENT_CALENDAR)).outerjoin(
        shared, and_(shared.program_id == Subscription.program_id, shared.kind == SHARED_CALENDAR)
    )
    return statement, func.coalesce(own.id, shared.id), (own, shared)


# The statements below are built once per shape (functools.cache) and run with bound values:
# building a SELECT with subqueries costs SQLAlchemy about as much as SQLite takes to run it over
# a thousand clients, and Home, Clients and the program page run them on every visit.


def _active(one_coach, one_program, only=False):
    """The active clients' subscriptions: of the coach (bound "coach_id"), of the program
    ("program_id") and among the subscriptions `only` lists ("only"), as asked."""
    where = [Subscription.status == ACTIVE, Subscription.client_id.is_not(None)]
    if only:
        where.append(Subscription.id.in_(bindparam("only", expanding=True)))
    return where + _programs(one_coach, one_program)


def _programs(one_coach, one_program):
    where = []
    if one_coach:
        where.append(Program.coach_id == bindparam("coach_id"))
    if one_program:
        where.append(Program.id == bindparam("program_id"))
    return where


def needs_training(coach_id, program_id=None, only=None):
    """{subscription id: NeedsTraining} of the coach's active clients (of one program, if asked;
    of the subscriptions `only` lists, if given: a page of them) with fewer than the program's N
    days of training scheduled from their today on (today included; sessions before the
    client's start do not count). N = 0 turns it off. Two queries (_needing)."""
    return {n.subscription_id: n for n in _needing(coach_id, program_id, only)[0]}


def needs_training_first(coach_id, limit=50, days=None):
    """The first `limit` of the coach's clients who need training, by client name then program
    name, and how many there are in all: (list, count). Two queries, LIMITed in SQL (one, when
    given the ClientDays of the coach's active clients)."""
    return _needing(coach_id, None, None, limit, days)


def _needing(coach_id, program_id, only, limit=None, days=None):
    """(the NeedsTraining of the clients described at needs_training, by name, the first `limit`
    of them; how many there are in all)."""
    days = days or ClientDays.of_active(coach_id, program_id)
    if days is None:
        return [], 0
    statement = _needing_statement(len(days.groups), coach_id is not None, program_id is not None, only is not None,
                                   limit is not None)  # fmt: skip
    values = days.values(today=0) | {"coach_id": coach_id, "program_id": program_id, "only": list(only or ()), "limit": limit}
    rows = db.session.execute(statement, values).all()
    return [NeedsTraining(*row[:-1]) for row in rows], (rows[0][-1] if rows else 0)


@cache
def _needing_statement(groups, one_coach, one_program, only, limited):
    """Its cost does not grow with how far ahead the coach has written: for each client it reads
    at most N distinct days from their today on (N the most any program asks: one LIMIT)."""
    today = ClientDays.today(groups, "today")
    most_wanted = select(func.max(Program.needs_training_days)).where(*_programs(one_coach, one_program)).scalar_subquery()
    clients, calendar_id, calendars = _with_calendar(
        select(Subscription).join(Program, Program.id == Subscription.program_id).join(User, User.id == Subscription.client_id)
    )
    days = (
        select(Session.date)
        .where(Session.calendar_id == calendar_id, Session.date >= today,
               or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date))  # fmt: skip
        .correlate(*calendars, Subscription, User)  # a derived table: correlated only when asked
        .distinct()
    )
    # Any N of their days count the same (no ORDER BY: a sort per client cost a fifth).
    ahead = select(func.count()).select_from(days.limit(most_wanted).subquery()).scalar_subquery()
    # Most clients have N days written: whether their N-th day exists is one probe of the
    # index, and rules them out before their days are counted (at 1,000 clients, 2.1 to 1.3 ms).
    nth_day = select(func.max(Program.needs_training_days) - 1).where(*_programs(one_coach, one_program)).scalar_subquery()
    # From a derived table: SQLite drops the DISTINCT of an EXISTS's own select, and the LIMIT
    # of a scalar one, and a day written twice counted twice.
    nth = days.limit(1).offset(nth_day).subquery()
    short = ~select(nth.c.date).exists()
    statement = (
        clients.with_only_columns(Subscription.id, Subscription.client_id, User.name, Program.id, Program.name, Program.type,
                                  ahead, Program.needs_training_days, func.count().over(), maintain_column_froms=False)
        .where(
            *_active(one_coach, one_program, only),
            Program.needs_training_days > 0,
            # Program finished on their today: nothing more to write for them.
            or_(Subscription.ends_on.is_(None), Subscription.ends_on >= today),
            short,
            ahead < Program.needs_training_days,
        )
        .order_by(func.lower(User.name), func.lower(Program.name), Subscription.id)
    )
    return statement.limit(bindparam("limit")) if limited else statement


def missed_yesterday(coach_id, limit=50, client_days=None):
    """The first `limit` sessions of the coach's active clients that passed on the client's
    yesterday with no log (Done or Skipped), by client name, and whether more did: (list,
    more). Two queries, LIMITed in SQL (one, given the ClientDays of the coach's clients)."""
    found = missed(coach_id, 1, limit + 1, client_days)
    return found[:limit], len(found) > limit


def missed(coach_id=None, days=1, limit=None, client_days=None):
    """The sessions of active clients (of one coach, or of every coach) that passed on one of the
    `days` days before the client's today with no log (Done or Skipped), within the dates the
    client could see them; by client name, then date; the first `limit` of them, when given.
    Two queries: the clients' time zones (unless given: `client_days`), then the sessions."""
    client_days = client_days or ClientDays.of_active(coach_id)
    if client_days is None:
        return []
    statement = _missed_statement(len(client_days.groups), coach_id is not None, limit is not None)
    values = client_days.values(first=-days, today=0) | {"coach_id": coach_id, "limit": limit}
    return [Missed(*row) for row in db.session.execute(statement, values)]


@cache
def _missed_statement(groups, one_coach, limited):
    clients, calendar_id, _ = _with_calendar(
        select(Subscription.id, Program.coach_id, Subscription.client_id, User.name, Program.id,
               Program.name, Program.type, Session.id, Session.title, Session.date)  # fmt: skip
        .select_from(Subscription)
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == Subscription.client_id)
    )
    statement = (
        clients.join(Session, and_(Session.calendar_id == calendar_id, Session.date >= ClientDays.today(groups, "first"),
                                   Session.date < ClientDays.today(groups, "today")))  # fmt: skip
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id == Subscription.client_id))
        .where(
            *_active(one_coach, False),
            SessionLog.id.is_(None),
            or_(Subscription.start_date.is_(None), Session.date >= Subscription.start_date),
        )
        .order_by(func.lower(User.name), Session.date, Session.position, Session.id)
    )
    return statement.limit(bindparam("limit")) if limited else statement


class ClientDays:
    """Each client's today, in SQL: a CASE on their time zone. The time zones the clients have
    are read first (a handful of rows however many clients) and each is given the date it is
    there now (clock.today_for), so a query can compare dates with the client's own today and
    still sort and LIMIT in SQL."""

    def __init__(self, todays):
        # [(date, [time zone])], the largest group last: it is the ELSE (and, most of the
        # time, the only one).
        self.groups = sorted(todays.items(), key=lambda group: len(group[1]))

    @classmethod
    def of_active(cls, coach_id, program_id=None):
        """The days of the active clients (of one coach, of one program, or everyone's); None
        when there are none. One query."""
        statement = _zones_statement(coach_id is not None, program_id is not None)
        todays = {}
        for name in db.session.scalars(statement, {"coach_id": coach_id, "program_id": program_id}):
            todays.setdefault(today_for(_Where(name)), []).append(name)
        return cls(todays) if todays else None

    @staticmethod
    def today(groups, name):
        """The client's day called `name` (see values) as SQL, for a ClientDays of `groups`
        groups: bound "<name>_<i>" for each group, "zones_<i>" for each but the last."""
        days = [bindparam(f"{name}_{i}", type_=Date) for i in range(groups)]
        if groups == 1:
            return days[0]
        return case(*((User.time_zone.in_(bindparam(f"zones_{i}", expanding=True)), days[i]) for i in range(groups - 1)),
                    else_=days[-1])  # fmt: skip

    def values(self, **shifts):
        """The bound values of the days today() names: each the client's today plus its shift
        (in days), e.g. values(today=0, first=-1)."""
        found = {f"zones_{i}": zones for i, (_, zones) in enumerate(self.groups[:-1])}
        for name, shift in shifts.items():
            found |= {f"{name}_{i}": day + timedelta(days=shift) for i, (day, _) in enumerate(self.groups)}
        return found


@cache
def _zones_statement(one_coach, one_program):
    return (
        select(User.time_zone)
        .distinct()
        .join(Subscription, Subscription.client_id == User.id)
        .join(Program, Program.id == Subscription.program_id)
        .where(*_active(one_coach, one_program))
        .limit(len(TIME_ZONES))  # a user's is one of these (accounts.rules.check_time_zone)
    )


@dataclass(frozen=True)
class _Where:
    """Just enough of a user for clock.today_for: their time zone."""

    time_zone: str | None
