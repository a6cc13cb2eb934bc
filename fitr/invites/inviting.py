"""Inviting: bring clients into a program by email, by adding them manually, or from the coach's
current clients. Each invited address gets a pending subscription (with its calendar, in a
1-2-1 program) and an invite, saved before anything is sent.

Plain functions that routes and tests call. They flush but never commit, and raise InviteError
with a message a person can act on. Sending is fitr.invites.delivery's.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import case, func, or_, select, update

from fitr.accounts.models import User
from fitr.accounts.rules import MAX_NAME, normalise_email
from fitr.clock import today_for, utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.invites.models import ACCEPTED, EXPIRED, NOT_SENT, PENDING, REVOKED, Invite, InviteSend
from fitr.lifecycle import rules as lifecycle
from fitr.programs.models import PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, COMPLIMENTARY, ENDED, LIVE, Subscription
from fitr.subscriptions.queries import live_subscription
from fitr.text import check_text
from fitr.tokens import hash_token, new_token

MAX_ADDRESSES = 50
MAX_MESSAGE = 2000
SPLIT = re.compile(r"[,;\s]+")  # commas, semicolons, new lines (and stray spaces)
FAR_PAST, FAR_FUTURE = timedelta(days=366), timedelta(days=2 * 366)


class InviteError(RuleError):
    """An invite rule refused. Besides the message, field and code, `invite` and `subscription`
    point at what it is about (an address already invited, a client already in the program)."""

    def __init__(self, message, field=None, code=None, invite=None, subscription=None):
        super().__init__(message, field, code)
        self.invite = invite
        self.subscription = subscription


# --- results ---------------------------------------------------------------------------------


@dataclass
class Issued:
    """An invite with the token of its current link (the only moment the token is known)."""

    invite: Invite
    token: str


@dataclass
class AddressResult:
    """What happened to one address of an invite form."""

    email: str
    outcome: str  # invited, already_active, already_pending, invalid, own_address
    message: str = ""
    invite: Invite | None = None


@dataclass
class InviteOutcome:
    results: list[AddressResult] = field(default_factory=list)
    issued: list[Issued] = field(default_factory=list)

    @property
    def invited(self):
        return [r for r in self.results if r.outcome == "invited"]

    @property
    def refused(self):
        return [r for r in self.results if r.outcome != "invited"]


# --- settings and checks ---------------------------------------------------------------------


def expiry_days():
    return current_app.config.get("INVITE_EXPIRY_DAYS", 14)


def sends_per_hour():
    return current_app.config.get("INVITE_SENDS_PER_HOUR", 5)


def check_address(raw):
    """The normalised address (trimmed, lower-cased), or InviteError('invalid')."""
    email = normalise_email(raw)
    if not email or len(email) > 254:
        raise InviteError(f"“{raw.strip()}” is not a valid email address.", "emails", code="invalid")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InviteError(f"“{raw.strip()}” is not a valid email address.", "emails", code="invalid") from None
    return email


def split_addresses(text):
    """The addresses typed into the Email box, in order, without duplicates or blanks."""
    seen, addresses = set(), []
    for raw in SPLIT.split(text or ""):
        raw = raw.strip()
        if raw and raw.lower() not in seen:
            seen.add(raw.lower())
            addresses.append(raw)
    return addresses


def check_program_open(program):
    """Only a published program takes clients."""
    if program.status != PUBLISHED:
        if program.is_archived:
            raise InviteError("This program is archived: it takes no new clients.", code="closed")
        raise InviteError("This program is a draft. Publish it before adding clients.", code="closed")


def check_start_date(start_date, today):
    """A start date the coach means: within a year ago and two years ahead of `today`."""
    if start_date is None:
        return None
    if start_date < today - FAR_PAST or start_date > today + FAR_FUTURE:
        raise InviteError("Choose a start date within a year ago and two years ahead.", "start_date", code="start_date")
    return start_date


def check_message(message):
    return check_text(message, "message", MAX_MESSAGE, multiline=True, error=InviteError)


def check_name(name, empty_message):
    name = check_text(name, "name", MAX_NAME, error=InviteError)
    if not name:
        raise InviteError(empty_message, "name", code="name")
    return name


def pending_invite_of(subscription):
    return db.session.scalar(
        select(Invite)
        .where(Invite.subscription_id == subscription.id, Invite.status == PENDING)
        .order_by(Invite.id.desc())
        .limit(1)
    )


def pending_invites_by_subscription(program):
    """{subscription id: its pending invite} for a program's Pending invites tab (one query)."""
    invites = db.session.scalars(
        select(Invite).where(Invite.program_id == program.id, Invite.status == PENDING)
    ).all()
    return {invite.subscription_id: invite for invite in invites}


# --- inviting --------------------------------------------------------------------------------


def _new_invite(program, email, message, start_date, name="", complimentary=False):
    """A pending subscription (with its calendar) and its invite, not yet sent. Complimentary
    (a paid program): the client joins without paying."""
    subscription = lifecycle.add_pending(program.id, email, name, start_date)
    if complimentary and not program.is_free:
        subscription.payment = COMPLIMENTARY
    invite = Invite(
        program_id=program.id,
        subscription_id=subscription.id,
        email=email,
        message=message,
        delivery_status=NOT_SENT,
    )
    db.session.add(invite)
    db.session.flush()
    lifecycle.place(program, subscription, start_date)
    return invite


def _check_not_in_program(program, coach, email, field_name="emails"):
    """Refuse the coach's own address and anyone already live in the program."""
    if email == normalise_email(coach.email):
        raise InviteError(f"{email} is your own address.", field_name, code="own_address")
    existing = live_subscription(program.id, email)
    if existing is None:
        return
    if existing.status == ACTIVE:
        raise InviteError(f"{email} is already an active client in this program. Nothing was sent.", field_name, code="already_active", subscription=existing)
    raise InviteError(f"{email} already has a pending invite to this program.", field_name, code="already_pending", invite=pending_invite_of(existing), subscription=existing)


def invite_by_email(program, coach, emails, message="", start_date=None, complimentary=False):
    """Invite each address (a list, or the Email box's text) to the program: one pending
    subscription, calendar and invite each, with a fresh link to send. Bad or already-invited
    addresses are reported one by one; the good ones are still invited."""
    check_program_open(program)
    message = check_message(message)
    start_date = check_start_date(start_date, today_for(coach))
    addresses = split_addresses(emails) if isinstance(emails, str) else list(emails)
    if not addresses:
        raise InviteError("Enter at least one email address.", "emails", code="no_addresses")
    if len(addresses) > MAX_ADDRESSES:
        raise InviteError(f"You entered {len(addresses)} addresses: invite at most {MAX_ADDRESSES} at once.", "emails", code="too_many")
    outcome = InviteOutcome()
    for raw in addresses:
        try:
            email = check_address(raw)
            _check_not_in_program(program, coach, email)
            check_send_limits(coach.id, email)
        except InviteError as error:
            outcome.results.append(AddressResult(raw.strip(), error.code, error.message, error.invite))
            continue
        invite = _new_invite(program, email, message, start_date, complimentary=complimentary)
        outcome.issued.append(Issued(invite, claim_send(invite, coach.id)))
        outcome.results.append(AddressResult(email, "invited", invite=invite))
    return outcome


def add_manually(program, coach, name, email, start_date=None):
    """Add manually: the client waits under Pending invites with their own calendar, and no
    email goes out until the coach clicks Send invite."""
    check_program_open(program)
    name = check_name(name, "Enter the client's name.")
    try:
        email = check_address(email or "")
    except InviteError as error:
        error.field = "email"
        raise
    _check_not_in_program(program, coach, email, "email")
    return _new_invite(program, email, "", check_start_date(start_date, today_for(coach)), name=name)


def current_clients(coach_id, program, query="", ids=None, limit=200):
    """The coach's clients (who joined any of their programs, now or in the past) who are not
    live in this program, by name; `query` searches name and email."""
    live = select(Subscription.client_email).where(
        Subscription.program_id == program.id, Subscription.status.in_(LIVE)
    )
    theirs = (
        select(Subscription.client_id)
        .join(Program, Subscription.program_id == Program.id)
        .where(
            Program.coach_id == coach_id,
            Subscription.client_id.is_not(None),
            Subscription.status.in_([ACTIVE, ENDED]),
        )
    )
    statement = (
        select(User)
        .where(User.id.in_(theirs), User.email.not_in(live), User.id != coach_id)
        .order_by(func.lower(User.name), User.id)
        .limit(limit)
    )
    if ids is not None:
        statement = statement.where(User.id.in_(ids))
    query = (query or "").strip().lower()
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(func.lower(User.name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    return db.session.scalars(statement).all()


def invite_current_clients(program, coach, client_ids, message="", start_date=None):
    """Invite current clients: invite several of the coach's existing or past clients at once."""
    check_program_open(program)
    client_ids = sorted({int(i) for i in client_ids or ()})
    if not client_ids:
        raise InviteError("Choose at least one client.", "clients", code="no_clients")
    if len(client_ids) > MAX_ADDRESSES:
        raise InviteError(f"Invite at most {MAX_ADDRESSES} clients at once.", "clients", code="too_many")
    clients = current_clients(coach.id, program, ids=client_ids)
    if len(clients) != len(client_ids):
        raise InviteError("Some of the chosen clients are not yours or are already in this program. Reload the page.", "clients", code="not_your_client")
    return invite_by_email(program, coach, [c.email for c in clients], message, start_date)


# --- the invite's link -----------------------------------------------------------------------


def check_pending(invite):
    if invite.status != PENDING:
        messages = {
            ACCEPTED: "This invite was already accepted.",
            REVOKED: "This invite was revoked.",
            EXPIRED: "This invite has expired.",
        }
        raise InviteError(messages.get(invite.status, "This invite is not pending."), code="not_pending")


def renew_link(invite):
    """A fresh token for the invite's link: the previous link stops working."""
    token = new_token()
    invite.token_hash = hash_token(token)
    invite.expires_at = utcnow() + timedelta(days=expiry_days())
    db.session.flush()
    return token


def check_send_limits(coach_id, email, now=None):
    """Refuse an invite email over the limits: per coach, per hour and per day; per address,
    per day (config INVITES_PER_COACH_HOUR, INVITES_PER_COACH_DAY, INVITES_PER_ADDRESS_DAY)."""
    now = now or utcnow()
    config = current_app.config

    def sent(*where, since):
        return db.session.scalar(select(func.count(InviteSend.id)).where(*where, InviteSend.created_at > since))

    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    per_hour, per_day = config["INVITES_PER_COACH_HOUR"], config["INVITES_PER_COACH_DAY"]
    if sent(InviteSend.coach_id == coach_id, since=hour) >= per_hour:
        raise InviteError(f"You have sent {per_hour} invite emails in the last hour, the most fitr sends for one coach. "
                          "Try again later, or use Copy link and send links yourself.", "emails", code="too_many_sends")  # fmt: skip
    if sent(InviteSend.coach_id == coach_id, since=day) >= per_day:
        raise InviteError(f"You have sent {per_day} invite emails today, the most fitr sends for one coach in a day. "
                          "Try again tomorrow, or use Copy link and send links yourself.", "emails", code="too_many_sends")  # fmt: skip
    per_address = config["INVITES_PER_ADDRESS_DAY"]
    if sent(InviteSend.email == email, since=day) >= per_address:
        raise InviteError(f"{email} was sent {per_address} invite emails today: no more go to it until tomorrow. "
                          "Use Copy link and send the link yourself.", "emails", code="too_many_sends")  # fmt: skip


def claim_send(invite, coach_id):
    """Count one more email in this hour's window, or refuse when the limit is reached (this
    invite's, the coach's, the address's); then a fresh link. The invite's count is one
    conditional UPDATE, so two quick clicks cannot both pass."""
    now = utcnow()
    check_send_limits(coach_id, invite.email, now)
    hour_ago = now - timedelta(hours=1)
    fresh_window = or_(Invite.send_window_start.is_(None), Invite.send_window_start <= hour_ago)
    claimed = db.session.execute(
        update(Invite)
        .where(
            Invite.id == invite.id,
            Invite.status == PENDING,
            or_(fresh_window, Invite.sends_in_window < sends_per_hour()),
        )
        .values(
            sends_in_window=case((fresh_window, 1), else_=Invite.sends_in_window + 1),
            send_window_start=case((fresh_window, now), else_=Invite.send_window_start),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.refresh(invite)
        check_pending(invite)
        raise InviteError(f"This invite was sent {sends_per_hour()} times in the last hour. Try again later, "
            "or use Copy link and send the link yourself.", code="too_many_sends", invite=invite)
    db.session.refresh(invite, ["sends_in_window", "send_window_start"])
    db.session.add(InviteSend(coach_id=coach_id, email=invite.email, created_at=now))
    return renew_link(invite)
