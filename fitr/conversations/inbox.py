"""The Messages page: everyone the user talks to (a coach's clients, a client's coaches), unread
first, then the latest; and the session threads with comments they have not read. One query each,
whatever the number of clients, threads and messages."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from fitr.accounts.models import User
from fitr.conversations.models import DIRECT, SESSION, Conversation, Message
from fitr.conversations.rules import unread_by_thread
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription

LIMIT = 300  # lines on the page; the search finds the others


@dataclass(frozen=True)
class Line:
    """One conversation on the Messages page."""

    coach_id: int
    client_id: int
    name: str  # the other person's
    active: bool  # writable: a subscription of theirs is active
    unread: int
    last_message_at: datetime | None
    last_body: str | None


def pairs_of(user_id):
    """(coach_id, client_id, active) of every pair the user is in: a client who joined a program
    of a coach (active or ended), or a thread they already have."""
    joined = (
        select(Program.coach_id.label("coach_id"), Subscription.client_id.label("client_id"),
               case((Subscription.status == ACTIVE, 1), else_=0).label("active"))
        .join(Program, Subscription.program_id == Program.id)
        .where(Subscription.client_id.is_not(None), Subscription.status.in_((ACTIVE, ENDED)),
               Program.coach_id != Subscription.client_id,
               or_(Program.coach_id == user_id, Subscription.client_id == user_id))
    )  # fmt: skip
    talked = select(Conversation.coach_id, Conversation.client_id, literal(0)).where(
        Conversation.kind == DIRECT, or_(Conversation.coach_id == user_id, Conversation.client_id == user_id)
    )
    both = union_all(joined, talked).subquery()
    return (
        select(both.c.coach_id, both.c.client_id, func.max(both.c.active).label("active"))
        .group_by(both.c.coach_id, both.c.client_id)
        .subquery()
    )


def conversations(user_id, search=""):
    """The user's conversations as Lines: unread first, then the latest, then by name; only
    those whose other person's name contains `search` (any case), when given."""
    pairs = pairs_of(user_id)
    other = aliased(User)
    unread = unread_by_thread(user_id)
    last_body = _last_body()
    unread_count = func.coalesce(unread.c.unread, 0)
    query = (
        select(pairs.c.coach_id, pairs.c.client_id, other.name, pairs.c.active, unread_count,
               Conversation.last_message_at, last_body)
        .join(other, other.id == case((pairs.c.coach_id == user_id, pairs.c.client_id), else_=pairs.c.coach_id))
        .outerjoin(Conversation, and_(Conversation.kind == DIRECT, Conversation.coach_id == pairs.c.coach_id,
                                      Conversation.client_id == pairs.c.client_id))
        .outerjoin(unread, unread.c.conversation_id == Conversation.id)
        .order_by(case((unread_count > 0, 0), else_=1), Conversation.last_message_at.desc().nulls_last(),
                  func.lower(other.name), other.id)
        .limit(LIMIT)
    )  # fmt: skip
    if search:
        query = query.where(func.lower(other.name).contains(search.lower(), autoescape=True))
    return [Line(*row[:3], bool(row[3]), *row[4:]) for row in db.session.execute(query).all()]


def unread_conversations(user_id, limit=LIMIT):
    """The user's conversations with something unread, as Lines, the latest first (the coach's
    Home): read from the unread messages, so its cost follows them, not the number of clients."""
    rows = db.session.execute(_unread_conversations(), {"user_id": user_id, "limit": limit})
    return [Line(*row[:3], bool(row[3]), *row[4:]) for row in rows]


@cache
def _unread_conversations():
    """Built once (Home runs it on every visit), with the user and the limit bound."""
    user_id = bindparam("user_id")
    other = aliased(User)
    unread = unread_by_thread(user_id)
    writable = (
        select(Subscription.id)
        .join(Program, Subscription.program_id == Program.id)
        .where(Program.coach_id == Conversation.coach_id, Subscription.client_id == Conversation.client_id,
               Subscription.status == ACTIVE)
        .correlate(Conversation)
        .exists()
    )  # fmt: skip
    return (
        select(Conversation.coach_id, Conversation.client_id, other.name, writable, unread.c.unread,
               Conversation.last_message_at, _last_body())
        .join(unread, unread.c.conversation_id == Conversation.id)
        .join(other, other.id == case((Conversation.coach_id == user_id, Conversation.client_id),
                                      else_=Conversation.coach_id))
        .where(Conversation.kind == DIRECT)
        .order_by(Conversation.last_message_at.desc().nulls_last(), func.lower(other.name), other.id)
        .limit(bindparam("limit"))
    )  # fmt: skip


def _last_body():
    """The latest message of the conversation in the query, not deleted (a scalar subquery)."""
    return (
        select(Message.body)
        .where(Message.conversation_id == Conversation.id, Message.deleted_at.is_(None))
        .order_by(Message.id.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class CommentLine:
    """A session thread with comments the user has not read."""

    conversation: Conversation
    name: str  # the other person's
    unread: int


def unread_comments(user_id, limit=50):
    """The session threads with comments the user has not read, latest first."""
    rows = db.session.execute(_unread_comments(), {"user_id": user_id, "limit": limit}).all()
    return [CommentLine(*row) for row in rows]


@cache
def _unread_comments():
    """Built once (Home runs it on every visit), with the user and the limit bound."""
    user_id = bindparam("user_id")
    other = aliased(User)
    unread = unread_by_thread(user_id)
    return (
        select(Conversation, other.name, unread.c.unread)
        .join(unread, unread.c.conversation_id == Conversation.id)
        .join(other, other.id == case((Conversation.coach_id == user_id, Conversation.client_id),
                                      else_=Conversation.coach_id))
        .where(Conversation.kind == SESSION)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(bindparam("limit"))
    )  # fmt: skip
