"""Comments on a session, on the client's side: the thread between them and their coach about
one session (on a Group calendar, their own), below Log session; it polls for the coach's
answers."""

from flask import redirect, request, url_for
from flask_login import current_user, login_required

from fitr.accounts.models import User
from fitr.clock import today_for
from fitr.conversations import rules
from fitr.conversations.models import SESSION, Conversation
from fitr.conversations.threads import (
    NOTHING_NEW,
    Thread,
    polled_version,
    send,
    session_page_for_client,
    show,
    unchanged,
)
from fitr.extensions import db
from fitr.training import bp
from fitr.training.access import own_session


def client_thread(session, subscription):
    """The current client's thread about this session (not written yet: None inside)."""
    coach = db.session.get(User, subscription.program.coach_id)
    return Thread(
        coach, current_user, current_user.id, url_for("training.session_comments", session_id=session.id),
        session_page_for_client(session.id), subscription.is_active, "", rules.find_session_thread(session.id, current_user.id),
        noun="comment", title="Comments", dom_id="comments",
    )  # fmt: skip


@bp.route("/my/sessions/<int:session_id>/comments", methods=["GET", "POST"])
@login_required
def session_comments(session_id):
    """My comments with my coach on one session: a poll (?version=N) of an unchanged thread is a
    204 from one query; a comment tells the coach (one unread notice per thread)."""
    if request.method == "GET" and unchanged(
        Conversation.kind == SESSION, Conversation.session_id == session_id, Conversation.client_id == current_user.id
    ):
        return NOTHING_NEW
    planned, subscription = own_session(session_id, today_for(current_user))
    thread = client_thread(planned, subscription)
    if request.method == "GET":
        if polled_version() is None and not request.headers.get("HX-Request"):
            return redirect(url_for("training.session", session_id=planned.id, _anchor="comments"))
        return show(thread)
    program = subscription.program
    return send(
        thread, current_user, lambda: rules.session_thread(planned, program, current_user.id),
        notice=(f"{current_user.name} commented on {planned.title} ({program.name})", program.id),
    )  # fmt: skip
