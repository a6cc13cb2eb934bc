"""Ownership in one place: every route that touches a program or a subscription loads it here."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from fitr.extensions import db
from fitr.programs.models import Program, Subscription


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
