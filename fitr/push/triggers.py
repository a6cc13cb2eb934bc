"""What causes a push, heard where it is written, so no other area needs to know pushes exist:
a coach's message or comment to a client ("Your coach replied"), sessions added to a client's
calendar ("New training on your calendar"), and a coach's notices of their clients' logs,
comments and messages (the push says what the notice says, never more). The pushes are written
just before the transaction that caused them commits, in it: both are kept, or neither."""

from flask import has_request_context, url_for
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Calendar, Session
from fitr.conversations.models import DIRECT, Conversation, Message
from fitr.conversations.threads import page_of
from fitr.extensions import db
from fitr.notices.models import COMMENTED, LOGGED, MESSAGED, RECORD, SKIPPED, Notice
from fitr.push.models import Reminders
from fitr.push.sending import subscriptions_of, tell
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.web import absolute_url

# Which choice in Settings > Reminders a coach's notice of each kind needs.
NOTICE_CHOICE = {
    LOGGED: "client_logs", RECORD: "client_logs", SKIPPED: "client_logs",
    COMMENTED: "client_comments", MESSAGED: "client_messages",
}  # fmt: skip
TITLES = {"client_logs": "A client logged", "client_comments": "New comment", "client_messages": "New message"}


@event.listens_for(OrmSession, "after_flush")
def _note(session, _flush_context):
    seen = session.info.setdefault("push_seen", {"messages": set(), "calendars": set(), "notices": set()})
    for obj in session.new:
        if isinstance(obj, Message):
            seen["messages"].add(obj.id)
        elif isinstance(obj, Session):
            seen["calendars"].add(obj.calendar_id)
        elif isinstance(obj, Notice) and obj.kind in NOTICE_CHOICE:
            seen["notices"].add(obj.id)
    for obj in session.dirty:
        # A coach's unread notice of a thread is updated by each new message: a push again.
        if isinstance(obj, Notice) and obj.kind in NOTICE_CHOICE and inspect(obj).attrs.text.history.has_changes():
            seen["notices"].add(obj.id)


@event.listens_for(OrmSession, "after_rollback")
def _forget(session):
    session.info.pop("push_seen", None)


@event.listens_for(OrmSession, "before_commit")
def _push_what_was_written(session):
    if session is not db.session() or not has_request_context():
        session.info.pop("push_seen", None)
        return  # only fitr's own session, in a request or the worker's jobs (which have one)
    session.flush()
    seen = session.info.pop("push_seen", None)
    if not seen or not any(seen.values()):
        return
    wanted = {}  # (user id, choice) the person turned on; one query for all
    pushes = []  # (user id, choice, title, body, link, email)
    pushes += _coach_replied(seen["messages"])
    pushes += _new_training(seen["calendars"])
    pushes += _coach_notices(seen["notices"])
    if not pushes:
        return
    users = {user_id for user_id, *_ in pushes}
    for reminders in db.session.scalars(select(Reminders).where(Reminders.user_id.in_(users))):
        for choice in ("coach_replied", "new_training", *set(NOTICE_CHOICE.values())):
            wanted[reminders.user_id, choice] = getattr(reminders, choice)
    told = [p for p in pushes if wanted.get((p[0], p[1]))]
    if not told:
        return
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_({p[0] for p in told})))}
    browsers = subscriptions_of(people)
    for user_id, _, title, body, link, email in told:
        tell(people[user_id], title, body, link, email=email, browsers=browsers.get(user_id, []))
    session.flush()


def _coach_replied(message_ids):
    """The client of each thread where someone other than the client wrote (their coach)."""
    if not message_ids:
        return []
    rows = db.session.execute(
        select(Conversation, User.name)
        .join(Message, Message.conversation_id == Conversation.id)
        .join(User, User.id == Message.author_id)
        .where(Message.id.in_(message_ids), Message.author_id != Conversation.client_id)
    ).all()
    pushes, done = [], set()
    for conversation, coach_name in rows:
        if conversation.id in done:
            continue
        done.add(conversation.id)
        if conversation.kind == DIRECT:
            body = f"{coach_name} sent you a message"
        else:
            body = f"{coach_name} commented on {conversation.session_title}"
        pushes.append((conversation.client_id, "coach_replied", "Your coach replied", body,
                       page_of(conversation, conversation.client_id), None))  # fmt: skip
    return pushes


def _new_training(calendar_ids):
    """The active clients of each calendar sessions were added to: its 1-2-1 client, or every
    client of its Group program. One push per client, however many sessions."""
    if not calendar_ids:
        return []
    clients = set(db.session.scalars(
        select(Subscription.client_id)
        .join(Calendar, ((Calendar.kind == CLIENT_CALENDAR) & (Calendar.subscription_id == Subscription.id))
              | ((Calendar.kind == SHARED_CALENDAR) & (Calendar.program_id == Subscription.program_id)))
        .where(Calendar.id.in_(calendar_ids), Subscription.status == ACTIVE, Subscription.client_id.is_not(None))
    ))  # fmt: skip
    link = url_for("training.today")
    email = ("New training on your calendar", "new_training",
             {"link": absolute_url("training.today"), "settings": absolute_url("push.reminders")})  # fmt: skip
    body = "Your coach added training to your calendar"
    return [(client_id, "new_training", "New training on your calendar", body, link, email) for client_id in clients]


def _coach_notices(notice_ids):
    """Each new (or updated) notice of a client's log, comment or message, as its coach reads it."""
    if not notice_ids:
        return []
    notices = db.session.scalars(select(Notice).where(Notice.id.in_(notice_ids), Notice.read_at.is_(None)))
    return [(n.user_id, NOTICE_CHOICE[n.kind], TITLES[NOTICE_CHOICE[n.kind]], n.text, n.link, None) for n in notices]
