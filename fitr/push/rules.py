"""Reminders' rules: save what someone chose, and add or remove one of their browsers."""

import datetime as dt

from sqlalchemy import select

from fitr.extensions import db
from fitr.push.models import REMINDER_TIME, PushSubscription, Reminders

CHOICES = ("training", "coach_replied", "new_training", "client_logs", "client_comments", "client_messages")
COACH_CHOICES = ("client_logs", "client_comments", "client_messages")


def reminders_of(user):
    """What `user` chose (unsaved defaults, all off, when they never did)."""
    return db.session.get(Reminders, user.id) or Reminders(user_id=user.id, training_at=REMINDER_TIME,
                                                           **dict.fromkeys(CHOICES, False))  # fmt: skip


def save_reminders(user, training_at, **chosen):
    """Keep `user`'s choices; a coach's choices about clients only for a coach."""
    reminders = db.session.get(Reminders, user.id)
    if reminders is None:
        reminders = Reminders(user_id=user.id)
        db.session.add(reminders)
    for name in CHOICES:
        if name in COACH_CHOICES and not user.is_coach:
            continue
        setattr(reminders, name, bool(chosen.get(name)))
    if training_at:
        reminders.training_at = dt.time.fromisoformat(training_at)
    return reminders


def add_browser(user, endpoint, p256dh, auth):
    """This browser now takes `user`'s pushes. A browser someone else turned reminders on in
    (a shared phone) is theirs no longer: one person's pushes never reach the next."""
    browser = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if browser is None:
        browser = PushSubscription(endpoint=endpoint)
        db.session.add(browser)
    browser.user_id, browser.p256dh, browser.auth = user.id, p256dh, auth
    return browser


def own_browser(user, endpoint):
    """`user`'s browser with this endpoint, or None: the one place a browser's owner is checked."""
    return db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id)
    )


def endpoints_of(user):
    """The push addresses of `user`'s browsers."""
    return db.session.scalars(select(PushSubscription.endpoint).where(PushSubscription.user_id == user.id)).all()
