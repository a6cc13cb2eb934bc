"""The training reminder: on a day someone has training, at the time they chose, where they are
(their time zone), once. The worker looks every minute; a reminder not sent within LATE of its
time (the worker was down) is not sent that day: a 07:00 reminder at 22:00 is noise."""

from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR, Calendar, Session
from fitr.clock import local, utcnow
from fitr.extensions import db
from fitr.push.models import Reminders, TrainingReminder
from fitr.push.sending import subscriptions_of, tell
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.web import absolute_url

LATE = timedelta(hours=3)


def training_on(days_by_client):
    """{client id: [session titles]} of the sessions on each client's day ({client id: date}) in
    the calendars of their active subscriptions (their own, or their Group program's): one
    query."""
    if not days_by_client:
        return {}
    own, shared = aliased(Calendar), aliased(Calendar)
    rows = db.session.execute(
        select(Subscription.client_id, Session.date, Session.title)
        .outerjoin(own, and_(own.subscription_id == Subscription.id, own.kind == CLIENT_CALENDAR))
        .outerjoin(shared, and_(shared.program_id == Subscription.program_id, shared.kind == SHARED_CALENDAR))
        .join(Session, Session.calendar_id == func.coalesce(own.id, shared.id))
        .where(Subscription.status == ACTIVE, Subscription.client_id.in_(list(days_by_client)),
               Session.date.in_(set(days_by_client.values())))
        .order_by(Session.date, Session.position, Session.id)
    ).all()  # fmt: skip
    found = {}
    for client_id, day, title in rows:
        if days_by_client[client_id] == day:
            found.setdefault(client_id, []).append(title)
    return found


def due(now=None):
    """[(user, their day, [titles])] of the training reminders due now and not sent yet."""
    now = now or utcnow()
    candidates = {}
    for user, at in db.session.execute(
        select(User, Reminders.training_at).join(Reminders, Reminders.user_id == User.id).where(Reminders.training)
    ).all():
        here = local(now, user)
        chosen = datetime.combine(here.date(), at, tzinfo=here.tzinfo)
        if chosen <= here < chosen + LATE:
            candidates[user.id] = (user, here.date())
    if not candidates:
        return []
    sent = set(db.session.execute(
        select(TrainingReminder.user_id, TrainingReminder.day).where(TrainingReminder.user_id.in_(list(candidates)))
    ).all())  # fmt: skip
    waiting = {user_id: day for user_id, (_, day) in candidates.items() if (user_id, day) not in sent}
    titles = training_on(waiting)
    return [(candidates[user_id][0], day, titles[user_id]) for user_id, day in waiting.items() if user_id in titles]


def send_training_reminders(now=None):
    """Send every training reminder that is due, each claimed once (two workers at once send it
    once). Returns how many people were reminded."""
    found = due(now)
    browsers = subscriptions_of({user.id for user, _, _ in found})
    reminded = 0
    for user, day, titles in found:
        try:
            with db.session.begin_nested():
                db.session.add(TrainingReminder(user_id=user.id, day=day))
        except IntegrityError:  # another worker has it
            db.session.rollback()
            continue
        today = url_for("training.today")
        what = ", ".join(titles)
        tell(user, "Training today", what, today, browsers=browsers.get(user.id, []),
             email=(f"Training today: {what}", "training_reminder",
                    {"titles": titles, "link": absolute_url("training.today"),
                     "settings": absolute_url("push.reminders")}))  # fmt: skip
        db.session.commit()
        reminded += 1
    return reminded
