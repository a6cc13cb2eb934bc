"""Accepting an invite: the invited person (logged in, or making their account on the spot)
joins the program; and what every way of joining shares (the waiver, the new account, starting
the subscription with its calendar, telling the coach)."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from fitr.accounts.models import User
from fitr.accounts.rules import AccountError, create_account, normalise_email
from fitr.calendars.copying import seed_calendar
from fitr.clock import today_for, utcnow
from fitr.extensions import db
from fitr.invites.inviting import InviteError
from fitr.invites.models import ACCEPTED, EXPIRED, PENDING, REVOKED, Invite
from fitr.notices import rules as notices
from fitr.notices.models import JOINED
from fitr.payments import rules as payments
from fitr.programs.models import PUBLISHED, SELF_PACED, Program
from fitr.programs.rules import default_start
from fitr.subscriptions import rules as subscriptions
from fitr.subscriptions.models import Subscription
from fitr.subscriptions.rules import SubscriptionError
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
    """The client joins: their pending subscription becomes active from its start date (or the
    program's default for them; in a Session 1 Day 1 program, the day they picked), and their
    own calendar is seeded from the template (Fixed Length and Session 1 Day 1: all of it). A
    paid program with card payments on waits for Stripe instead (Awaiting payment): False."""
    if program.type == SELF_PACED:  # checked, and kept for when the payment comes, first
        subscription.start_date = check_picked_start(picked_start, today_for(client), new_account)
    if payments.needs_checkout(subscription, program):
        payments.await_payment(subscription, program, client)
        return False
    payments.sell(subscription, program)
    start_date = subscription.start_date or default_start(program, today_for(client))
    try:
        subscriptions.activate(subscription, client, start_date, now)
    except SubscriptionError as error:
        raise InviteError(error.message, code=error.code) from None
    seed_calendar(program, subscription, start_date)
    return True


def added_as(subscription, client):
    """The name the coach entered for a manually added client, when the client joined under
    another one (their own replaces it everywhere, so the coach is told both once); else ""."""
    entered = " ".join((subscription.client_name or "").split())
    if entered and entered.casefold() != " ".join(client.name.split()).casefold():
        return entered
    return ""


def joined_name(client, entered=""):
    """How the coach is told who joined: "Robert Smith (you added them as Bob Smith)"."""
    return f"{client.name} (you added them as {entered})" if entered else client.name


def tell_coach(program, client, entered=""):
    notices.tell(program.coach_id, f"{joined_name(client, entered)} joined {program.name}",
                 f"/programs/{program.id}/clients/active", kind=JOINED, program_id=program.id, client_id=client.id)  # fmt: skip


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
    if start(invite.subscription, program, user, now, start_date, created):
        tell_coach(program, user, entered)
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
