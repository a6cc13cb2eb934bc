"""Program rules: plain functions that routes, CLI commands and tests call.

They take explicit arguments, do no HTTP, flush but never commit, and raise
ProgramError with a message a coach can act on.
"""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.programs.models import (
    ACTIVE,
    ARCHIVED,
    BILLING_PERIODS,
    DRAFT,
    ENDED,
    ONE_TO_ONE,
    PENDING,
    PROGRAM_TYPES,
    PUBLISHED,
    SEE_AHEAD_CHOICES,
    START_RULES,
    Program,
    Subscription,
)
from fitr.programs.money import CURRENCIES, max_minor

MAX_NAME = 120
MAX_TEXT = 10_000
WEEK_STARTS = {0: "Monday", 6: "Sunday"}  # date.weekday() numbers

DEFAULTS = {
    "description": "",
    "type": ONE_TO_ONE,
    "price_minor": 0,
    "currency": "GBP",
    "billing_period": "one_off",
    "week_start": 0,
    "start_rule": "accept_day",
    "welcome_message": "",
    "waiver": "",
    "see_ahead_days": 0,
}
SETTINGS = ("name", *DEFAULTS)


class ProgramError(Exception):
    """A program rule refused; `field` names the form field the message belongs next to, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ProgramSummary:
    """A program with the client counts the Programs page shows."""

    program: Program
    active_clients: int
    pending_invites: int


def visible(text):
    """True when the text has something a person can see: not only spaces and invisible
    characters such as a zero-width space (U+200B) or a byte-order mark."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs") for ch in text)


def check_text(text, field, multiline=False, limit=MAX_TEXT):
    """Plain text as a person typed it: line breaks in one spelling, trimmed, within `limit`,
    and without control characters (a newline or a tab only in multi-line text)."""
    text = (text or "").replace("\r\n", "\n").strip()
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            raise ProgramError(
                f"Remove the control character (U+{ord(ch):04X}) from this text: it cannot be shown.", field
            )
    if not visible(text):
        return ""
    if len(text) > limit:
        raise ProgramError(f"Use at most {limit:,} characters.", field)
    return text


def check_settings(settings):
    """The settings, cleaned; raises ProgramError naming the first field that is wrong."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise ProgramError(f"Unknown program settings: {', '.join(sorted(unknown))}.")
    s = dict(settings)
    name = check_text(s.get("name"), "name", limit=MAX_NAME)
    if not name:
        raise ProgramError("Give the program a name.", "name")
    s["name"] = name
    for text_field in ("description", "welcome_message", "waiver"):
        if text_field in s:
            # Plain text: line breaks are kept, in one spelling whatever the browser sent.
            s[text_field] = check_text(s[text_field], text_field, multiline=True)
    choices = {
        "type": PROGRAM_TYPES,
        "currency": CURRENCIES,
        "billing_period": BILLING_PERIODS,
        "week_start": WEEK_STARTS,
        "start_rule": START_RULES,
        "see_ahead_days": SEE_AHEAD_CHOICES,
    }
    for key, allowed in choices.items():
        if key in s and s[key] not in allowed:
            raise ProgramError("Choose one of the options.", key)
    if "price_minor" in s:
        price = s["price_minor"]
        if not isinstance(price, int) or isinstance(price, bool) or price < 0:
            raise ProgramError("The price cannot be negative.", "price")
        currency = s.get("currency", DEFAULTS["currency"])
        if price > max_minor(currency):
            raise ProgramError("The price can be at most 1,000,000.", "price")
    return s


def create_program(coach_id, **settings):
    """A new draft program of this coach, with a random slug for its public page."""
    settings = check_settings({**DEFAULTS, **settings})
    program = Program(coach_id=coach_id, status=DRAFT, **settings)
    db.session.add(program)
    db.session.flush()
    return program


def check_editable(program):
    """An archived program is kept as it was; it is edited again once restored."""
    if program.status == ARCHIVED:
        raise ProgramError("This program is archived, so it cannot be edited. Restore it first, then edit it.")


def update_program(program, **settings):
    """Change a program's details; its type is locked once it has clients."""
    check_editable(program)
    settings = check_settings({"name": program.name, **settings})
    if settings.get("type", program.type) != program.type and has_clients(program):
        raise ProgramError(
            "The program type cannot change once the program has clients.", "type"
        )
    for key, value in settings.items():
        setattr(program, key, value)
    db.session.flush()
    return program


def publish_program(program):
    """A draft becomes published: it can take clients, and a paid one gets its public page."""
    if program.status == PUBLISHED:
        raise ProgramError("This program is already published.")
    if program.status == ARCHIVED:
        raise ProgramError("This program is archived. Restore it before publishing it.")
    program.status = PUBLISHED
    program.published_at = utcnow()
    db.session.flush()
    return program


def unpublish_program(program):
    """Back to draft: stops new invites and hides the public page; clients keep training."""
    if program.status != PUBLISHED:
        raise ProgramError("This program is not published.")
    program.status = DRAFT
    db.session.flush()
    return program


def archive_program(program):
    """Hide the program from the list and stop new invites; clients keep calendars and history."""
    if program.status == ARCHIVED:
        raise ProgramError("This program is already archived.")
    program.status = ARCHIVED
    program.archived_at = utcnow()
    db.session.flush()
    return program


def restore_program(program):
    """An archived program comes back to the list as a draft, to publish again when ready."""
    if program.status != ARCHIVED:
        raise ProgramError("This program is not archived.")
    program.status = DRAFT
    program.archived_at = None
    db.session.flush()
    return program


def delete_refusal(program, clients=None):
    """Why this program cannot be deleted (a message for the coach), or None when it can:
    only a draft that never had clients is deleted; anything else is archived instead."""
    if program.status != DRAFT:
        return "Only a draft program can be deleted. Unpublish or restore it first."
    clients = subscription_count(program) if clients is None else clients
    if clients:
        return (
            f"This program has {clients} client{'s' if clients != 1 else ''} (current, invited "
            "or past), so it cannot be deleted. Archive it instead: clients keep their calendars "
            "and history."
        )
    return None


def delete_program(program):
    """Delete a draft that never had clients; anything else is archived instead."""
    refusal = delete_refusal(program)
    if refusal:
        raise ProgramError(refusal)
    db.session.delete(program)
    db.session.flush()


def subscription_count(program):
    """Every subscription the program ever had, whatever its status."""
    return db.session.scalar(
        select(func.count()).select_from(Subscription).where(Subscription.program_id == program.id)
    )


def has_clients(program):
    return subscription_count(program) > 0


def _counts_by_program(coach_id):
    """One grouped query: active, pending and ended subscriptions per program of this coach."""
    return (
        select(
            Subscription.program_id.label("program_id"),
            func.sum(case((Subscription.status == ACTIVE, 1), else_=0)).label("active"),
            func.sum(case((Subscription.status == PENDING, 1), else_=0)).label("pending"),
            func.sum(case((Subscription.status == ENDED, 1), else_=0)).label("ended"),
        )
        .join(Program, Subscription.program_id == Program.id)
        .where(Program.coach_id == coach_id)
        .group_by(Subscription.program_id)
        .subquery()
    )


def program_summaries(coach_id):
    """All of a coach's programs with their client counts, newest first, in one query."""
    counts = _counts_by_program(coach_id)
    rows = db.session.execute(
        select(Program, func.coalesce(counts.c.active, 0), func.coalesce(counts.c.pending, 0))
        .outerjoin(counts, counts.c.program_id == Program.id)
        .where(Program.coach_id == coach_id)
        .order_by(Program.created_at.desc(), Program.id.desc())
    ).all()
    return [ProgramSummary(program, int(active), int(pending)) for program, active, pending in rows]


def client_counts(program):
    """{'active': n, 'pending': n, 'ended': n} for one program, in one query."""
    rows = db.session.execute(
        select(Subscription.status, func.count())
        .where(Subscription.program_id == program.id, _joined_if_ended())
        .group_by(Subscription.status)
    ).all()
    counts = {ACTIVE: 0, PENDING: 0, ENDED: 0}
    counts.update({status: count for status, count in rows})
    return counts


def subscriptions_in(program, status):
    """A program's subscriptions with this status, with their client loaded, in one query."""
    order = {
        ACTIVE: (Subscription.start_date.desc(), Subscription.id.desc()),
        PENDING: (Subscription.created_at.desc(), Subscription.id.desc()),
        ENDED: (Subscription.ended_at.desc(), Subscription.id.desc()),
    }[status]
    return db.session.scalars(
        select(Subscription)
        .options(joinedload(Subscription.client))
        .where(Subscription.program_id == program.id, Subscription.status == status, _joined_if_ended())
        .order_by(*order)
    ).all()


def _joined_if_ended():
    """Past clients are those who joined and left; an invite revoked or expired before they
    joined also ends its pending subscription, but that person was never a client."""
    return or_(Subscription.status != ENDED, Subscription.started_at.is_not(None))


def public_program(slug):
    """The published, paid program behind a shareable link, with its coach; else None."""
    return db.session.scalar(
        select(Program)
        .options(joinedload(Program.coach))
        .where(Program.public_slug == slug, Program.status == PUBLISHED, Program.price_minor > 0)
    )
