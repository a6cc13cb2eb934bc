"""Time in one place. The database keeps naive UTC datetimes (so SQLite and PostgreSQL agree);
"today" is always someone's today, in their own time zone."""

from datetime import UTC, datetime, time, timedelta
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


def local(moment, user):
    """A stored (naive UTC) datetime as it is where `user` is: an aware datetime in their zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone(getattr(user, "time_zone", None)))


def end_of_day(day, user):
    """The first instant after `day` ends where `user` is, as the naive UTC datetime the
    database stores: "works until the end of 3 March" means their 3 March."""
    start = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone(getattr(user, "time_zone", None)))
    return start.astimezone(UTC).replace(tzinfo=None)
