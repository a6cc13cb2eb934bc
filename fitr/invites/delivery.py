"""Sending an invite: Send invite and Resend (a fresh link by email, a few times an hour), Copy
link, recording how delivery went, Revoke, and invites that expire.

Sending is split from saving: a rule makes the invite's token, `deliver_invite` writes the email
to the outbox in the same transaction, and the worker sends it and tells `record_delivery` how
it went. So an invite is never lost because mail failed, and no request waits on SMTP.
"""

from datetime import timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import joinedload

from fitr import mail, outbox
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.inviting import (
    check_pending,
    check_program_open,
    claim_send,
    expiry_days,
    renew_link,
)
from fitr.invites.models import (
    EXPIRED,
    FAILED,
    NOT_CONFIGURED,
    PENDING,
    REVOKED,
    SENDING,
    SENT,
    Invite,
)
from fitr.lifecycle import rules as lifecycle
from fitr.outbox import OutboxMessage
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

# What the coach reads beside an invite whose email did not go: plain sentences. The mail
# server's own words stay in the outbox row and the log, for the person who hosts fitr.
NO_EMAIL = "This server does not send email: use Copy link and send the link yourself."
NOT_YET = "the mail server could not be reached or refused the email."
NOT_DELIVERED = "The email could not be delivered: the mail server refused it or could not be reached."


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
    """Write the invite's email to the outbox, in the caller's transaction, and mark the invite
    Sending… (or Not sent, when this server has no email). An older email of this invite that
    is still waiting is dropped: its link no longer works. Returns the MailResult."""
    program = db.session.scalar(
        select(Program).options(joinedload(Program.coach)).where(Program.id == invite.program_id)
    )
    coach = program.coach
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.about == "invite", OutboxMessage.about_id == invite.id, OutboxMessage.status == outbox.QUEUED)
        .values(status=outbox.FAILED, last_error="Replaced by a newer invite email.")
        .execution_options(synchronize_session=False)
    )
    result = mail.send(
        invite.email,
        f"{coach.name} invited you to {program.name} on fitr",
        "invite",
        reply_to=coach.email,
        about="invite",
        about_id=invite.id,
        coach=coach,
        program=program,
        invite=invite,
        link=link,
        days=expiry_days(),
    )
    invite.delivery_status = SENDING if result.queued else NOT_CONFIGURED
    invite.delivery_error = None if result.queued else NO_EMAIL
    invite.send_count = Invite.send_count + 1
    invite.last_sent_at = utcnow()
    db.session.flush()
    return result


def record_delivery(message):
    """The worker's news of an invite email (fitr.outbox calls it): Sent, Failed for good, or
    still Sending… with the last error while it retries. Only the invite's newest email counts."""
    newest = db.session.scalar(
        select(func.max(OutboxMessage.id)).where(OutboxMessage.about == "invite", OutboxMessage.about_id == message.about_id)
    )
    invite = db.session.get(Invite, message.about_id)
    if invite is None or newest != message.id:
        return
    if message.status == outbox.SENT:
        invite.delivery_status, invite.delivery_error = SENT, None
        invite.sent_at = invite.sent_at or message.sent_at
        invite.last_sent_at = message.sent_at
    elif message.status == outbox.FAILED:
        invite.delivery_status, invite.delivery_error = FAILED, NOT_DELIVERED
    else:
        invite.delivery_status, invite.delivery_error = SENDING, NOT_YET if message.last_error else None


outbox.on_result("invite", record_delivery)


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
    lifecycle.end_pending([invite.subscription_id], now)
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
    lifecycle.end_pending(select(Invite.subscription_id).where(overdue), now)
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
