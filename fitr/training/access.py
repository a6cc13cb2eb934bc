"""Ownership on the client's side in one place: every /my route loads what it shows here, so
another client's session, log, program or record is a 404 like any missing page."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fitr.extensions import db
from fitr.history.logs import own_log as find_own_log
from fitr.history.records import visible_exercise
from fitr.lifecycle.rules import settle_lapsed
from fitr.programs.models import SELF_PACED, Program
from fitr.subscriptions.models import ACTIVE, ENDED, Subscription
from fitr.training.visibility import client_subscriptions, find_own_session


def own_session(session_id, today):
    """(session, subscription): a session on one of the current user's active subscriptions'
    calendars (or their Group program's), inside what they may see ahead; else 404."""
    found = find_own_session(current_user, session_id, today)
    if found is None:
        abort(404)
    return found


def own_movable_session(session_id, today):
    """(session, subscription): one of the current user's sessions they may see, in a Session 1
    Day 1 program (where a client moves their own sessions); anything else is a 404."""
    session, subscription = own_session(session_id, today)
    if subscription.program.type != SELF_PACED:
        abort(404)
    return session, subscription


def own_subscription(subscription_id):
    """One of the current user's subscriptions as a client (active or ended), program and coach
    loaded; pending ones (not joined yet) and everyone else's are a 404."""
    subscription = db.session.scalar(
        select(Subscription)
        .where(
            Subscription.id == subscription_id,
            Subscription.client_id == current_user.id,
            Subscription.status.in_((ACTIVE, ENDED)),
        )
        .options(joinedload(Subscription.program).joinedload(Program.coach))
    )
    if subscription is None:
        abort(404)
    if settle_lapsed([subscription]):  # unpaid past its grace period: it ends now
        db.session.refresh(subscription)
    return subscription


def my_subscriptions():
    """The current user's subscriptions as a client (see client_subscriptions), any unpaid past
    its grace period ended first."""
    subscriptions = client_subscriptions(current_user.id)
    if settle_lapsed(subscriptions):
        db.session.expire_all()
        subscriptions = client_subscriptions(current_user.id)
    return subscriptions


def own_log(log_id):
    log = find_own_log(current_user.id, log_id)
    if log is None:
        abort(404)
    return log


def own_exercise(exercise_id):
    """An exercise the current user may see records of (their library or one they logged)."""
    exercise = visible_exercise(current_user.id, exercise_id)
    if exercise is None:
        abort(404)
    return exercise
