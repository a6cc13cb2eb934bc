"""Messages: the list of conversations (unread first, searchable by name), one conversation with
a coach or client, and editing or deleting what one wrote, for 15 minutes. The Messages link in
the navigation carries the unread count (messages and comments)."""

from flask import abort, redirect, request
from flask_login import current_user, login_required
from sqlalchemy import or_

from fitr.conversations import bp, inbox, rules
from fitr.conversations.access import own_message, own_pair
from fitr.conversations.forms import MessageForm
from fitr.conversations.models import DIRECT, Conversation
from fitr.conversations.threads import (
    NOTHING_NEW,
    TEMPLATE,
    Thread,
    direct_url,
    page_of,
    send,
    show,
    unchanged,
)
from fitr.extensions import db
from fitr.forms import attach
from fitr.web import is_htmx, refused, render, rolled_back

SEARCH_LIMIT = 100


@bp.app_template_global()
def unread_message_count():
    """For the Messages link in the navigation: one query."""
    return rules.count_unread(current_user.id) if current_user.is_authenticated else 0


@bp.route("/messages")
@login_required
def index():
    """Messages: everyone I talk to, unread first, then the latest; ?q= finds a name."""
    search = request.args.get("q", "").strip()
    if len(search) > SEARCH_LIMIT:
        abort(400, f"Search for at most {SEARCH_LIMIT} characters.")
    return render(
        "conversations/index.html",
        block="results",
        lines=inbox.conversations(current_user.id, search),
        comments=[] if search else inbox.unread_comments(current_user.id),
        search=search,
    )


def direct(coach_id, client_id):
    pair = own_pair(coach_id, client_id)
    closed = "" if pair.active else (
        "The subscription has ended: these messages stay here to read, and no new ones can be sent."
    )  # fmt: skip
    url = direct_url(coach_id, client_id)
    thread = Thread(pair.coach, pair.client, current_user.id, url, url, pair.active, closed, pair.conversation,
                    noun="message", title=f"Messages with {pair.client.name if current_user.id == coach_id else pair.coach.name}")  # fmt: skip
    return pair, thread


@bp.route("/messages/<int:coach_id>/<int:client_id>", methods=["GET", "POST"])
@login_required
def thread(coach_id, client_id):
    """One conversation of a coach and a client, across their programs. A poll (?version=N) of
    an unchanged thread is a 204 from one query; after every subscription of theirs ended, it
    is read-only."""
    if request.method == "GET" and unchanged(
        Conversation.kind == DIRECT, Conversation.coach_id == coach_id, Conversation.client_id == client_id,
        or_(Conversation.coach_id == current_user.id, Conversation.client_id == current_user.id),
    ):
        return NOTHING_NEW
    pair, thread = direct(coach_id, client_id)
    if request.method == "GET":
        return show(thread, "conversations/thread.html")
    return send(thread, current_user, lambda: rules.direct_thread(coach_id, client_id),
                notice=(f"{pair.client.name} sent you a message", None))  # fmt: skip


def item_thread(conversation, coach, client):
    page = page_of(conversation, current_user.id)
    return Thread(coach, client, current_user.id, page, page, True, conversation=conversation,
                  noun="message" if conversation.kind == DIRECT else "comment")  # fmt: skip


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
def edit(message_id):
    """Edit what I wrote, for 15 minutes after writing it; ?cancel=1 puts it back as it was."""
    message, conversation, coach, client = own_message(message_id)
    thread = item_thread(conversation, coach, client)
    if request.method == "GET":
        if request.args.get("cancel") == "1" or not thread.can_change(message):
            if not is_htmx():
                return redirect(thread.page_url)
            return render(TEMPLATE, block="message_item", thread=thread, message=message)
        form = MessageForm(formdata=None, data={"body": message.body})
        return render("conversations/edit.html", block="message_edit", thread=thread, message=message, form=form)
    form = MessageForm()
    if form.validate():
        try:
            rules.edit(message, conversation, current_user.id, form.body.data)
        except rules.ConversationError as error:
            if error.field is None:
                return refused(error.message, back=thread.page_url)
            attach(form, error)
        else:
            db.session.commit()
            if not is_htmx():
                return redirect(thread.page_url)
            return render(TEMPLATE, block="message_item", thread=thread, message=message)
    return rolled_back(render("conversations/edit.html", block="message_edit", status=400, thread=thread,
                              message=message, form=form))  # fmt: skip


@bp.route("/messages/<int:message_id>/delete", methods=["POST"])
@login_required
def delete(message_id):
    """Delete what I wrote, for 15 minutes after writing it: it keeps its place, without text."""
    message, conversation, coach, client = own_message(message_id)
    thread = item_thread(conversation, coach, client)
    try:
        rules.delete(message, conversation, current_user.id)
    except rules.ConversationError as error:
        return refused(error.message, back=thread.page_url)
    db.session.commit()
    if not is_htmx():
        return redirect(thread.page_url)
    return render(TEMPLATE, block="message_item", thread=thread, message=message)
