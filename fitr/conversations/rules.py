"""Conversation rules: find or start a thread, write, edit and delete in it, how far each person
has read, and what is new for them. Plain functions; routes commit."""

from datetime import timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from fitr.clock import utcnow
from fitr.conversations.models import BODY_LIMIT, DIRECT, SESSION, Conversation, Message, ReadMarker
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.notices import rules as notices
from fitr.notices.models import Notice
from fitr.text import check_text

EDIT_WINDOW = timedelta(minutes=15)  # how long an author may edit or delete what they wrote


class ConversationError(RuleError):
    """A message or comment refused: empty, too long, too late to change, or a closed thread."""


# --- threads -----------------------------------------------------------------------------------


def find_direct(coach_id, client_id):
    return db.session.scalar(
        select(Conversation).where(
            Conversation.kind == DIRECT, Conversation.coach_id == coach_id, Conversation.client_id == client_id
        )
    )


def find_session_thread(session_id, client_id):
    return db.session.scalar(
        select(Conversation).where(
            Conversation.kind == SESSION, Conversation.session_id == session_id, Conversation.client_id == client_id
        )
    )


def _get_or_create(find, make):
    """The thread, made when it does not exist yet; two first messages at once make one."""
    conversation = find()
    if conversation is not None:
        return conversation
    try:
        with db.session.begin_nested():
            conversation = make()
            db.session.add(conversation)
    except IntegrityError:
        conversation = find()
    return conversation


def direct_thread(coach_id, client_id):
    """The one direct thread of a coach and a client (made on the first message)."""
    return _get_or_create(
        lambda: find_direct(coach_id, client_id),
        lambda: Conversation(kind=DIRECT, coach_id=coach_id, client_id=client_id),
    )


def session_thread(session, program, client_id):
    """The thread of one session and one client (on a Group calendar each subscriber has their
    own), made on the first comment."""
    return _get_or_create(
        lambda: find_session_thread(session.id, client_id),
        lambda: Conversation(
            kind=SESSION, coach_id=program.coach_id, client_id=client_id, session_id=session.id,
            program_id=program.id, session_title=session.title, session_date=session.date,
        ),
    )  # fmt: skip


def messages_of(conversation, limit=200):
    """The thread's latest messages (at most `limit`), oldest first."""
    if conversation is None:
        return []
    found = db.session.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id.desc()).limit(limit)
    ).all()
    return list(reversed(found))


# --- writing -----------------------------------------------------------------------------------


def checked_body(body):
    body = check_text(body, "body", BODY_LIMIT, multiline=True, error=ConversationError)
    if not body:
        raise ConversationError("Write something first: an empty message cannot be sent.", "body")
    return body


def post(conversation, author, body):
    """A new message (or comment) by `author` in the thread. The author has read their thread up
    to it; the coach is told when the client wrote."""
    body = checked_body(body)
    now = utcnow()
    message = Message(conversation_id=conversation.id, author_id=author.id, body=body, created_at=now)
    db.session.add(message)
    db.session.flush()
    conversation.version += 1
    conversation.last_message_at = now
    mark_read(author.id, conversation.id, message.id)
    return message


def editable(message, user_id, now):
    """True while the author may still edit or delete it."""
    return message.author_id == user_id and message.deleted_at is None and now < message.created_at + EDIT_WINDOW


def _changeable(message, user_id):
    if message.deleted_at is not None:
        raise ConversationError("This was deleted.")
    if not editable(message, user_id, utcnow()):
        raise ConversationError("It is too late to change this: a message can be edited or deleted for 15 minutes.")


def edit(message, conversation, user_id, body):
    """The author's new text, within the 15 minutes."""
    _changeable(message, user_id)
    body = checked_body(body)
    if body != message.body:
        message.body = body
        message.edited_at = utcnow()
        conversation.version += 1
    return message


def delete(message, conversation, user_id):
    """The author takes it back, within the 15 minutes: it keeps its place, without its text."""
    _changeable(message, user_id)
    message.deleted_at = utcnow()
    message.body = ""
    conversation.version += 1
    return message


# --- reading -----------------------------------------------------------------------------------


def mark_read(user_id, conversation_id, last_id):
    """The user has seen the thread up to message `last_id` (never moves back). One statement."""
    now = utcnow()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ReadMarker).values(
        user_id=user_id, conversation_id=conversation_id, last_read_id=last_id, read_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ReadMarker.user_id, ReadMarker.conversation_id],
        set_={"last_read_id": func.max(ReadMarker.last_read_id, statement.excluded.last_read_id)
              if dialect is sqlite else func.greatest(ReadMarker.last_read_id, statement.excluded.last_read_id),
              "read_at": now},
    )  # fmt: skip
    db.session.execute(statement)


def read_up_to(user_id, conversation):
    """The id of the last message of the thread this user was shown (0: none); one query."""
    if conversation is None:
        return 0
    marker = select(ReadMarker.last_read_id).where(
        ReadMarker.user_id == user_id, ReadMarker.conversation_id == conversation.id
    )
    return db.session.scalar(marker) or 0


def read_thread(user_id, conversation, messages, notice_link=None):
    """The user was shown these messages: their marker moves to the last, and notices linking to
    the thread are read too."""
    if conversation is not None and messages:
        mark_read(user_id, conversation.id, messages[-1].id)
    if notice_link:
        db.session.execute(
            update(Notice)
            .where(Notice.user_id == user_id, Notice.link == notice_link, Notice.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def unread_messages(user_id):
    """Messages by the other person after the user's read marker: the unread condition of one
    query (joined with Conversation and ReadMarker by the caller)."""
    return and_(
        or_(Conversation.coach_id == user_id, Conversation.client_id == user_id),
        Message.author_id != user_id,
        Message.deleted_at.is_(None),
        Message.id > func.coalesce(ReadMarker.last_read_id, 0),
    )


def unread_by_thread(user_id):
    """A subquery (conversation_id, unread) of the user's threads with something new."""
    return (
        select(Message.conversation_id.label("conversation_id"), func.count(Message.id).label("unread"))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .outerjoin(ReadMarker, and_(ReadMarker.conversation_id == Conversation.id, ReadMarker.user_id == user_id))
        .where(unread_messages(user_id))
        .group_by(Message.conversation_id)
        .subquery()
    )


def count_unread(user_id):
    """How many messages and comments the user has not read, in all their threads: one query."""
    return db.session.scalar(
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .outerjoin(ReadMarker, and_(ReadMarker.conversation_id == Conversation.id, ReadMarker.user_id == user_id))
        .where(unread_messages(user_id))
    )


def comment_counts(client_id, session_ids):
    """{session id: (comments, unread)} of the client's threads on these sessions: one query."""
    if not session_ids:
        return {}
    unread = unread_by_thread(client_id)
    rows = db.session.execute(
        select(Conversation.session_id, func.count(Message.id), func.coalesce(func.max(unread.c.unread), 0))
        .join(Message, and_(Message.conversation_id == Conversation.id, Message.deleted_at.is_(None)))
        .outerjoin(unread, unread.c.conversation_id == Conversation.id)
        .where(Conversation.kind == SESSION, Conversation.client_id == client_id,
               Conversation.session_id.in_(session_ids))
        .group_by(Conversation.session_id)
    ).all()  # fmt: skip
    return {session_id: (count, new) for session_id, count, new in rows}


# --- telling the coach -------------------------------------------------------------------------


def tell_coach(coach_id, client_id, text, link, kind, program_id=None):
    """One unread notice per thread: a new message updates the one the coach has not read yet."""
    existing = db.session.scalar(
        select(Notice).where(
            Notice.user_id == coach_id, Notice.link == link, Notice.kind == kind, Notice.read_at.is_(None)
        )
    )
    if existing is None:
        return notices.tell(coach_id, text, link, kind=kind, program_id=program_id, client_id=client_id)
    existing.text = text[:300]
    existing.created_at = utcnow()
    return existing


def quote(body, limit=80):
    line = " ".join(body.split())
    return f"“{line[:limit]}…”" if len(line) > limit else f"“{line}”"
