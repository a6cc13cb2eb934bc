"""Who may read and write which thread, in one place: a direct thread belongs to its coach and
client (who have, or had, a subscription together); a message may be changed only by its author.
Anyone else's ids are a 404 like any missing page."""

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import case, func, select

from fitr.accounts.models import User
from fitr.conversations import rules
from fitr.conversations.models import Conversation, Message
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription


@dataclass
class Pair:
    coach: User
    client: User
    conversation: Conversation | None
    active: bool  # a subscription of theirs is active: the thread can be written


def together(coach_id, client_id):
    """(any, active): whether the client has joined one of the coach's programs, and whether one
    such subscription is still active. One query."""
    found, active = db.session.execute(
        select(func.count(Subscription.id), func.max(case((Subscription.status == ACTIVE, 1), else_=0)))
        .join(Program, Subscription.program_id == Program.id)
        .where(Program.coach_id == coach_id, Subscription.client_id == client_id,
               Subscription.status.in_((ACTIVE, ENDED)))
    ).one()  # fmt: skip
    return bool(found), bool(active)


def own_pair(coach_id, client_id):
    """The direct thread of a coach and a client, for one of them: they have (or had) a
    subscription together, or already wrote to each other."""
    if current_user.id not in (coach_id, client_id) or coach_id == client_id:
        abort(404)
    joined, active = together(coach_id, client_id)
    conversation = rules.find_direct(coach_id, client_id)
    if not joined and conversation is None:
        abort(404)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_((coach_id, client_id))))}
    if len(people) < 2:
        abort(404)
    return Pair(people[coach_id], people[client_id], conversation, active)


def own_message(message_id):
    """(message, conversation, coach, client): a message the current user wrote, in a thread
    they take part in."""
    row = db.session.execute(
        select(Message, Conversation)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Message.id == message_id, Message.author_id == current_user.id)
    ).one_or_none()
    if row is None:
        abort(404)
    message, conversation = row
    if current_user.id not in (conversation.coach_id, conversation.client_id):
        abort(404)
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_((conversation.coach_id, conversation.client_id))))}  # fmt: skip
    return message, conversation, people[conversation.coach_id], people[conversation.client_id]
