"""A subscription's private calendar feed (iCalendar, RFC 5545) for the client's phone: the
revocable link (only its token's hash is kept), and the feed's text."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.tokens import hash_token, new_token
from fitr.training.models import FeedToken


def feed_of(subscription_id):
    """The subscription's live feed token row, or None."""
    return db.session.scalar(
        select(FeedToken).where(FeedToken.subscription_id == subscription_id, FeedToken.revoked_at.is_(None))
    )


def create_feed(subscription, now=None):
    """A new private feed URL token for the subscription (any earlier one stops working). The
    token is returned once; only its hash is stored."""
    revoke_feed(subscription, now)
    token = new_token()
    db.session.add(FeedToken(subscription_id=subscription.id, user_id=subscription.client_id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def revoke_feed(subscription, now=None):
    db.session.execute(
        update(FeedToken)
        .where(FeedToken.subscription_id == subscription.id, FeedToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def subscription_for_feed(token):
    """The active subscription a live feed token opens (program and client loaded), or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Subscription)
        .join(FeedToken, FeedToken.subscription_id == Subscription.id)
        .where(
            FeedToken.token_hash == hash_token(token),
            FeedToken.revoked_at.is_(None),
            FeedToken.user_id == Subscription.client_id,
            Subscription.status == ACTIVE,
        )
        .options(joinedload(Subscription.program), joinedload(Subscription.client))
    )


def escape(text):
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar_feed(name, sessions, session_url, host, unit=None):
    """The .ics text: one all-day event per session (title, the exercises, a link to log it)."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//fitr//Training calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for session in sessions:
        exercises = "\n".join(f"{p.exercise.name} {p.dose_text_in(unit)}".strip() for p in session.prescriptions)
        description = "\n\n".join(part for part in (exercises, session.notes) if part)
        url = session_url(session)
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{session.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{session.date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(session.title)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
