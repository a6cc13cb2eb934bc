"""Deleting an account. With the user row go (the database's ON DELETE CASCADE): their logins,
password reset and email confirmation links, calendar feed links; their logs, sets and records
entered by hand; the maxes set for them; their message and comment threads with every message
in them, their coach's too; their notices, and every notice about them a coach was given (it may
quote what they wrote: a message, a comment, why they skipped); their digest and thread-email
bookkeeping. The emails written to them (sent or waiting) are deleted too. Each coach keeps the
calendar they wrote, its subscription ended and shown under Past clients as "Deleted client",
its invites without the address, and their payments ledger as it was (with the name the client
paid under). A coach's own programs go with them, so an account that coaches is deleted by the
host (flask delete-account), not from Settings. A card payment still running is cancelled in
Stripe first, without a refund."""

import logging

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from fitr.accounts.models import User
from fitr.cards import stripe_api
from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.lifecycle import rules as lifecycle
from fitr.outbox import OutboxMessage
from fitr.programs.models import Program
from fitr.subscriptions.models import ACTIVE, CARD_LIVE, Subscription

log = logging.getLogger(__name__)
DELETED_CLIENT = "Deleted client"


class DeletionError(RuleError):
    """The account cannot be deleted (yet); the message says why and what to do."""


def programs_coached(user_id):
    return db.session.scalar(select(func.count()).select_from(Program).where(Program.coach_id == user_id))


def card_payments(user_id):
    """The subscriptions the person still pays for by card through Stripe, program loaded."""
    return db.session.scalars(
        select(Subscription)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Subscription.client_id == user_id,
            Subscription.status == ACTIVE,
            Subscription.payment.in_(CARD_LIVE),
        )
        .options(joinedload(Subscription.program))
        .order_by(Program.name)
    ).all()


def check_deletable(user, with_programs=False):
    """Raises DeletionError when deleting now would lose something the person did not mean to:
    their own programs (unless the host says so), or a card payment fitr cannot stop (Stripe
    keys removed since). Returns the card payments deleting will cancel."""
    coached = programs_coached(user.id)
    if coached and not with_programs:
        raise DeletionError(
            f"You coach {coached} program{'s' if coached != 1 else ''}: deleting your account would delete "
            "them and your clients' calendars. Ask whoever runs this fitr to delete a coach's account."
        )
    paying = [s for s in card_payments(user.id) if s.paid_by_card]
    if paying and not stripe_api.configured():
        names = ", ".join(s.program.name for s in paying)
        raise DeletionError(f"You pay for {names} by card, and card payments are off on this fitr just now: "
                            "ask your coach to cancel the payment, then delete your account.")  # fmt: skip
    return paying


def delete_account(user, with_programs=False, now=None):
    """Delete the account in the caller's transaction (the caller commits). Their subscriptions
    end and are renamed "Deleted client" without their address; everything that is theirs alone
    goes with the user row."""
    paying = check_deletable(user, with_programs)
    now = now or utcnow()
    for subscription in paying:  # Stripe stops charging first (no refund); each ends here
        try:
            lifecycle.end(subscription, now=now)
        except RuleError as error:
            raise DeletionError(f"Your card payment for {subscription.program.name} could not be cancelled, so "
                                f"nothing was deleted. {error.message}") from None  # fmt: skip
    theirs = select(Subscription.id).where(Subscription.client_id == user.id).scalar_subquery()
    db.session.execute(
        update(Invite).where(Invite.subscription_id.in_(theirs)).values(email="", token_hash=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    lifecycle.end_every(user.id, now)
    db.session.execute(
        update(Subscription)
        .where(Subscription.client_id == user.id)
        .values(client_id=None, client_name=DELETED_CLIENT, client_email="", welcome_dismissed_at=None)
        .execution_options(synchronize_session=False)
    )
    # The emails written to them (sent or waiting) go too: they hold their name and address.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to == user.email).execution_options(synchronize_session=False))
    user_id = user.id
    db.session.expunge(user)
    db.session.execute(delete(User).where(User.id == user_id).execution_options(synchronize_session=False))
    log.info("account %s deleted", user_id)
