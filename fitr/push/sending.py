"""Pushes, written and delivered like email: `tell` writes one row per browser the person has
turned reminders on in, in the caller's transaction (or, where they have none, the email
fallback); the worker delivers each with `deliver`, signed with the server's VAPID key and
encrypted for that browser (pywebpush). A push service that answers 404 or 410 says the
subscription is gone: it is removed. A 429, a 5xx or no answer is tried again after the
outbox's pauses; any other refusal fails for good."""

import json
import logging

import requests
from flask import current_app, has_app_context
from pywebpush import WebPushException, webpush
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from fitr import mail
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.outbox import ATTEMPTS, BACKOFF, FAILED, QUEUED, SENDING, SENT, STALE_CLAIM
from fitr.push import keys
from fitr.push.models import PushMessage, PushSubscription

log = logging.getLogger(__name__)

GONE = {404, 410}  # the push service no longer knows this subscription
TTL = 24 * 60 * 60  # seconds a push service keeps a push for a phone that is off


def subscriptions_of(user_ids):
    """{user id: [PushSubscription]} of these people: one query."""
    found = {}
    if user_ids:
        for subscription in db.session.scalars(
            select(PushSubscription).where(PushSubscription.user_id.in_(list(user_ids))).order_by(PushSubscription.id)
        ):
            found.setdefault(subscription.user_id, []).append(subscription)
    return found


def tell(user, title, body, link, email=None, browsers=None):
    """Push `title` and `body` (never more than a notice would say) to every browser of `user`,
    opening `link` (a path inside fitr) when tapped. With none, send `email` instead when given:
    (subject, template, context) for mail.send. `browsers`: their subscriptions, when the caller
    has them already. Returns how many pushes were written."""
    if browsers is None:
        browsers = subscriptions_of({user.id}).get(user.id, [])
    for subscription in browsers:
        db.session.add(PushMessage(subscription_id=subscription.id, title=title[:100], body=body[:300], link=link[:300]))
    if not browsers and email is not None:
        subject, template, context = email
        mail.send(user.email, subject, template, about=f"push_{template}", user=user, **context)
    return len(browsers)


# --- enqueue after commit ----------------------------------------------------------------------
# As the outbox does: each new push is handed to the worker once its transaction commits; one
# whose enqueue is lost is found by the every-minute task.


@event.listens_for(Session, "after_flush")
def _note_new(session, _flush_context):
    new = [obj.id for obj in session.new if isinstance(obj, PushMessage)]
    if new:
        session.info.setdefault("push_new", []).extend(new)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    ids = session.info.pop("push_new", None)
    tasks = has_app_context() and current_app.extensions.get("push_tasks")
    if ids and tasks:
        try:
            for push_id in ids:
                tasks["deliver"](push_id)
        except Exception:  # the queue is away: the every-minute task finds these rows
            log.warning("Could not enqueue pushes %s; the next minute's run will.", ids, exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop("push_new", None)


# --- the worker's side -------------------------------------------------------------------------


def _due(now):
    return or_(
        (PushMessage.status == QUEUED) & (PushMessage.next_attempt_at <= now),
        (PushMessage.status == SENDING) & (PushMessage.claimed_at <= now - STALE_CLAIM),
    )


def due_ids(limit=500):
    """Pushes the worker should try now: queued and due, or claimed by a worker that died."""
    return db.session.scalars(
        select(PushMessage.id).where(_due(utcnow())).order_by(PushMessage.next_attempt_at, PushMessage.id).limit(limit)
    ).all()


def claim(push_id, now):
    """Take the row for this worker if it is due and nobody has it: True when taken."""
    taken = db.session.execute(
        update(PushMessage)
        .where(PushMessage.id == push_id, _due(now))
        .values(status=SENDING, claimed_at=now, attempts=PushMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def send(push, subscription):
    """Hand one push to its push service. (status code or None, error or None); never raises."""
    payload = json.dumps({"title": push.title, "body": push.body, "url": push.link})
    try:
        webpush(subscription.info(), payload, vapid_private_key=keys.vapid(), vapid_claims={"sub": keys.subject()},
                ttl=TTL, timeout=current_app.config.get("PUSH_TIMEOUT", 10))  # fmt: skip
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        return status, f"The push service answered {status}: {error.message}"[:500]
    except (requests.RequestException, OSError) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    except Exception as error:  # a bad key in the subscription, say: never into the worker's loop
        log.exception("A push to %s failed unexpectedly", subscription.endpoint)
        return 400, f"{type(error).__name__}: {error}"[:500]
    return 201, None


def deliver(push_id):
    """Deliver one push: claim it, send it, record the outcome (or remove a subscription the push
    service says is gone, with its pushes). Returns the new status, "gone", or None when the row
    was not ours to send."""
    if not claim(push_id, utcnow()):
        return None
    push = db.session.get(PushMessage, push_id)
    subscription = db.session.get(PushSubscription, push.subscription_id)
    status, error = send(push, subscription)
    now = utcnow()
    if status in GONE:
        log.info("The push service says subscription %s is gone; removed.", subscription.id)
        db.session.delete(subscription)  # and its pushes, by the foreign key
        db.session.execute(PushMessage.__table__.delete().where(PushMessage.subscription_id == subscription.id))
        db.session.commit()
        return "gone"
    if error is None:
        push.status, push.sent_at, push.last_error = SENT, now, None
    elif (status is not None and status < 500 and status != 429) or push.attempts >= ATTEMPTS:
        push.status, push.last_error = FAILED, error
    else:
        push.status, push.last_error = QUEUED, error
        push.next_attempt_at = now + BACKOFF[push.attempts - 1]
    push.claimed_at = None
    db.session.commit()
    return push.status
