"""Time in one place: naive UTC datetimes in the database, so SQLite and PostgreSQL agree."""

from datetime import UTC, datetime


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)
