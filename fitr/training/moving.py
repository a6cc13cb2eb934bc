"""Move session: in a Session 1 Day 1 (self-paced) program the client moves their own upcoming
sessions, within the days they can see. The coach sees the new date on the client's calendar."""

from datetime import timedelta

from sqlalchemy import exists, select, update

from fitr.calendars import versions
from fitr.calendars.models import Session
from fitr.calendars.rules import next_positions
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.programs.models import SELF_PACED


class MoveError(RuleError):
    """A move the client cannot make; the message says what they can do."""


def move_range(subscription, today):
    """(first, last): the days a session can move to: from today (or the client's start, when
    later) to the last day they can see ahead."""
    first = max(today, subscription.start_date or today)
    return first, today + timedelta(days=subscription.program.client_see_ahead_days)


def can_move(session, subscription, today, logged):
    """Only in a Session 1 Day 1 program, an upcoming session (today or later) not yet logged."""
    return subscription.program.type == SELF_PACED and not logged and session.date >= today


def move_own_session(client, session, subscription, day, today):
    """Move one of the client's own sessions to `day`. One conditional UPDATE: a session the
    coach moved or edited meanwhile, or one logged meanwhile, is not moved."""
    if subscription.program.type != SELF_PACED:
        raise MoveError("Only your coach moves the sessions of this program.", code="not_self_paced")
    logged = db.session.scalar(
        select(exists().where(SessionLog.user_id == client.id, SessionLog.session_id == session.id))
    )
    if logged:
        raise MoveError("This session is logged: it stays on the day you did it.", code="logged")
    if session.date < today:
        raise MoveError("This session's day has passed: only upcoming sessions can be moved.", code="past")
    first, last = move_range(subscription, today)
    if day is None or not first <= day <= last:
        raise MoveError(
            f"Choose a day from {first:%a %-d %b} to {last:%a %-d %b}: the days you can see ahead.", "date",
            code="out_of_range",
        )
    if day == session.date:
        raise MoveError("The session is already on that day. Choose another day.", "date", code="same_day")
    position = next_positions(session.calendar_id, [day])[day]
    moved = db.session.execute(
        update(Session)
        .where(
            Session.id == session.id,
            Session.date == session.date,
            Session.version == session.version,
            ~exists().where(SessionLog.session_id == Session.id, SessionLog.user_id == client.id),
        )
        .values(date=day, position=position, version=Session.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise MoveError("This session changed a moment ago. Reload the page and try again.", code="changed")
    versions.touch(session.calendar_id)
    db.session.expire(session)
    return day
