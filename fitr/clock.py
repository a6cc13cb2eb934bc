"""Time in one place. The database keeps naive UTC datetimes (so SQLite and PostgreSQL agree);
"today" is always someone's today, in their own time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow():
    """Now, as the naive UTC datetime the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone(name):
    """The IANA time zone called `name`; UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today_for(user):
    """Today where `user` is (their time zone; UTC when they have none)."""
    return datetime.now(UTC).astimezone(zone(getattr(user, "time_zone", None))).date()
