"""`make screenshots`: the README's pictures, taken from the real app in Debian's Chromium.

Builds a throwaway database with one coach, a published 1-2-1 program and three clients with
a few weeks of training (one of them logged), serves the app on a free loopback port and
saves PNGs of what the coach and a client see into static/screenshots/.
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "screenshots")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, log_in  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.extensions import db  # noqa: E402

OUT = ROOT / "static" / "screenshots"
WEEK = [("Lower body", [("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80), ("Walking Lunge", 3, 12, 20)]),
        ("Upper body", [("Bench Press", 5, 5, 75), ("Pull-Up", 4, 8, None), ("Overhead Press", 3, 8, 45)]),
        ("Full body", [("Conventional Deadlift", 3, 3, 140), ("Front Squat", 3, 6, 80), ("Push-Up", 3, 15, None)])]


def build(app):
    """The coach, the program, three clients and their calendars; returns the program id and
    Ada's subscription id."""
    from fitr.training.rules import log_session, new_submission_key
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from fitr.accounts.rules import create_account
    from fitr.calendars import rules as calendar_rules
    from fitr.calendars.models import Prescription, Session
    from fitr.clock import utcnow
    from fitr.library import exercises as library_exercises
    from fitr.programs.rules import create_program, publish_program
    from fitr.subscriptions.models import ACTIVE, Subscription

    with app.app_context():
        db.create_all()
        library_exercises.load_starter_exercises()
        coach = create_account("Casey Coach", "casey@example.com", PASSWORD)
        program = create_program(coach.id, name="Strength 1-2-1", description="Twelve weeks of strength.",
                                 welcome_message="Welcome! Your first week is ready.")
        publish_program(program)
        today = utcnow().date()
        monday = today - timedelta(days=today.weekday())
        names = library_exercises.resolve_exercises(coach.id, [n for _, items in WEEK for n, *_ in items])
        subscriptions, to_log = {}, []
        for number, name in enumerate(("Ada Lovelace", "Ben Okafor", "Cleo Martin")):
            client = create_account(name, f"{name.split()[0].lower()}@example.com", PASSWORD)
            client.is_coach = False
            subscription = Subscription(program_id=program.id, client_id=client.id, client_name=name,
                                        client_email=client.email, status=ACTIVE, start_date=monday - timedelta(weeks=3),
                                        started_at=utcnow())
            db.session.add(subscription)
            db.session.flush()
            calendar = calendar_rules.calendar_for_subscription(subscription)
            for week in range(-3, 3):
                for slot, (title, items) in enumerate(WEEK):
                    day = monday + timedelta(weeks=week, days=slot * 2)
                    prescriptions = [
                        {"exercise_id": names[n.lower()].id, "sets": s, "reps_min": r, "reps_max": r,
                         "load_value": (load + 2.5 * (week + 3) + 5 * number) if load else None,
                         "load_unit": "kg" if load else None}
                        for n, s, r, load in items
                    ]
                    session = calendar_rules.add_session(calendar, day, coach.id, title, "", prescriptions)
                    if name.startswith("Ada") and day < today:
                        sets = [
                            {"exercise_id": p["exercise_id"], "position": i, "set_number": k + 1,
                             "reps": p["reps_min"], "load": p["load_value"]}
                            for i, p in enumerate(prescriptions) for k in range(p["sets"])
                        ]
                        to_log.append((client, session, subscription, day, sets))
            subscriptions[name] = subscription.id
        db.session.commit()
        for client, session, subscription, day, sets in to_log:
            session = db.session.scalar(
                select(Session).where(Session.id == session.id).options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
            )
            log_session(client, session, {"status": "done", "date": day, "rpe": 8, "sets": sets},
                        new_submission_key(), subscription=subscription, today=today)
        db.session.commit()
        return program.id, subscriptions["Ada Lovelace"]


def main():
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shots.sqlite3", "MAIL_SERVER": ""})
        program_id, ada = build(app)
        with LiveServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

            laptop = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=server.url)
            page = laptop.new_page()
            log_in(page)
            page.goto(f"/programs/{program_id}/clients/{ada}/calendar")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "coach-calendar.png"))
            laptop.close()

            phone = browser.new_context(viewport={"width": 375, "height": 760}, base_url=server.url,
                                        device_scale_factor=2)
            page = phone.new_page()
            log_in(page, "ada@example.com")
            page.goto("/my")
            page.screenshot(path=str(OUT / "client-today-phone.png"))
            page.goto("/my/records")
            page.screenshot(path=str(OUT / "client-records-phone.png"))
            phone.close()
            browser.close()
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))


if __name__ == "__main__":
    main()
