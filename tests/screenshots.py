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

from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, log_in  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.extensions import db  # noqa: E402

OUT = ROOT / "static" / "screenshots"
WEEK = [("Lower body", [("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80), ("Walking Lunge", 3, 12, 20)]),
        ("Upper body", [("Bench Press", 5, 5, 75), ("Pull-Up", 4, 8, None), ("Overhead Press", 3, 8, 45)]),
        ("Full body", [("Conventional Deadlift", 3, 3, 140), ("Front Squat", 3, 6, 80), ("Push-Up", 3, 15, None)])]


def build(app):
    """The coach, the program, three clients and their calendars (six weeks around this one, Ada's
    past sessions logged), built by the tests' factories; returns the program id and Ada's
    subscription id."""
    from factories import (
        add_subscription,
        load_starter_exercises,
        log,
        make_program,
        make_user,
        plan,
    )

    from fitr.clock import today_for

    with app.app_context():
        db.create_all()
    load_starter_exercises(app)
    today = today_for(None)
    monday = today - timedelta(days=today.weekday())
    coach = make_user(app, "Casey Coach", "casey@example.com")
    program = make_program(app, coach, status="published", name="Strength 1-2-1", description="Twelve weeks of strength.",
                           welcome_message="Welcome! Your first week is ready.")  # fmt: skip
    subscriptions = {}
    for number, name in enumerate(("Ada Lovelace", "Ben Okafor", "Cleo Martin")):
        email = f"{name.split()[0].lower()}@example.com"
        client = make_user(app, name, email, is_coach=False)
        subscription = add_subscription(app, program, email, "active", client_id=client,
                                        start_date=monday - timedelta(weeks=3), with_calendar=True)  # fmt: skip
        for week in range(-3, 3):
            for slot, (title, items) in enumerate(WEEK):
                day = monday + timedelta(weeks=week, days=slot * 2)
                exercises = [(n, sets, reps, (load + 2.5 * (week + 3) + 5 * number) if load else None)
                             for n, sets, reps, load in items]  # fmt: skip
                session = plan(app, subscription, day, title, exercises)
                if name.startswith("Ada") and day < today:
                    done = [(n, reps, load) for n, sets, reps, load in exercises for _ in range(sets)]
                    log(app, client, session, done, today=today, day=day, rpe=8)
        subscriptions[name] = subscription
    # What the coach's Home shows: a client with one day ahead, a comment and a message.
    dan = make_user(app, "Dan Reyes", "dan@example.com", is_coach=False)
    dans = add_subscription(app, program, "dan@example.com", "active", client_id=dan, start_date=monday,
                            with_calendar=True)  # fmt: skip
    plan(app, dans, today + timedelta(days=1), "Lower body", WEEK[0][1])
    with app.app_context():
        from fitr.accounts.models import User
        from fitr.calendars.models import Calendar, Session
        from fitr.conversations import rules as conversations
        from fitr.programs.models import Program

        ada, ben = (db.session.scalar(db.select(User).where(User.email == e)) for e in ("ada@example.com", "ben@example.com"))
        last = db.session.scalar(
            db.select(Session).join(Calendar, Calendar.id == Session.calendar_id)
            .where(Calendar.subscription_id == subscriptions["Ada Lovelace"], Session.date < today)
            .order_by(Session.date.desc()).limit(1)
        )
        thread = conversations.session_thread(last, db.session.get(Program, program), ada.id)
        conversations.post(thread, ada, "Squats felt heavy today, the last set was an RPE 9.")
        conversations.post(conversations.direct_thread(coach, ben.id), ben, "Can I train Saturday instead of Friday?")
        db.session.commit()
    return program, subscriptions["Ada Lovelace"]


def write_session(page):
    """The session editor as a coach types in it: three exercises by quick entry, the last two a
    superset."""
    from datetime import date

    page.get_by_role("button", name=f"Add session on {(date.today() + timedelta(days=1)).isoformat()}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Upper body B")
    for row, text in enumerate(("Bench Press 5x5 @ 80kg", "Pull-Up 4x8 @ RPE 8", "Dumbbell Row 3x10 @ 30kg"), start=1):
        dialog.get_by_label(f"Exercise {row}", exact=True).fill(text)
        dialog.get_by_label(f"Exercise {row}", exact=True).press("Enter")
    dialog.get_by_role("button", name="Superset with the exercise above").nth(1).click()
    page.wait_for_timeout(300)


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
            page.goto("/home")
            page.screenshot(path=str(OUT / "coach-home.png"))
            page.goto(f"/programs/{program_id}/clients/{ada}/calendar")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "coach-calendar.png"))
            write_session(page)
            page.screenshot(path=str(OUT / "coach-editor.png"))
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
