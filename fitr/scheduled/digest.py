"""The coach's daily digest: who trained, who missed, who needs training and what is unread, by
email at 07:00 where the coach is (or never: Settings). Sent at most once a day per coach, even
when two workers (or `flask notify`) run at once: a copy claims the day with a unique row and
writes the email to the outbox in the same transaction; the worker delivers it (and retries)."""

import logging
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fitr import mail
from fitr.accounts.models import User
from fitr.calendars.ahead import missed, needs_training
from fitr.clock import local, utcnow
from fitr.conversations import rules as conversations
from fitr.extensions import db
from fitr.history.models import DONE, SessionLog
from fitr.notices import rules as notices
from fitr.programs.models import Program
from fitr.scheduled.models import Digest
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.web import absolute_url

log = logging.getLogger(__name__)

DIGEST_HOUR = 7  # 07:00 where the coach is


def coaches_with_clients():
    """The coaches who want the digest and have at least one active client."""
    with_clients = select(Program.coach_id).join(Subscription, Subscription.program_id == Program.id).where(
        Subscription.status == ACTIVE
    )
    return db.session.scalars(select(User).where(User.email_digest, User.id.in_(with_clients)).order_by(User.id)).all()


def send_digests():
    """Send every digest that is due (07:00 has passed where the coach is, and today's was not
    sent). Returns how many were sent."""
    sent = 0
    for coach in coaches_with_clients():
        now = local(utcnow(), coach)
        if now.hour < DIGEST_HOUR:
            continue
        digest = claim(coach.id, now.date())
        if digest is not None and send(coach, digest):
            sent += 1
    return sent


def claim(user_id, day):
    """The day's digest for this coach, claimed (and committed) by this copy; None when it is
    already claimed, by this run, an earlier one, or one running now."""
    if db.session.scalar(select(Digest.id).where(Digest.user_id == user_id, Digest.day == day)) is not None:
        return None
    digest = Digest(user_id=user_id, day=day)
    try:
        with db.session.begin_nested():
            db.session.add(digest)
    except IntegrityError:
        return None
    return digest


def contents(coach):
    """What the digest says: trained (the last 24 hours), missed (each client's yesterday),
    needs training, unread messages and comments, and unread notices."""
    since = utcnow() - timedelta(days=1)
    trained = db.session.execute(
        select(User.name, SessionLog.session_title, Program.name)
        .join(Subscription, Subscription.id == SessionLog.subscription_id)
        .join(Program, Program.id == Subscription.program_id)
        .join(User, User.id == SessionLog.user_id)
        .where(Program.coach_id == coach.id, SessionLog.status == DONE, SessionLog.created_at >= since)
        .order_by(func.lower(User.name), SessionLog.date, SessionLog.id)
    ).all()
    needs = sorted(needs_training(coach.id).values(), key=lambda n: (n.client_name.lower(), n.program_name.lower()))
    return {
        "trained": trained,
        "missed": missed(coach.id, days=1),
        "needs": needs,
        "unread_messages": conversations.count_unread(coach.id),
        "unread_notices": notices.count_unread(coach.id),
    }


def site():
    """Where fitr is, for links in an email: BASE_URL, or the request's."""
    return current_app.config.get("BASE_URL") or request.url_root.rstrip("/")


def send(coach, digest):
    """Write the claimed digest to the outbox and commit both. True when it is on its way."""
    found = contents(coach)
    subject = (
        f"Your fitr day: {len(found['trained'])} trained, {len(found['missed'])} missed, "
        f"{len(found['needs'])} need training"
    )
    result = mail.send(
        coach.email, subject, "digest", coach=coach, day=digest.day, home=absolute_url("home.index"),
        settings=absolute_url("accounts.settings"), site=site(), **found,
    )  # fmt: skip
    # Queued: the claim and the email are committed together; the worker sends it.
    digest.status, digest.sent_at = ("sent" if result.queued else result.status), utcnow()
    db.session.commit()
    return result.queued
