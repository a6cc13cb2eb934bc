"""Comments and messages by email, batched: at most one email per thread per person every 15
minutes, saying how many are new, and only about what they have not read in fitr two minutes
after it was written (someone reading the thread as it arrives gets no email). Each person
chooses in Settings: comments on sessions, messages, or neither."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from fitr import mail
from fitr.accounts.models import User
from fitr.clock import local, utcnow
from fitr.conversations.models import DIRECT, SESSION, Conversation, Message, ReadMarker
from fitr.conversations.threads import page_of
from fitr.extensions import db
from fitr.scheduled.digest import site
from fitr.scheduled.models import ThreadEmail
from fitr.web import absolute_url

log = logging.getLogger(__name__)

BATCH = timedelta(minutes=15)  # at most one email per thread per person this often
SETTLE = timedelta(minutes=2)  # what is read within this long after it was written is not emailed
SHOWN = 3  # the newest messages quoted in the email


@dataclass
class Due:
    user: User
    conversation: Conversation
    unread: int  # messages by the other person the user has not read
    newest: int  # the newest of them (id)
    last_sent_at: object  # the previous email's claim (a second copy's claim must match it)
    last_message_id: int | None


def due_threads():
    """Every (person, thread) with messages by the other person that they have neither read nor
    been emailed about, when they want such email and their last email about it is 15 minutes
    old. Two queries (the coach's side of each thread, and the client's)."""
    now = utcnow()
    found = []
    for side in (Conversation.coach_id, Conversation.client_id):
        wanted = or_(
            and_(Conversation.kind == DIRECT, User.email_messages),
            and_(Conversation.kind == SESSION, User.email_comments),
        )
        rows = db.session.execute(
            select(User, Conversation, func.count(Message.id), func.max(Message.id), func.max(ThreadEmail.sent_at),
                   func.max(ThreadEmail.last_message_id))  # fmt: skip
            .select_from(Conversation)
            .join(User, User.id == side)
            .join(Message, Message.conversation_id == Conversation.id)
            .outerjoin(ReadMarker, and_(ReadMarker.conversation_id == Conversation.id, ReadMarker.user_id == side))
            .outerjoin(ThreadEmail, and_(ThreadEmail.conversation_id == Conversation.id, ThreadEmail.user_id == side))
            .where(
                wanted,
                Message.author_id != side,
                Message.deleted_at.is_(None),
                Message.created_at <= now - SETTLE,
                Message.id > func.coalesce(ReadMarker.last_read_id, 0),
                or_(ThreadEmail.sent_at.is_(None), ThreadEmail.sent_at <= now - BATCH),
            )
            .group_by(User.id, Conversation.id)
            .having(func.max(Message.id) > func.coalesce(func.max(ThreadEmail.last_message_id), 0))
        ).all()
        found.extend(Due(*row) for row in rows)
    return found


def claim(due):
    """This copy's claim on emailing `due`, committed with the email (`send`); False when
    another copy claimed it first."""
    now = utcnow()
    mine = and_(ThreadEmail.user_id == due.user.id, ThreadEmail.conversation_id == due.conversation.id)
    if due.last_sent_at is not None:
        claimed = db.session.execute(
            update(ThreadEmail)
            .where(mine, ThreadEmail.sent_at == due.last_sent_at)
            .values(sent_at=now, last_message_id=due.newest)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            db.session.rollback()
            return False
    else:
        try:
            with db.session.begin_nested():
                db.session.add(ThreadEmail(user_id=due.user.id, conversation_id=due.conversation.id,
                                           last_message_id=due.newest, sent_at=now))  # fmt: skip
        except IntegrityError:
            db.session.rollback()
            return False
    return True  # committed with the email (send)


def send_thread_emails():
    """Email every thread that is due. Returns how many emails were written to the outbox."""
    sent = 0
    for due in due_threads():
        if claim(due) and send(due):
            sent += 1
    return sent


def send(due):
    """Write one email about a claimed thread to the outbox and commit it with the claim."""
    user, conversation = due.user, due.conversation
    other_id = conversation.client_id if user.id == conversation.coach_id else conversation.coach_id
    other = db.session.get(User, other_id)
    newest = db.session.execute(
        select(Message.body, Message.created_at)
        .where(Message.conversation_id == conversation.id, Message.author_id == other_id, Message.deleted_at.is_(None))
        .order_by(Message.id.desc())
        .limit(min(due.unread, SHOWN))
    ).all()
    shown = [(body, local(created_at, user)) for body, created_at in reversed(newest)]
    if conversation.kind == DIRECT:
        what = f"{due.unread} new message{'s' if due.unread != 1 else ''}"
    else:
        what = f"{due.unread} new comment{'s' if due.unread != 1 else ''} on {conversation.session_title}"
    result = mail.send(
        user.email, f"{other.name}: {what}", "thread", user=user, other=other, what=what, shown=shown,
        more=due.unread - len(shown), link=site() + page_of(conversation, user.id),
        settings=absolute_url("accounts.settings"),
    )  # fmt: skip
    db.session.commit()  # the claim and the email in the outbox, together
    return result.queued
