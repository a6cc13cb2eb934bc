"""Comments on a session, on the coach's side: in the session editor, the thread with the client
(on a Group calendar, with the subscriber the coach chooses); it polls for the client's comments."""

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from fitr.calendars import bp
from fitr.calendars.access import owned_session
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR
from fitr.conversations import rules
from fitr.conversations.models import SESSION, Conversation
from fitr.conversations.threads import (
    NOTHING_NEW,
    Thread,
    load,
    polled_version,
    send,
    session_page_for_coach,
    show,
    unchanged,
)
from fitr.extensions import db
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription
from fitr.web import is_htmx

CLOSED = "This client's subscription has ended: the comments stay here to read."


def subscribers(program_id):
    """The Group program's clients who joined (active or ended), by name: [(client, active)]."""
    found = db.session.scalars(
        select(Subscription)
        .where(Subscription.program_id == program_id, Subscription.client_id.is_not(None),
               Subscription.status.in_((ACTIVE, ENDED)))
        .options(joinedload(Subscription.client))
    ).all()  # fmt: skip
    people = {}
    for s in found:
        client, active = people.get(s.client_id, (s.client, False))
        people[s.client_id] = (client, active or s.is_active)
    return sorted(people.values(), key=lambda pair: (pair[0].name.lower(), pair[0].id))


def coach_thread(session, client_id, group=None):
    """The thread of this session with this client, for its coach; None when the client does not
    follow the session's calendar. `group`: subscribers(), when the caller has them."""
    calendar = session.calendar
    if calendar.kind == CLIENT_CALENDAR:
        subscription = calendar.subscription
        if subscription.client_id is None or subscription.client_id != client_id:
            return None
        client, active = subscription.client, subscription.is_active
    elif calendar.kind == SHARED_CALENDAR:
        found = [pair for pair in (group if group is not None else subscribers(calendar.program_id)) if pair[0].id == client_id]
        if not found:
            return None
        client, active = found[0]
    else:
        return None
    program = calendar.program
    return Thread(
        current_user, client, current_user.id,
        url_for("calendars.session_comments", program_id=program.id, session_id=session.id, client_id=client.id),
        session_page_for_coach(program.id, session.id, client.id), active, CLOSED,
        rules.find_session_thread(session.id, client.id), noun="comment", title=f"Comments with {client.name}",
        dom_id="comments",
    )  # fmt: skip


def editor_comments(session):
    """For the session editor: `thread` (the chosen client's, loaded and read) and, on a Group
    calendar, `comment_clients`: [(client id, name, unread)] to choose from."""
    calendar = session.calendar
    if calendar.kind == CLIENT_CALENDAR:
        client_id = calendar.subscription.client_id
        thread = coach_thread(session, client_id) if client_id else None
        return {"thread": rules_load(thread), "comment_clients": None}
    if calendar.kind != SHARED_CALENDAR:
        return {"thread": None, "comment_clients": None}
    group = subscribers(calendar.program_id)
    unread = rules.unread_by_thread(current_user.id)
    counts = dict(db.session.execute(
        select(Conversation.client_id, unread.c.unread)
        .join(unread, and_(unread.c.conversation_id == Conversation.id))
        .where(Conversation.kind == SESSION, Conversation.session_id == session.id)
    ).all())  # fmt: skip
    chosen = request.args.get("client", "")
    thread = coach_thread(session, int(chosen), group) if chosen.isdigit() and len(chosen) < 10 else None
    return {
        "thread": rules_load(thread),
        "comment_clients": [(c.id, c.name, 0 if thread and thread.client.id == c.id else counts.get(c.id, 0))
                            for c, _ in group],
    }  # fmt: skip


def rules_load(thread):
    return load(thread) if thread is not None else None


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/comments/<int:client_id>", methods=["GET", "POST"])
@login_required
def session_comments(program_id, session_id, client_id):
    """The comments of one client on one session, for the coach: a poll (?version=N) of an
    unchanged thread is a 204 from one query; an answer is shown to the client at their next poll."""
    if request.method == "GET" and unchanged(
        Conversation.kind == SESSION, Conversation.session_id == session_id, Conversation.client_id == client_id,
        Conversation.coach_id == current_user.id, Conversation.program_id == program_id,
    ):
        return NOTHING_NEW
    session = owned_session(program_id, session_id)
    thread = coach_thread(session, client_id)
    if thread is None:
        abort(404)
    if request.method == "GET":
        if polled_version() is None and not is_htmx():
            return redirect(thread.page_url)
        return show(thread)
    return send(thread, current_user, lambda: rules.session_thread(session, session.calendar.program, client_id))
