"""Migration 0016 (Fixed Length and Session 1 Day 1) keeps every program's clients: on SQLite
it rebuilds the program table, whose DROP would otherwise cascade to subscriptions, calendars
and sessions."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from fitr import config
from fitr.extensions import db

MIGRATIONS = str(config.ROOT / "migrations")



def count(table):
    return db.session.scalar(text(f"SELECT count(*) FROM {table}"))


def test_upgrading_keeps_programs_clients_and_their_sessions_and_takes_the_new_types(empty_app):
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0014")
        now = "2026-11-10 09:00:00"
        db.session.execute(text(
            'INSERT INTO "user" (id, email, name, password_hash, units, time_zone, created_at) '
            "VALUES (1, 'coach@example.com', 'Coach', 'x', 'kg', 'UTC', :now), "
            "(2, 'ada@example.com', 'Ada', 'x', 'kg', 'UTC', :now)"), {"now": now})
        db.session.execute(text(
            "INSERT INTO program (id, coach_id, name, description, type, status, price_minor, currency, "
            "billing_period, week_start, start_rule, welcome_message, waiver, see_ahead_days, public_slug, created_at) "
            "VALUES (1, 1, 'Strength', '', '1-2-1', 'published', 0, 'GBP', 'one_off', 0, 'accept_day', '', '', 0, 'abc', :now)"),
            {"now": now})
        db.session.execute(text(
            "INSERT INTO subscription (id, program_id, client_id, client_name, client_email, status, start_date, created_at) "
            "VALUES (1, 1, 2, 'Ada', 'ada@example.com', 'active', '2026-11-02', :now)"), {"now": now})
        db.session.execute(text(
            "INSERT INTO calendar (id, kind, program_id, subscription_id, created_at) VALUES (1, 'client', 1, 1, :now)"),
            {"now": now})
        db.session.execute(text(
            "INSERT INTO calendar_session (id, calendar_id, date, position, title, notes, version, created_at, updated_at) "
            "VALUES (1, 1, '2026-11-10', 0, 'Squat day', '', 1, :now, :now)"), {"now": now})
        db.session.commit()
        db.session.remove()

        upgrade(directory=MIGRATIONS)

        assert (count("program"), count("subscription"), count("calendar"), count("calendar_session")) == (1, 1, 1, 1)
        db.session.execute(text("UPDATE program SET type = 'fixed' WHERE id = 1"))
        db.session.execute(text("UPDATE program SET type = 'self_paced' WHERE id = 1"))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE program SET type = 'weekly' WHERE id = 1"))
        db.session.rollback()
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="0014")
        assert db.session.scalar(text("SELECT type FROM program")) == "1-2-1"
        assert (count("subscription"), count("calendar_session")) == (1, 1)
        db.session.remove()
