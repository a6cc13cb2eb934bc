"""Invite rules: bring a client into a program, and let them accept.

Plain functions that routes, CLI commands and tests call. They take explicit arguments, flush
but never commit, and raise InviteError(code, message) with a message a person can act on.

Sending email is split from saving: a rule makes the invite and its token, the caller commits,
and only then `deliver_invite` sends the email and records what happened. So an invite is never
lost because mail failed, and no database write waits on an SMTP server.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import generate_password_hash

from fitr import mail
from fitr.auth.models import User
from fitr.auth.rules import MIN_PASSWORD, find_user, hash_token, normalise_email
from fitr.calendar.models import Session
from fitr.calendar.rules import calendar_for_subscription, copy_template
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.models import (
    ACCEPTED,
    EXPIRED,
    FAILED,
    NOT_CONFIGURED,
    NOT_SENT,
    PENDING,
    REVOKED,
    SENT,
    Invite,
    InviteLink,
    Notice,
)
from fitr.programs.models import (
    ACTIVE,
    ENDED,
    ONE_TO_ONE,
    PUBLISHED,
    Program,
    Subscription,
)
from fitr.programs.models import PENDING as SUB_PENDING
from fitr.programs.rules import ProgramError, check_text

MAX_ADDRESSES = 50
MAX_MESSAGE = 2000
MAX_NAME = 100
SPLIT = re.compile(r"[,;\s]+")  # commas, semicolons, new lines (and stray spaces)
FAR_PAST, FAR_FUTURE = timedelta(days=366), timedelta(days=2 * 366)


class InviteError(Exception):
    """An invite rule refused. `code` says why, `field` names the form field the message
    belongs next to (if any), and `invite`/`subscription` point at what it is about."""

    def __init__(self, code, message, field=None, invite=None, subscription=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
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


@dataclass
class NewAccount:
    """What a visitor without an account types on the acceptance page."""

    name: str
    password: str
    email: str = ""  # only for an invite link, where no address was invited


@dataclass
class Joined:
    """A client joined a program: their now active subscription, and who to tell."""

    subscription: Subscription
    program: Program
    client: User
    coach: User
    new_account: bool


# --- settings and small helpers --------------------------------------------------------------


def expiry_days():
    return current_app.config.get("INVITE_EXPIRY_DAYS", 14)


def sends_per_hour():
    return current_app.config.get("INVITE_SENDS_PER_HOUR", 5)


def new_token():
    """256 bits from `secrets`; only its hash is ever stored."""
    return secrets.token_urlsafe(32)


def check_address(raw):
    """The normalised address (trimmed, lower-cased), or InviteError('invalid')."""
    email = normalise_email(raw)
    if not email or len(email) > 254:
        raise InviteError("invalid", f"“{raw.strip()}” is not a valid email address.", "emails")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InviteError("invalid", f"“{raw.strip()}” is not a valid email address.", "emails") from None
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
            raise InviteError("closed", "This program is archived: it takes no new clients.")
        raise InviteError("closed", "This program is a draft. Publish it before adding clients.")


def check_start_date(start_date, today=None):
    if start_date is None:
        return None
    today = today or utcnow().date()
    if start_date < today - FAR_PAST or start_date > today + FAR_FUTURE:
        raise InviteError(
            "start_date", "Choose a start date within a year ago and two years ahead.", "start_date"
        )
    return start_date


def clean_text(text, field, limit, multiline=False):
    """Typed text, checked as program text is (invisible-only is empty, no control
    characters); a refusal names the field it belongs next to."""
    try:
        return check_text(text, field, multiline=multiline, limit=limit)
    except ProgramError as error:
        raise InviteError(field, error.message, field) from None


def check_message(message):
    return clean_text(message, "message", MAX_MESSAGE, multiline=True)


def check_name(name, empty_message):
    name = clean_text(name, "name", MAX_NAME)
    if not name:
        raise InviteError("name", empty_message, "name")
    return name


def default_start(program, today=None):
    """A new client's first day: the day they accept, or the program's next week start."""
    today = today or utcnow().date()
    if program.start_rule == "next_week_start":
        return today + timedelta(days=(program.week_start - today.weekday()) % 7)
    return today


def live_subscription(program_id, email):
    """This address's pending or active subscription to the program, if any."""
    return db.session.scalar(
        select(Subscription).where(
            Subscription.program_id == program_id,
            Subscription.client_email == email,
            Subscription.status.in_([SUB_PENDING, ACTIVE]),
        )
    )


def pending_invite_of(subscription):
    return db.session.scalar(
        select(Invite)
        .where(Invite.subscription_id == subscription.id, Invite.status == PENDING)
        .order_by(Invite.id.desc())
        .limit(1)
    )


def _seed_calendar(program, subscription, start):
    """A 1-2-1 subscription's own calendar; an empty one is seeded from the program's
    template once the start date is known (a calendar the coach already wrote is kept)."""
    if program.type != ONE_TO_ONE:
        return None
    calendar = calendar_for_subscription(subscription)
    empty = db.session.scalar(select(Session.id).where(Session.calendar_id == calendar.id).limit(1)) is None
    if start is not None and empty:
        copy_template(program, subscription, start)
    return calendar


# --- inviting --------------------------------------------------------------------------------


def _new_invite(program, coach, email, message, start_date, name=""):
    """A pending subscription (with its calendar) and its invite, not yet sent."""
    subscription = Subscription(
        program_id=program.id,
        client_email=email,
        client_name=name,
        status=SUB_PENDING,
        start_date=start_date,
    )
    db.session.add(subscription)
    db.session.flush()
    invite = Invite(
        program_id=program.id,
        subscription_id=subscription.id,
        email=email,
        message=message,
        delivery_status=NOT_SENT,
    )
    db.session.add(invite)
    db.session.flush()
    _seed_calendar(program, subscription, start_date)
    return invite


def _check_not_in_program(program, coach, email, field_name="emails"):
    """Refuse the coach's own address and anyone already live in the program."""
    if email == normalise_email(coach.email):
        raise InviteError("own_address", f"{email} is your own address.", field_name)
    existing = live_subscription(program.id, email)
    if existing is None:
        return
    if existing.status == ACTIVE:
        raise InviteError(
            "already_active",
            f"{email} is already an active client in this program. Nothing was sent.",
            field_name,
            subscription=existing,
        )
    raise InviteError(
        "already_pending",
        f"{email} already has a pending invite to this program.",
        field_name,
        invite=pending_invite_of(existing),
        subscription=existing,
    )


def invite_by_email(program, coach, emails, message="", start_date=None):
    """Invite each address (a list, or the Email box's text) to the program: one pending
    subscription, calendar and invite each, with a fresh link to send. Bad or already-invited
    addresses are reported one by one; the good ones are still invited."""
    check_program_open(program)
    message = check_message(message)
    start_date = check_start_date(start_date)
    addresses = split_addresses(emails) if isinstance(emails, str) else list(emails)
    if not addresses:
        raise InviteError("no_addresses", "Enter at least one email address.", "emails")
    if len(addresses) > MAX_ADDRESSES:
        raise InviteError(
            "too_many",
            f"You entered {len(addresses)} addresses: invite at most {MAX_ADDRESSES} at once.",
            "emails",
        )
    outcome = InviteOutcome()
    for raw in addresses:
        try:
            email = check_address(raw)
            _check_not_in_program(program, coach, email)
        except InviteError as error:
            outcome.results.append(AddressResult(raw.strip(), error.code, error.message, error.invite))
            continue
        invite = _new_invite(program, coach, email, message, start_date)
        outcome.issued.append(Issued(invite, _claim_send(invite)))
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
    return _new_invite(program, coach, email, "", check_start_date(start_date), name=name)


def current_clients(coach_id, program, query="", ids=None, limit=200):
    """The coach's clients (who joined any of their programs, now or in the past) who are not
    live in this program, by name; `query` searches name and email."""
    live = select(Subscription.client_email).where(
        Subscription.program_id == program.id, Subscription.status.in_([SUB_PENDING, ACTIVE])
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
        raise InviteError("no_clients", "Choose at least one client.", "clients")
    if len(client_ids) > MAX_ADDRESSES:
        raise InviteError("too_many", f"Invite at most {MAX_ADDRESSES} clients at once.", "clients")
    clients = current_clients(coach.id, program, ids=client_ids)
    if len(clients) != len(client_ids):
        raise InviteError(
            "not_your_client",
            "Some of the chosen clients are not yours or are already in this program. Reload the page.",
            "clients",
        )
    return invite_by_email(program, coach, [c.email for c in clients], message, start_date)


# --- sending, resending, copying the link ----------------------------------------------------


def check_pending(invite):
    if invite.status != PENDING:
        messages = {
            ACCEPTED: "This invite was already accepted.",
            REVOKED: "This invite was revoked.",
            EXPIRED: "This invite has expired.",
        }
        raise InviteError("not_pending", messages.get(invite.status, "This invite is not pending."))


def _renew_link(invite):
    """A fresh token for the invite's link: the previous link stops working."""
    token = new_token()
    invite.token_hash = hash_token(token)
    invite.expires_at = utcnow() + timedelta(days=expiry_days())
    db.session.flush()
    return token


def _claim_send(invite):
    """Count one more email in this hour's window, or refuse when the limit is reached; then a
    fresh link. The count is one conditional UPDATE, so two quick clicks cannot both pass."""
    now = utcnow()
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
        raise InviteError(
            "too_many_sends",
            f"This invite was sent {sends_per_hour()} times in the last hour. Try again later, "
            "or use Copy link and send the link yourself.",
            invite=invite,
        )
    db.session.refresh(invite, ["sends_in_window", "send_window_start"])
    return _renew_link(invite)


def send_invite(invite, program):
    """Send invite / Resend: make a fresh link for the email (within the hourly limit).
    Returns the token; the caller commits, then calls `deliver_invite`."""
    check_pending(invite)
    check_program_open(program)
    return _claim_send(invite)


def copy_link(invite, program):
    """Copy link: a fresh link to share by hand; the previous link stops working."""
    check_pending(invite)
    check_program_open(program)
    return _renew_link(invite)


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
    db.session.execute(
        update(Subscription)
        .where(Subscription.id == invite.subscription_id, Subscription.status == SUB_PENDING)
        .values(status=ENDED, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def end_subscription(subscription):
    """End subscription: the client moves to Past clients; their calendar and history stay."""
    ended = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == ACTIVE)
        .values(status=ENDED, ended_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if ended != 1:
        raise InviteError("not_active", "This subscription is not active.")
    db.session.expire(subscription)


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
    db.session.execute(
        update(Subscription)
        .where(
            Subscription.status == SUB_PENDING,
            Subscription.id.in_(select(Invite.subscription_id).where(overdue)),
        )
        .values(status=ENDED, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(
        update(Invite).where(overdue).values(status=EXPIRED).execution_options(synchronize_session=False)
    ).rowcount


# --- accepting -------------------------------------------------------------------------------


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
        raise InviteError("invalid", "This invite link is not valid. Check that you copied all of it, or ask your coach for a new one.")
    if invite.status == ACCEPTED:
        raise InviteError("used", "This invite has already been accepted.", invite=invite)
    if invite.status == REVOKED:
        raise InviteError("revoked", "This invite was withdrawn by the coach.", invite=invite)
    if invite.status == EXPIRED or invite.expires_at is None or invite.expires_at <= utcnow():
        raise InviteError("expired", "This invite has expired. Ask your coach to send a new one.", invite=invite)
    if invite.program.status != PUBLISHED:
        raise InviteError("closed", "This program is not taking new clients right now.", invite=invite)
    return invite


def check_new_account(account, email):
    name = check_name(account.name, "Enter your name.")
    password = account.password or ""
    if len(password) < MIN_PASSWORD:
        raise InviteError("weak_password", f"Use at least {MIN_PASSWORD} characters.", "password")
    if len(password) > 128:
        raise InviteError("weak_password", "Use at most 128 characters.", "password")
    if password.strip().lower() in {email, email.split("@")[0], name.lower()} or len(set(password)) < 4:
        raise InviteError("weak_password", "That password is too easy to guess. Choose another.", "password")
    return name


def _create_client_account(account, email):
    name = check_new_account(account, email)
    if find_user(email) is not None:
        raise InviteError("account_exists", "You already have a fitr account with this email. Log in instead.")
    user = User(name=name, email=email, password_hash=generate_password_hash(account.password), is_coach=False)
    db.session.add(user)
    db.session.flush()
    return user


WAIVER_REFUSED = "Read the waiver and tick the box to agree to it."


def _check_waiver(program, agreed):
    if program.waiver and not agreed:
        raise InviteError("waiver", WAIVER_REFUSED, "agree")


def _activate(subscription, program, client, now):
    """A pending subscription becomes active for this client, if it still is pending."""
    start = subscription.start_date or default_start(program, now.date())
    activated = db.session.execute(
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.status == SUB_PENDING)
        .values(status=ACTIVE, client_id=client.id, client_name=client.name, started_at=now, start_date=start)
        .execution_options(synchronize_session=False)
    ).rowcount
    if activated != 1:
        raise InviteError("used", "This invite has already been accepted.")
    db.session.refresh(subscription)
    _seed_calendar(program, subscription, start)


def _tell_coach(program, client):
    db.session.add(
        Notice(
            user_id=program.coach_id,
            text=f"{client.name} joined {program.name}",
            link=f"/programs/{program.id}/clients/active",
        )
    )


def accept_invite(token, user=None, new_account=None, agreed_to_waiver=False):
    """Accept invite: the client (logged in as `user`, or a new account) joins the program.
    The invite is claimed with one conditional UPDATE, so a double click, two tabs or a reused
    link never make a second subscription; the subscription's unique index backs it."""
    invite = invite_for_token(token)
    program = invite.program
    _check_waiver(program, agreed_to_waiver)
    created = user is None
    if created:
        if new_account is None:
            raise InviteError("login", "Log in or create an account to accept.")
        user = _create_client_account(new_account, invite.email)
    elif normalise_email(user.email) != invite.email:
        raise InviteError("wrong_user", f"This invite is for {invite.email}, not for {user.email}.")
    if user.id == program.coach_id:
        raise InviteError("own_program", "You cannot join your own program.")
    now = utcnow()
    claimed = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.status == PENDING, Invite.expires_at > now)
        .values(status=ACCEPTED, accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InviteError("used", "This invite has already been accepted.")
    _activate(invite.subscription, program, user, now)
    _tell_coach(program, user)
    db.session.flush()
    return Joined(invite.subscription, program, user, program.coach, created)


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


# --- invite links ----------------------------------------------------------------------------


def link_token(link):
    """The link's token: derived from SECRET_KEY and the link's salt, so it can be shown again
    while the database keeps only its hash."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"fitr-invite-link:{link.salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_matches_key(link):
    """False when the server's SECRET_KEY changed since the link was made: the link shown
    would not be found, and the coach must Regenerate it."""
    return hmac.compare_digest(link.token_hash, hash_token(link_token(link)))


def _new_salt(link):
    link.salt = secrets.token_hex(16)
    link.token_hash = hash_token(link_token(link))


def invite_link_of(program):
    return db.session.scalar(select(InviteLink).where(InviteLink.program_id == program.id))


def check_link_settings(max_uses, expires_on, today=None):
    today = today or utcnow().date()
    if max_uses is not None and not (1 <= max_uses <= 10_000):
        raise InviteError("max_uses", "Enter a number from 1 to 10,000, or leave it empty for no limit.", "max_uses")
    if expires_on is not None and not (today < expires_on <= today + FAR_FUTURE):
        raise InviteError("expires_on", "Choose a date after today, within two years.", "expires_on")


def turn_on_link(program, max_uses=None, expires_on=None):
    """Turn on the program's invite link (made on first use) with an optional limit on uses and
    an expiry (the end of that day, UTC). Turning it on again keeps the same link."""
    check_program_open(program)
    check_link_settings(max_uses, expires_on)
    link = invite_link_of(program)
    if link is None:
        link = InviteLink(program_id=program.id, uses=0)
        _new_salt(link)
        db.session.add(link)
    link.enabled = True
    link.max_uses = max_uses
    link.expires_at = (
        None if expires_on is None else _end_of_day(expires_on)
    )
    if link.max_uses is not None and (link.uses or 0) >= link.max_uses:
        link.uses = 0  # a new limit counts from now
    db.session.flush()
    return link


def _end_of_day(day):
    return datetime.combine(day + timedelta(days=1), time.min)


def turn_off_link(program):
    link = invite_link_of(program)
    if link is None or not link.enabled:
        raise InviteError("link_off", "The invite link is already off.")
    link.enabled = False
    db.session.flush()
    return link


def regenerate_link(program):
    """A new link: the old one stops working at once; uses count from zero."""
    check_program_open(program)
    link = invite_link_of(program)
    if link is None:
        raise InviteError("link_off", "Turn on the invite link first.")
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
        raise InviteError("invalid", "This invite link is not valid. Ask your coach for a new one.")
    if not link.enabled:
        raise InviteError("link_off", "This invite link has been turned off. Ask your coach for a new one.")
    if link.expired():
        raise InviteError("expired", "This invite link has expired. Ask your coach for a new one.")
    if link.used_up:
        raise InviteError("used_up", "This invite link has been used as many times as the coach allowed. Ask your coach for a new one.")
    if link.program.status != PUBLISHED:
        raise InviteError("closed", "This program is not taking new clients right now.")
    return link


def join_with_link(token, user=None, new_account=None, agreed_to_waiver=False):
    """Join through a program's invite link: one use is claimed with a conditional UPDATE, and
    the client gets an active subscription with a fresh calendar (or, if they had a pending
    invite to this program, that subscription and the calendar written for them)."""
    link = link_for_token(token)
    program = link.program
    _check_waiver(program, agreed_to_waiver)
    created = user is None
    if created:
        if new_account is None:
            raise InviteError("login", "Log in or create an account to join.")
        try:
            email = check_address(new_account.email or "")
        except InviteError as error:
            error.field = "email"
            raise
        user = _create_client_account(new_account, email)
    if user.id == program.coach_id:
        raise InviteError("own_program", "You cannot join your own program.")
    email = normalise_email(user.email)
    existing = live_subscription(program.id, email)
    if existing is not None and existing.status == ACTIVE:
        raise InviteError("already_member", f"You are already in {program.name}.", subscription=existing)
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
        raise InviteError("used_up", "This invite link can no longer be used. Ask your coach for a new one.")
    if existing is not None:  # pending: take over the invite and the calendar written for them
        db.session.execute(
            update(Invite)
            .where(Invite.subscription_id == existing.id, Invite.status == PENDING)
            .values(status=ACCEPTED, accepted_at=now)
            .execution_options(synchronize_session=False)
        )
        subscription = existing
    else:
        subscription = Subscription(program_id=program.id, client_email=email, status=SUB_PENDING)
        db.session.add(subscription)
        db.session.flush()  # the live-email unique index refuses a racing second join here
    _activate(subscription, program, user, now)
    _tell_coach(program, user)
    db.session.flush()
    return Joined(subscription, program, user, program.coach, created)


# --- the client's side and the coach's notices -----------------------------------------------


def client_subscription(subscription_id, user_id):
    """One of the user's own subscriptions with its program and coach, or None."""
    return db.session.scalar(
        select(Subscription)
        .options(joinedload(Subscription.program).joinedload(Program.coach))
        .where(Subscription.id == subscription_id, Subscription.client_id == user_id)
    )


def client_subscriptions(user_id):
    """The user's subscriptions (as a client), live first, each with its program and coach."""
    return db.session.scalars(
        select(Subscription)
        .options(joinedload(Subscription.program).joinedload(Program.coach))
        .where(Subscription.client_id == user_id)
        .order_by(case((Subscription.status == ACTIVE, 0), else_=1), Subscription.started_at.desc())
    ).all()


def count_unread_notices(user_id):
    return db.session.scalar(
        select(func.count(Notice.id)).where(Notice.user_id == user_id, Notice.read_at.is_(None))
    )


def unread_notices(user_id, limit=20):
    return db.session.scalars(
        select(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(limit)
    ).all()


def mark_notices_read(user_id):
    db.session.execute(
        update(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def pending_invites_by_subscription(program):
    """{subscription id: its pending invite} for a program's Pending invites tab (one query)."""
    invites = db.session.scalars(
        select(Invite).where(Invite.program_id == program.id, Invite.status == PENDING)
    ).all()
    return {invite.subscription_id: invite for invite in invites}
