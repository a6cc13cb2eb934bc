"""Program rules: plain functions that routes, CLI commands and tests call.

They take explicit arguments, do no HTTP, flush but never commit, and raise
ProgramError with a message a coach can act on.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.programs.models import (
    ARCHIVED,
    BILLING_PERIODS,
    DRAFT,
    MAX_GRACE_DAYS,
    MAX_TRIAL_DAYS,
    ONE_TO_ONE,
    PROGRAM_TYPES,
    PUBLISHED,
    SEE_AHEAD_CHOICES,
    START_RULES,
    Program,
    default_billing_period,
)
from fitr.programs.prices import CURRENCIES, max_minor
from fitr.subscriptions import queries as subscriptions
from fitr.text import check_text
from fitr.units import DEFAULT_PLATES

MAX_NAME = 120
MAX_TEXT = 10_000
WEEK_STARTS = {0: "Monday", 6: "Sunday"}  # date.weekday() numbers
# What a plate increment may be: from fractional plates to a pair of 10 kg (25 lb) plates.
PLATE_RANGES = {"plate_kg": (0.25, 20.0, "kg"), "plate_lb": (0.5, 50.0, "lb")}

DEFAULTS = {
    "description": "",
    "type": ONE_TO_ONE,
    "price_minor": 0,
    "currency": "GBP",
    "billing_period": "monthly",
    "trial_days": 0,
    "grace_days": 7,
    "week_start": 0,
    "start_rule": "accept_day",
    "welcome_message": "",
    "waiver": "",
    "see_ahead_days": 0,
    "needs_training_days": 3,
    "use_estimated_1rm": False,
    "plate_kg": DEFAULT_PLATES["kg"],
    "plate_lb": DEFAULT_PLATES["lb"],
}
MAX_NEEDS_TRAINING_DAYS = 28
SETTINGS = ("name", *DEFAULTS)


class ProgramError(RuleError):
    """A program rule refused."""


@dataclass(frozen=True)
class ProgramSummary:
    """A program with the client counts the Programs page shows."""

    program: Program
    active_clients: int
    pending_invites: int


def check_settings(settings):
    """The settings, cleaned; raises ProgramError naming the first field that is wrong."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise ProgramError(f"Unknown program settings: {', '.join(sorted(unknown))}.")
    s = dict(settings)
    name = check_text(s.get("name"), "name", MAX_NAME, error=ProgramError)
    if not name:
        raise ProgramError("Give the program a name.", "name")
    s["name"] = name
    for text_field in ("description", "welcome_message", "waiver"):
        if text_field in s:
            # Plain text: line breaks are kept, in one spelling whatever the browser sent.
            s[text_field] = check_text(s[text_field], text_field, MAX_TEXT, multiline=True, error=ProgramError)
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
    if "needs_training_days" in s:
        days = s["needs_training_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_NEEDS_TRAINING_DAYS:
            raise ProgramError(f"Use a number of days from 0 (off) to {MAX_NEEDS_TRAINING_DAYS}.", "needs_training_days")
    if "trial_days" in s:
        days = s["trial_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_TRIAL_DAYS:
            raise ProgramError(f"Use a number of days from 0 (no trial) to {MAX_TRIAL_DAYS}.", "trial_days")
    if "grace_days" in s:
        days = s["grace_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_GRACE_DAYS:
            raise ProgramError(f"Use a number of days from 0 to {MAX_GRACE_DAYS}.", "grace_days")
    if "use_estimated_1rm" in s and not isinstance(s["use_estimated_1rm"], bool):
        raise ProgramError("Choose one of the options.", "use_estimated_1rm")
    for key, (low, high, unit) in PLATE_RANGES.items():
        if key in s:
            value = s[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ProgramError(f"Enter a plate increment from {low:g} to {high:g} {unit}.", key)
            s[key] = float(value)
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
    period = default_billing_period(settings.get("type", DEFAULTS["type"]))
    settings = check_settings({**DEFAULTS, "billing_period": period, **settings})
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
    clients = subscriptions.subscription_count(program.id) if clients is None else clients
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


def has_clients(program):
    """True once anyone was ever invited to or joined the program."""
    return subscriptions.subscription_count(program.id) > 0


def program_summaries(coach_id):
    """All of a coach's programs with their client counts, newest first, in one query."""
    counts = subscriptions.counts_by_program(select(Program.id).where(Program.coach_id == coach_id))
    rows = db.session.execute(
        select(Program, func.coalesce(counts.c.active, 0), func.coalesce(counts.c.pending, 0))
        .outerjoin(counts, counts.c.program_id == Program.id)
        .where(Program.coach_id == coach_id)
        .order_by(Program.created_at.desc(), Program.id.desc())
    ).all()
    return [ProgramSummary(program, int(active), int(pending)) for program, active, pending in rows]


def public_program(slug):
    """The published, paid program behind a shareable link, with its coach; else None."""
    return db.session.scalar(
        select(Program)
        .options(joinedload(Program.coach))
        .where(Program.public_slug == slug, Program.status == PUBLISHED, Program.price_minor > 0)
    )


def published_programs(coach_id):
    """The coach's programs that take clients, by name: where a client can be invited or moved."""
    return db.session.scalars(
        select(Program)
        .where(Program.coach_id == coach_id, Program.status == PUBLISHED)
        .order_by(func.lower(Program.name), Program.id)
    ).all()


def default_start(program, today):
    """A new client's first day: the day they join (`today`, theirs), or the program's next week
    start, as the program's Default start date says."""
    if program.start_rule == "next_week_start":
        return today + timedelta(days=(program.week_start - today.weekday()) % 7)
    return today
