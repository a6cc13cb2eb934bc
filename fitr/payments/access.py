"""Ownership in one place: a client reaches only their own payments; a coach only those of
their programs' clients (through fitr.programs.access)."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from fitr.extensions import db
from fitr.subscriptions.models import Subscription


def own_payment(subscription_id):
    """The current user's own subscription as a client, or 404."""
    subscription = db.session.scalar(
        select(Subscription).where(Subscription.id == subscription_id, Subscription.client_id == current_user.id)
    )
    if subscription is None:
        abort(404)
    return subscription
