"""Ownership in one place: every route that touches a program or a subscription loads it here."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def owned_program(program_id, *options):
    """The current coach's program, or 404 (another coach's program does not exist for you)."""
    program = db.session.scalar(
        select(Program).where(Program.id == program_id, Program.coach_id == current_user.id).options(*options)
    )
    if program is None:
        abort(404)
    return program


def owned_subscription(program_id, subscription_id, *options):
    """A subscription in one of the current coach's programs, or 404."""
    subscription = db.session.scalar(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Subscription.id == subscription_id,
            Subscription.program_id == program_id,
            Program.coach_id == current_user.id,
        )
        .options(*options)
    )
    if subscription is None:
        abort(404)
    return subscription


def coach_subscription(subscription_id, *options):
    """A subscription in one of the current coach's programs, its program loaded, else 404."""
    program_id = db.session.scalar(select(Subscription.program_id).where(Subscription.id == subscription_id))
    if program_id is None:
        abort(404)
    return owned_subscription(program_id, subscription_id, joinedload(Subscription.program), *options)
