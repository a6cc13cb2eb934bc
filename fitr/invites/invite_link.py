"""A program's invite link: the coach turns it on (with an optional limit on uses and an
expiry), off, or regenerates it; anyone with it signs up (or logs in) and joins."""

import hmac

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from fitr.accounts.rules import normalise_email
from fitr.clock import end_of_day, today_for, utcnow
from fitr.extensions import db
from fitr.invites.accepting import Joined, check_waiver, start
from fitr.invites.inviting import FAR_FUTURE, InviteError, check_program_open
from fitr.invites.models import ACCEPTED, PENDING, Invite, InviteLink
from fitr.lifecycle import rules as lifecycle
from fitr.lifecycle.rules import added_as
from fitr.programs.models import PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE
from fitr.subscriptions.queries import live_subscription
from fitr.tokens import hash_token, new_token, signer


def link_token(link):
    """The link's token: the link's salt signed with SECRET_KEY, so it can be shown again while
    the database keeps only its hash."""
    return signer("invite-link").dumps(link.salt)


def link_matches_key(link):
    """False when the server's SECRET_KEY changed since the link was made: the link shown
    would not be found, and the coach must Regenerate it."""
    return hmac.compare_digest(link.token_hash, hash_token(link_token(link)))


def _new_salt(link):
    link.salt = new_token()
    link.token_hash = hash_token(link_token(link))


def invite_link_of(program):
    return db.session.scalar(select(InviteLink).where(InviteLink.program_id == program.id))


def check_link_settings(max_uses, expires_on, today):
    if max_uses is not None and not (1 <= max_uses <= 10_000):
        raise InviteError("Enter a number from 1 to 10,000, or leave it empty for no limit.", "max_uses", code="max_uses")
    if expires_on is not None and not (today < expires_on <= today + FAR_FUTURE):
        raise InviteError("Choose a date after today, within two years.", "expires_on", code="expires_on")


def turn_on_link(program, coach, max_uses=None, expires_on=None):
    """Turn on the program's invite link (made on first use) with an optional limit on uses and
    an expiry (the end of that day where the coach is). Turning it on again keeps the same
    link."""
    check_program_open(program)
    check_link_settings(max_uses, expires_on, today_for(coach))
    link = invite_link_of(program)
    if link is None:
        link = InviteLink(program_id=program.id, uses=0)
        _new_salt(link)
        db.session.add(link)
    link.enabled = True
    link.max_uses = max_uses
    link.expires_at = None if expires_on is None else end_of_day(expires_on, coach)
    if link.max_uses is not None and (link.uses or 0) >= link.max_uses:
        link.uses = 0  # a new limit counts from now
    db.session.flush()
    return link


def turn_off_link(program):
    link = invite_link_of(program)
    if link is None or not link.enabled:
        raise InviteError("The invite link is already off.", code="link_off")
    link.enabled = False
    db.session.flush()
    return link


def regenerate_link(program):
    """A new link: the old one stops working at once; uses count from zero."""
    check_program_open(program)
    link = invite_link_of(program)
    if link is None:
        raise InviteError("Turn on the invite link first.", code="link_off")
    _new_salt(link)
    link.uses = 0
    db.session.flush()
    return link


def link_for_token(token):
    """The usable invite link a token points at, with its program and coach; else InviteError."""
    link = None
    if token and len(token) <= 200:
        link = db.session.scalar(
            select(InviteLink)
            .options(joinedload(InviteLink.program).joinedload(Program.coach))
            .where(InviteLink.token_hash == hash_token(token))
        )
    if link is None:
        raise InviteError("This invite link is not valid. Ask your coach for a new one.", code="invalid")
    if not link.enabled:
        raise InviteError("This invite link has been turned off. Ask your coach for a new one.", code="link_off")
    if link.expired():
        raise InviteError("This invite link has expired. Ask your coach for a new one.", code="expired")
    if link.used_up:
        raise InviteError("This invite link has been used as many times as the coach allowed. Ask your coach for a new one.", code="used_up")
    if link.program.status != PUBLISHED:
        raise InviteError("This program is not taking new clients right now.", code="closed")
    return link


def join_with_link(token, user, agreed_to_waiver=False, start_date=None):
    """Join through a program's invite link, logged in as `user` (a new visitor signs up and
    proves their address first): one use is claimed with a conditional UPDATE, and the client
    gets an active subscription with a fresh calendar (or, if they had a pending invite to this
    program, that subscription and the calendar written for them)."""
    link = link_for_token(token)
    program = link.program
    check_waiver(program, agreed_to_waiver)
    if user.id == program.coach_id:
        raise InviteError("You cannot join your own program.", code="own_program")
    email = normalise_email(user.email)
    existing = live_subscription(program.id, email)
    if existing is not None and existing.status == ACTIVE:
        raise InviteError(f"You are already in {program.name}.", code="already_member", subscription=existing)
    if existing is not None and existing.awaiting_payment and existing.client_id == user.id:
        return Joined(existing, program, user, program.coach, False)  # back to Checkout, no new use
    now = utcnow()
    claimed = db.session.execute(
        update(InviteLink)
        .where(
            InviteLink.id == link.id,
            InviteLink.token_hash == hash_token(token),
            InviteLink.enabled.is_(True),
            or_(InviteLink.max_uses.is_(None), InviteLink.uses < InviteLink.max_uses),
            or_(InviteLink.expires_at.is_(None), InviteLink.expires_at > now),
        )
        .values(uses=InviteLink.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InviteError("This invite link can no longer be used. Ask your coach for a new one.", code="used_up")
    if existing is not None:  # pending: take over the invite and the calendar written for them
        db.session.execute(
            update(Invite)
            .where(Invite.subscription_id == existing.id, Invite.status == PENDING)
            .values(status=ACCEPTED, accepted_at=now)
            .execution_options(synchronize_session=False)
        )
        subscription = existing
    else:
        # The live-email unique index refuses a racing second join here.
        subscription = lifecycle.add_pending(program.id, email)
    entered = added_as(subscription, user)
    start(subscription, program, user, now, start_date)
    db.session.flush()
    return Joined(subscription, program, user, program.coach, False, entered)
