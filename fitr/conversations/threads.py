"""A thread on screen, the same wherever it is shown (Messages, the client's session page, the
coach's session editor): its messages, the form to write, and polling that answers an unchanged
thread with 204 and nothing rendered."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, current_app, redirect, request, url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.clock import utcnow
from fitr.conversations import bp, rules
from fitr.conversations.forms import MessageForm
from fitr.conversations.models import DIRECT, Conversation
from fitr.extensions import db
from fitr.forms import attach
from fitr.notices.models import COMMENTED, MESSAGED
from fitr.web import is_htmx, render, rolled_back

TEMPLATE = "conversations/_thread.html"
URL = re.compile(r"https?://[^\s<>\"']+")


@bp.app_template_filter()
def linkify(text):
    """Plain text, escaped, with its http(s) links clickable (and nothing else turned into HTML)."""
    escaped = str(escape(text))

    def link(match):
        url = match.group(0)
        trail = ""
        while url and url[-1] in ".,;:!?)":
            url, trail = url[:-1], url[-1] + trail
        return f'<a href="{url}" rel="noopener nofollow" target="_blank">{url}</a>{trail}'

    return Markup(URL.sub(link, escaped))


@dataclass
class Thread:
    """One thread as `viewer_id` sees it. `url` is where it polls and posts; `page_url` the page
    it lives on (where a notice about it links)."""

    coach: User
    client: User
    viewer_id: int
    url: str
    page_url: str
    writable: bool
    closed: str = ""
    conversation: Conversation | None = None
    noun: str = "message"
    title: str = "Messages"
    dom_id: str = "thread"
    messages: list = field(default_factory=list)
    read_by_other: int = 0  # the last message the other person was shown: mine up to it are Read
    now: datetime = field(default_factory=utcnow)
    form: MessageForm | None = None

    @property
    def version(self):
        return self.conversation.version if self.conversation is not None else 0

    def name(self, user_id):
        return self.coach.name if user_id == self.coach.id else self.client.name

    def can_change(self, message):
        return rules.editable(message, self.viewer_id, self.now)

    @property
    def poll_seconds(self):
        return current_app.config.get("POLL_SECONDS", 10)

    @property
    def other(self):
        return self.client if self.viewer_id == self.coach.id else self.coach


def polled_version():
    """The version a poll brings (?version=N), or None when this is not a poll."""
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        abort(400, "This page is out of date. Reload it.")
    return int(raw)


def unchanged(*where):
    """A poll of a thread the viewer takes part in (`where` finds it among theirs) that changed
    nothing since: one query, and the caller answers 204 without rendering."""
    version = polled_version()
    if version is None:
        return False
    return db.session.scalar(select(Conversation.version).where(*where)) == version


NOTHING_NEW = ("", 204)


def load(thread):
    """The thread's messages; the viewer has now read them (and notices linking to it)."""
    thread.messages = rules.messages_of(thread.conversation)
    rules.read_thread(thread.viewer_id, thread.conversation, thread.messages, notice_link=thread.page_url)
    thread.read_by_other = rules.read_up_to(thread.other.id, thread.conversation)
    if thread.form is None:
        thread.form = MessageForm(formdata=None)
    return thread


def show(thread, page=None, **page_context):
    """GET of a thread: a poll (204 when unchanged, else its messages), the thread for htmx, or
    `page` (a full page template that includes it)."""
    polled = polled_version()
    if polled is not None and polled == thread.version:
        return NOTHING_NEW
    load(thread)
    if polled is not None:
        response = render(TEMPLATE, block="thread_messages", thread=thread)
    elif page is None or is_htmx():
        response = render(TEMPLATE, block="thread", thread=thread)
    else:
        response = render(page, thread=thread, **page_context)
    db.session.commit()  # after rendering from what is loaded: nothing is fetched again
    return response


def send(thread, author, start, notice=None):
    """POST to a thread: the message is written (the thread made by `start()` if it is the first)
    and, when the client wrote, the coach is told (`notice`: (text, program_id)). htmx gets the
    thread back with an empty form; a browser without it goes back to the page."""
    form = MessageForm()
    thread.form = form
    if not thread.writable:
        return rolled_back(refuse(thread, form, thread.closed, 409))
    if form.validate():
        try:
            body = rules.checked_body(form.body.data)  # before the thread is made: nothing half-written
            conversation = start()
            message = rules.post(conversation, author, body)
        except rules.ConversationError as error:
            attach(form, error)
        else:
            thread.conversation = conversation
            if author.id == thread.client.id and notice is not None:
                text, program_id = notice
                kind = MESSAGED if conversation.kind == DIRECT else COMMENTED
                rules.tell_coach(thread.coach.id, author.id, f"{text}: {rules.quote(message.body)}", coach_page(thread), kind, program_id)
            if not is_htmx():
                db.session.commit()
                return redirect(thread.page_url + f"#{thread.dom_id}")
            load(thread)
            thread.form = MessageForm(formdata=None)
            response = render(TEMPLATE, block="thread", thread=thread)
            db.session.commit()
            return response
    return rolled_back(refuse(thread, form, None, 400))


def refuse(thread, form, message, status):
    """The thread again with the form's message next to it (htmx), or the refusal alone."""
    if message:
        form.form_errors.append(message)
    db.session.rollback()
    thread.messages = rules.messages_of(thread.conversation)
    thread.form = form
    return render(TEMPLATE, block="thread", status=status, thread=thread)


# --- where a thread is -------------------------------------------------------------------------


def direct_url(coach_id, client_id):
    return url_for("conversations.thread", coach_id=coach_id, client_id=client_id)


def coach_page(thread):
    """The page where the coach answers this thread (what a notice about it links to)."""
    conversation = thread.conversation
    if conversation is None or conversation.kind == DIRECT:
        return direct_url(thread.coach.id, thread.client.id)
    return session_page_for_coach(conversation.program_id, conversation.session_id, conversation.client_id)


def session_page_for_coach(program_id, session_id, client_id):
    return url_for("calendars.edit_session", program_id=program_id, session_id=session_id, client=client_id)


def session_page_for_client(session_id):
    return url_for("training.session", session_id=session_id)


def page_of(conversation, viewer_id):
    """Where `viewer_id` reads this thread."""
    if conversation.kind == DIRECT:
        return direct_url(conversation.coach_id, conversation.client_id)
    if conversation.session_id is None:
        return url_for("conversations.index")
    if viewer_id == conversation.coach_id:
        return session_page_for_coach(conversation.program_id, conversation.session_id, conversation.client_id)
    return session_page_for_client(conversation.session_id)


bp.add_app_template_global(page_of)
