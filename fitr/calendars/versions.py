"""Each calendar's version, and the calendar fragment's validator built from it.

Every change to what a calendar shows bumps its version: the ORM's own writes of sessions,
prescriptions, session logs and exercise names through the flush event below (so a new write
path cannot forget it), and the few bulk statements that go around the ORM call `touch` themselves. The
calendar fragment sends an ETag made of that version and everything else its HTML depends on,
and answers an unchanged calendar with 304 Not Modified and no body.
"""

import hashlib

from flask import Response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session as OrmSession

from fitr.calendars.models import SHARED_CALENDAR, Calendar, Prescription, Session
from fitr.extensions import db
from fitr.history.models import SessionLog
from fitr.library.models import Exercise
from fitr.subscriptions.models import ACTIVE, Subscription

CACHE_CONTROL = "private, no-cache"  # kept by the browser, always asked about again


def touch(*calendar_ids):
    """Bump these calendars' versions: for writes that go around the ORM (bulk statements)."""
    ids = sorted({i for i in calendar_ids if i is not None})
    if ids:
        db.session.execute(
            update(Calendar).where(Calendar.id.in_(ids)).values(version=Calendar.version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip


@event.listens_for(OrmSession, "after_flush")
def _bump_changed_calendars(orm_session, _flush_context):
    """After any flush that wrote sessions, their prescriptions, a client's logs of them, or the
    name of an exercise they prescribe (a calendar shows it): one UPDATE of the calendars they
    are on."""
    calendars, sessions, renamed = set(), set(), set()
    for obj in (*orm_session.new, *orm_session.dirty, *orm_session.deleted):
        if isinstance(obj, Session):
            calendars.add(obj.calendar_id)
            moved_from = db.inspect(obj).attrs.calendar_id.history.deleted
            calendars.update(moved_from or ())
        elif isinstance(obj, Prescription | SessionLog):
            sessions.add(obj.session_id)
        elif isinstance(obj, Exercise) and db.inspect(obj).attrs.name.history.has_changes():
            renamed.add(obj.id)
    calendars.discard(None)
    sessions.discard(None)
    if not calendars and not sessions and not renamed:
        return
    changed = Calendar.id.in_(sorted(calendars))
    if sessions:
        changed = changed | Calendar.id.in_(select(Session.calendar_id).where(Session.id.in_(sorted(sessions))))
    if renamed:
        prescribing = select(Session.calendar_id).join(Prescription, Prescription.session_id == Session.id)
        changed = changed | Calendar.id.in_(prescribing.where(Prescription.exercise_id.in_(sorted(renamed))))
    orm_session.connection().execute(
        update(Calendar.__table__).where(changed).values(version=Calendar.__table__.c.version + 1)
    )


def etag_of(calendar, view, cursor, today):
    """The fragment's ETag: the calendar's version, and what else its HTML depends on (the
    viewer, their today and unit, their CSRF token in its forms, the view and date, the
    client's name and status, the program's week start; a Group's number of subscribers)."""
    subscription = calendar.subscription if calendar.subscription_id else None
    generate_csrf()  # the token the fragment's forms carry, made now if this session has none yet
    parts = [
        calendar.id, calendar.version, current_user.id, current_user.units, today, view, cursor,
        session["csrf_token"], calendar.program.week_start, calendar.program.type,
        subscription.status if subscription else "", subscription.display_name if subscription else "",
    ]  # fmt: skip
    if calendar.kind == SHARED_CALENDAR:
        parts.append(db.session.scalar(
            select(func.count()).where(Subscription.program_id == calendar.program_id, Subscription.status == ACTIVE)
        ))  # fmt: skip
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:20]
    return f"c{calendar.id}v{calendar.version}-{digest}"


def cacheable(calendar):
    """A calendar fragment asked for by GET (not one made by this request's first view)."""
    return request.method == "GET" and calendar.id is not None and calendar not in db.session.new


def not_modified(etag):
    """304 when the browser already holds this ETag's fragment, else None."""
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers(etag))
    return None


def headers(etag):
    return {"ETag": f'"{etag}"', "Cache-Control": CACHE_CONTROL, "Vary": "HX-Request"}
