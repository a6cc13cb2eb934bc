"""Migration 0025: a notice names the client it is about, so deleting an account takes the
notices that quote them. Notices told before it are matched to their client from their link, or
from the client's name at the start of the text among the program's clients."""

from flask_migrate import upgrade
from sqlalchemy import text

from fitr import config
from fitr.extensions import db

MIGRATIONS = str(config.ROOT / "migrations")
NOW = "2026-11-10 09:00:00"



def insert(table, **values):
    columns = ", ".join(f'"{key}"' for key in values)
    db.session.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(":" + key for key in values)})'), values)


def test_notices_told_before_find_their_client_and_go_with_her_account(empty_app):
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0024")
        for uid, name in ((1, "Casey Coach"), (2, "Ada"), (3, "Ada Athlete"), (4, "Ben Athlete"), (5, "Ben Athlete")):
            insert("user", id=uid, email=f"u{uid}@example.com", name=name, password_hash="x", units="kg", time_zone="UTC", created_at=NOW)
        for pid, kind in ((1, "1-2-1"), (2, "group")):
            insert("program", id=pid, coach_id=1, name=f"P{pid}", description="", type=kind, status="published", price_minor=0,
                   currency="GBP", billing_period="one_off", week_start=0, start_rule="accept_day", welcome_message="",
                   waiver="", see_ahead_days=0, public_slug=f"p{pid}", created_at=NOW)  # fmt: skip
        for sid, program, client in ((1, 1, 2), (2, 1, 3), (3, 2, 3), (4, 2, 4), (5, 2, 5)):
            insert("subscription", id=sid, program_id=program, client_id=client, client_name="", client_email=f"u{client}@example.com",
                   status="active", start_date="2026-11-02", created_at=NOW)  # fmt: skip
        notices = {
            1: ("/programs/1/clients/1/calendar?date=2026-11-10", "Ada logged Squat day (P1)", 1),
            2: ("/messages/1/3", "Ada Athlete sent you a message: “My knee”", None),
            3: ("/programs/1/sessions/9/edit?client=2", "Ada commented on Squat day: “twinge”", 1),
            4: ("/programs/2/shared-calendar?date=2026-11-10", "Ada Athlete skipped Team lifts (P2): Hospital", 2),
            5: ("/programs/1/clients/active", "Ada Athlete joined P1", 1),  # "Ada" is a client too: the longer name wins
            6: ("/programs/2/shared-calendar?date=2026-11-10", "Ben Athlete skipped Team lifts (P2)", 2),  # two Bens
            7: ("/programs/1/clients/pending", "The invite to dan@example.com (P1) expires on Mon", 1),
        }
        for nid, (link, words, program) in notices.items():
            insert("notice", id=nid, user_id=1, kind="logged", program_id=program, text=words, link=link, created_at=NOW)
        db.session.commit()
        db.session.remove()

        upgrade(directory=MIGRATIONS, revision="0025")

        about = dict(db.session.execute(text("SELECT id, client_id FROM notice")).all())
        assert about == {1: 2, 2: 3, 3: 2, 4: 3, 5: 3, 6: None, 7: None}
        db.session.remove()
        db.engine.dispose()  # new connections, with SQLite's foreign keys on again after the migration
        db.session.execute(text('DELETE FROM "user" WHERE id = 3'))  # Ada Athlete's account
        db.session.commit()
        assert sorted(db.session.scalars(text("SELECT id FROM notice"))) == [1, 3, 6, 7]
