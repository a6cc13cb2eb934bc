"""Notices no request causes: a planned day passed in the client's time zone with no log
(missed), and an invite about to expire. Each is told once, by its key, however often the
worker (or `flask notify`) runs and however many copies run at once."""

from types import SimpleNamespace

from flask import url_for
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars.ahead import missed
from fitr.clock import local
from fitr.extensions import db
from fitr.invites.delivery import expiring_invites
from fitr.notices import rules as notices
from fitr.notices.models import INVITE_EXPIRING, MISSED, Notice

# Look this many days back, so a day or two without the worker loses nothing.
MISSED_DAYS = 3


def already_told(keys):
    """Which of these notice keys were told before: one query, so a run that finds nothing new
    asks the database once, not once per session."""
    if not keys:
        return set()
    return set(db.session.scalars(select(Notice.key).where(Notice.key.in_(list(keys)))))


def tell_missed():
    """A notice to the coach for each session that passed without a log. Returns how many."""
    told = 0
    found = [(f"missed:{m.session_id}:{m.client_id}", m) for m in missed(days=MISSED_DAYS)]
    told_before = already_told({key for key, _ in found})
    for key, m in found:
        if key in told_before:
            continue
        text = f"{m.client_name} missed {m.title} ({m.program_name}) on {m.day:%a} {m.day.day} {m.day:%b}"
        if notices.tell(m.coach_id, text, m.calendar_link, kind=MISSED, program_id=m.program_id, key=key, client_id=m.client_id):
            told += 1
    return told


def tell_expiring():
    """A notice to the coach for each pending invite whose link expires within two days, with
    where to Resend it. Returns how many."""
    told = 0
    expiring = expiring_invites(limit=None)
    coaches = {program.coach_id for _, _, program in expiring}
    zones = dict(db.session.execute(select(User.id, User.time_zone).where(User.id.in_(coaches))).all())
    told_before = already_told({expiring_key(invite) for invite, _, _ in expiring})
    for invite, subscription, program in expiring:
        key = expiring_key(invite)
        if key in told_before:
            continue
        who = subscription.client_name or invite.email
        ends = local(invite.expires_at, SimpleNamespace(time_zone=zones[program.coach_id]))
        text = f"The invite to {who} ({program.name}) expires on {ends:%a} {ends.day} {ends:%b at %H:%M}"
        link = url_for("clients.program_tab", program_id=program.id, tab="pending")
        if notices.tell(program.coach_id, text, link, kind=INVITE_EXPIRING, program_id=program.id, key=key,
                        client_id=subscription.client_id):  # fmt: skip
            told += 1
    return told


def expiring_key(invite):
    """An invite's expiry is told once; a Resend makes a new expiry, told again later."""
    return f"invite-expiring:{invite.id}:{invite.expires_at:%Y%m%d%H%M}"
