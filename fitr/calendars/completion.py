"""What the coach sees of clients' logs on a calendar: Done, Skipped or Missed on each session of
a client's calendar, how many subscribers did each session of a Group calendar, and the logged
numbers in the session editor.

The logs belong to the client (fitr.history); this module only reads them.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Session
from fitr.calendars.window import visible_window
from fitr.clock import today_for
from fitr.extensions import db
from fitr.history import logs as history_logs
from fitr.history.models import DONE, SKIPPED, SessionLog
from fitr.subscriptions.models import ACTIVE, Subscription


@dataclass(frozen=True)
class GroupCount:
    """How the program's active subscribers did one session of a Group calendar."""

    done: int
    skipped: int
    subscribers: int

    @property
    def label(self):
        text = f"{self.done} of {self.subscribers} done"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


def calendar_completion(calendar, sessions, today):
    """{session id: 'done' | 'skipped' | 'missed'} on a client's calendar, {session id:
    GroupCount} on a Group calendar, {} on a template. `sessions` are the calendar's cards
    (fitr.calendars.cards), which carry what the client logged: no query on a client's calendar,
    one on a Group calendar.

    Missed: a session before the client's today that they did not log, within the dates they
    could see it (from their start, up to the end of an ended subscription). A pending client
    has missed nothing. `today` is the viewer's (a Group calendar's counts use it)."""
    if not sessions:
        return {}
    if calendar.kind == CLIENT_CALENDAR:
        subscription = calendar.subscription
        if subscription.client_id is None:
            return {}
        today = today_for(subscription.client)  # missed is missed where the client is
        window = visible_window(subscription, today, calendar.program, subscription.client)
        result = {}
        for s in sessions:
            state = history_logs.completion(s.logged, s.date, today)
            if state == "missed" and (window is None or s.date not in window):
                state = None
            if state:
                result[s.id] = state
        return result
    if calendar.kind == SHARED_CALENDAR:
        return _group_counts(calendar.program_id, sessions, today)
    return {}


def _group_counts(program_id, sessions, today):
    """Per session: logs of the program's current (active) subscribers, and how many there are."""
    active = select(Subscription.client_id).where(
        Subscription.program_id == program_id, Subscription.status == ACTIVE, Subscription.client_id.is_not(None)
    )
    subscribers = (
        select(func.count(Subscription.id))
        .where(Subscription.program_id == program_id, Subscription.status == ACTIVE)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Session.id,
            func.count(case((SessionLog.status == DONE, 1))),
            func.count(case((SessionLog.status == SKIPPED, 1))),
            subscribers,
        )
        .outerjoin(SessionLog, and_(SessionLog.session_id == Session.id, SessionLog.user_id.in_(active)))
        .where(Session.id.in_([s.id for s in sessions]))
        .group_by(Session.id)
    ).all()
    dates = {s.id: s.date for s in sessions}
    return {
        session_id: GroupCount(done, skipped, total)
        for session_id, done, skipped, total in rows
        if total and (done or skipped or dates[session_id] < today)
    }


def session_logs(calendar, session):
    """What was logged for one session, sets loaded, for the editor: the client's log on their
    calendar; every subscriber's on a Group calendar, each with its client's name.
    Returns [(name or None, log)]: one query, two with logs, three on a Group calendar with logs."""
    if calendar.kind not in (CLIENT_CALENDAR, SHARED_CALENDAR):
        return []
    logs = history_logs.logs_for_session(session.id)
    if calendar.kind == CLIENT_CALENDAR:
        client_id = calendar.subscription.client_id
        return [(None, log) for log in logs if log.user_id == client_id]
    if not logs:
        return []
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_({log.user_id for log in logs}))).all())
    return [(names.get(log.user_id, ""), log) for log in logs]
