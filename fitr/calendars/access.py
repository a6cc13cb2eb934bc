"""Ownership for calendars and sessions: each loader starts from `owned_program`, so another
coach's ids are a 404 like any missing page."""

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, Calendar, Prescription, Session
from fitr.extensions import db
from fitr.programs.access import owned_program
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def owned_calendar(program_id, calendar_id):
    """A calendar of one of the current coach's programs (its program and subscription loaded)."""
    program = owned_program(program_id)
    calendar = db.session.scalar(
        select(Calendar)
        .where(Calendar.id == calendar_id, Calendar.program_id == program.id)
        .options(joinedload(Calendar.subscription).joinedload(Subscription.client))
    )
    if calendar is None:
        abort(404)
    set_committed_value(calendar, "program", program)
    return calendar


# Built once, run with bound values: switching client runs it on every click (a 304 included).
_CLIENT_CALENDAR = (
    select(Subscription, Calendar)
    .join(Program, Subscription.program_id == Program.id)
    .outerjoin(User, Subscription.client_id == User.id)
    .outerjoin(Calendar, and_(Calendar.subscription_id == Subscription.id, Calendar.kind == CLIENT_CALENDAR))
    .where(Subscription.id == bindparam("subscription_id"), Subscription.program_id == bindparam("program_id"),
           Program.coach_id == bindparam("coach_id"))  # fmt: skip
    .options(contains_eager(Subscription.program), contains_eager(Subscription.client))
)


def owned_client_calendar(program_id, subscription_id):
    """(a subscription in one of the current coach's programs, its program and client loaded;
    its own calendar, or None in a Group program or before its calendar exists), in one query;
    404 when the subscription is not the coach's."""
    row = db.session.execute(
        _CLIENT_CALENDAR, {"subscription_id": subscription_id, "program_id": program_id, "coach_id": current_user.id}
    ).first()
    if row is None:
        abort(404)
    subscription, calendar = row
    if calendar is not None:
        set_committed_value(calendar, "subscription", subscription)
        set_committed_value(calendar, "program", subscription.program)
    return subscription, calendar


def find_owned_session(program_id, session_id):
    """A session on a calendar of the current coach's program, or None when it does not exist
    (deleted in another tab); 404 when the program, or the session, is not theirs."""
    program = owned_program(program_id)
    session = db.session.scalar(
        select(Session)
        .join(Calendar, Session.calendar_id == Calendar.id)
        .where(Session.id == session_id, Calendar.program_id == program.id)
        .options(
            contains_eager(Session.calendar).joinedload(Calendar.subscription).joinedload(Subscription.client),
            selectinload(Session.prescriptions).joinedload(Prescription.exercise),
        )
    )
    if session is None:
        if db.session.scalar(select(Session.id).where(Session.id == session_id)) is not None:
            abort(404)  # another program's session: not "deleted", simply not found
        return None
    set_committed_value(session.calendar, "program", program)
    return session


def owned_session(program_id, session_id):
    session = find_owned_session(program_id, session_id)
    if session is None:
        abort(404, "This session no longer exists. It may have been deleted in another tab.")
    return session
