"""Accepting an invite: the invited person (logged in, or making their account on the spot)
joins the program; and what every way of joining shares (the waiver, the new account, starting
the subscription through fitr.lifecycle)."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from fitr.accounts.models import User
from fitr.accounts.rules import AccountError, create_account, normalise_email
from fitr.clock import today_for, utcnow
from fitr.extensions import db
from fitr.invites.inviting import InviteError
from fitr.invites.models import ACCEPTED, EXPIRED, PENDING, REVOKED, Invite
from fitr.lifecycle import rules as lifecycle
from fitr.lifecycle.paying import PaymentChoiceError
from fitr.lifecycle.rules import SubscriptionError, added_as
from fitr.programs.models import PUBLISHED, SELF_PACED, Program
from fitr.subscriptions.models import Subscription
from fitr.tokens import hash_token

WAIVER_REFUSED = "Read the waiver and tick the box to agree to it."
PICK_AHEAD_DAYS = 90  # a Session 1 Day 1 client starts from today to this many days ahead


@dataclass
class NewAccount:
    """What a visitor without an account types on the acceptance page."""

    name: str
    password: str
    time_zone: str = "UTC"  # as the browser reported it


@dataclass
class Joined:
    """A client joined a program: their now active subscription, and who to tell."""

    subscription: Subscription
    program: Program
    client: User
    coach: User
    new_account: bool
    added_as: str = ""  # the other name the coach had entered for them (see added_as)


# --- what every way of joining shares --------------------------------------------------------


def check_waiver(program, agreed):
    if program.waiver and not agreed:
        raise InviteError(WAIVER_REFUSED, "agree", code="waiver")


def new_client_account(account, email):
    """The account an invited person makes as they accept: a client (not a coach), its address
    proven by the emailed invite."""
    try:
        return create_account(account.name, email, account.password, is_coach=False, time_zone=account.time_zone)
    except AccountError as error:
        code = "account_exists" if error.code == "email_taken" else error.code
        raise InviteError(error.message, error.field, code=code) from None


def check_picked_start(picked, today, new_account=False):
    """The start a Session 1 Day 1 client picks: from their today to 90 days ahead (none: today).
    A visitor making their account was offered the server's (UTC) today before their time zone
    was known, so that day is taken too."""
    if picked is None:
        return today
    last = today + timedelta(days=PICK_AHEAD_DAYS)
    first = min(today, utcnow().date()) if new_account else today
    if not first <= picked <= last:
        raise InviteError(
            f"Choose a start date from today ({today:%-d %b %Y}) to {last:%-d %b %Y}.", "start_date", code="start_date"
        )
    return picked


def start(subscription, program, client, now, picked_start=None, new_account=False):
    """The client joins (lifecycle.join): active, with their calendar, the coach told; or, in a
    paid program with card payments on, Awaiting payment (False). In a Session 1 Day 1 program
    the day they picked is checked first, and kept for when the payment comes."""
    picked = check_picked_start(picked_start, today_for(client), new_account) if program.type == SELF_PACED else None
    try:
        return lifecycle.join(subscription, program, client, now, start_date=picked)
    except (SubscriptionError, PaymentChoiceError) as error:  # someone else got there first
        raise InviteError(error.message, code=error.code) from None


# --- accepting an invite ---------------------------------------------------------------------


def invite_for_token(token):
    """The pending invite a link points at, with its program and coach; else InviteError.
    The messages say nothing about any other invite."""
    invite = None
    if token and len(token) <= 200:
        invite = db.session.scalar(
            select(Invite)
            .options(joinedload(Invite.program).joinedload(Program.coach), joinedload(Invite.subscription))
            .where(Invite.token_hash == hash_token(token))
        )
    if invite is None:
        raise InviteError("This invite link is not valid. Check that you copied all of it, or ask your coach for a new one.", code="invalid")
    if invite.status == ACCEPTED:
        raise InviteError("This invite has already been accepted.", code="used", invite=invite)
    if invite.status == REVOKED:
        raise InviteError("This invite was withdrawn by the coach.", code="revoked", invite=invite)
    if invite.status == EXPIRED or invite.expires_at is None or invite.expires_at <= utcnow():
        raise InviteError("This invite has expired. Ask your coach to send a new one.", code="expired", invite=invite)
    if invite.program.status != PUBLISHED:
        raise InviteError("This program is not taking new clients right now.", code="closed", invite=invite)
    return invite


def accept_invite(token, user=None, new_account=None, agreed_to_waiver=False, start_date=None):
    """Accept invite: the client (logged in as `user`, or a new account) joins the program.
    The invite is claimed with one conditional UPDATE, so a double click, two tabs or a reused
    link never make a second subscription; the subscription's unique index backs it.
    `start_date`: the day a Session 1 Day 1 client picked (ignored for other types)."""
    invite = invite_for_token(token)
    program = invite.program
    check_waiver(program, agreed_to_waiver)
    created = user is None
    if created:
        if new_account is None:
            raise InviteError("Log in or create an account to accept.", code="login")
        user = new_client_account(new_account, invite.email)
    elif normalise_email(user.email) != invite.email:
        raise InviteError(f"This invite is for {invite.email}, not for {user.email}.", code="wrong_user")
    if user.id == program.coach_id:
        raise InviteError("You cannot join your own program.", code="own_program")
    now = utcnow()
    claimed = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.status == PENDING, Invite.expires_at > now)
        .values(status=ACCEPTED, accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InviteError("This invite has already been accepted.", code="used")
    entered = added_as(invite.subscription, user)
    start(invite.subscription, program, user, now, start_date, created)
    db.session.flush()
    return Joined(invite.subscription, program, user, program.coach, created, entered)


def accepted_subscription_for(token, user):
    """After a double click: the subscription this user already got from this invite, if any."""
    if user is None or not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(Subscription)
        .join(Invite, Invite.subscription_id == Subscription.id)
        .where(
            Invite.token_hash == hash_token(token),
            Invite.status == ACCEPTED,
            Subscription.client_id == user.id,
        )
    )
