"""Sending an invite: Send invite and Resend (a fresh link by email, a few times an hour), Copy
link, recording how delivery went, Revoke, and invites that expire.

Sending is split from saving: a rule makes the invite's token, the caller commits, and only
then `deliver_invite` sends the email and records what happened. So an invite is never lost
because mail failed, and no database write waits on an SMTP server.
"""

from datetime import timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.orm import joinedload

from fitr import mail
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.inviting import (
    check_pending,
    check_program_open,
    claim_send,
    expiry_days,
    renew_link,
)
from fitr.invites.models import EXPIRED, FAILED, NOT_CONFIGURED, PENDING, REVOKED, SENT, Invite
from fitr.programs.models import Program
from fitr.subscriptions import rules as subscriptions
from fitr.subscriptions.models import Subscription


def send_invite(invite, program):
    """Send invite / Resend: make a fresh link for the email (within the limits on sending).
    Returns the token; the caller commits, then calls `deliver_invite`."""
    check_pending(invite)
    check_program_open(program)
    return claim_send(invite, program.coach_id)


def copy_link(invite, program):
    """Copy link: a fresh link to share by hand; the previous link stops working."""
    check_pending(invite)
    check_program_open(program)
    return renew_link(invite)


def deliver_invite(invite, token, link):
    """Email the invite (call after the invite is committed) and record how delivery went."""
    program = db.session.scalar(
        select(Program).options(joinedload(Program.coach)).where(Program.id == invite.program_id)
    )
    coach = program.coach
    result = mail.send(
        invite.email,
        f"{coach.name} invited you to {program.name} on fitr",
        "invite",
        reply_to=coach.email,
        coach=coach,
        program=program,
        invite=invite,
        link=link,
        days=expiry_days(),
    )
    now = utcnow()
    invite.delivery_status = {mail.SENT: SENT, mail.FAILED: FAILED}.get(result.status, NOT_CONFIGURED)
    invite.delivery_error = result.error
    invite.send_count = Invite.send_count + 1
    invite.last_sent_at = now
    if result.sent and invite.sent_at is None:
        invite.sent_at = now
    db.session.flush()
    return result


def revoke_invite(invite):
    """Revoke: the link stops working and the client leaves Pending invites. Their pending
    subscription ends (never started), keeping any calendar the coach wrote."""
    now = utcnow()
    revoked = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.status == PENDING)
        .values(status=REVOKED, revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if revoked != 1:
        db.session.refresh(invite)
        check_pending(invite)
    subscriptions.end_pending([invite.subscription_id], now)
    db.session.expire_all()


def expire_overdue_invites(now=None, program_id=None, coach_id=None):
    """Invites past their expiry leave Pending invites: they become expired and their pending
    subscription ends (never started). Idempotent. Pages call it on every visit (and poll), so
    it first asks with one cheap SELECT whether anything is overdue, and writes only then (two
    UPDATEs whatever the number). Returns how many invites expired."""
    now = now or utcnow()
    overdue = and_(Invite.status == PENDING, Invite.expires_at.is_not(None), Invite.expires_at <= now)
    if program_id is not None:
        overdue = and_(overdue, Invite.program_id == program_id)
    if coach_id is not None:
        overdue = and_(overdue, Invite.program_id.in_(select(Program.id).where(Program.coach_id == coach_id)))
    if db.session.scalar(select(Invite.id).where(overdue).limit(1)) is None:
        return 0
    subscriptions.end_pending(select(Invite.subscription_id).where(overdue), now)
    return db.session.execute(
        update(Invite).where(overdue).values(status=EXPIRED).execution_options(synchronize_session=False)
    ).rowcount


EXPIRING_WITHIN = timedelta(days=2)  # an invite that expires sooner is "about to expire"


def expiring_invites(coach_id=None, limit=50):
    """[(invite, subscription, program)] of pending invites (of one coach, or every coach's)
    whose link expires within EXPIRING_WITHIN, soonest first. One query."""
    now = utcnow()
    statement = (
        select(Invite, Subscription, Program)
        .join(Subscription, Subscription.id == Invite.subscription_id)
        .join(Program, Program.id == Invite.program_id)
        .where(Invite.status == PENDING, Invite.expires_at > now, Invite.expires_at <= now + EXPIRING_WITHIN)
        .order_by(Invite.expires_at, Invite.id)
        .limit(limit)
    )
    if coach_id is not None:
        statement = statement.where(Program.coach_id == coach_id)
    return db.session.execute(statement).all()
