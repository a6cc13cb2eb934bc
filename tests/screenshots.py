"""`make screenshots`: the gallery of fitr's key screens, taken from the real app in Debian's
Chromium, each in the light and the dark theme, into docs/screenshots/ (with an index,
docs/screenshots/README.md), and the README's pictures into static/screenshots/.

Builds a throwaway database with the tests' factories (a coach, a published 1-2-1 program with
four clients and a few weeks of training, one client's past sessions logged, messages, a
comment, notices, another program or two, a pending invite), serves the app on a free loopback
port with the clock pinned (time-machine, as the tests do), and photographs each screen: the
coach's on a laptop (1280 × 800), the client's and a visitor's on a 360 px phone. The theme is
the device's (Playwright's color_scheme): every account keeps "System".

    .venv/bin/python tests/screenshots.py [FOLDER]

tests/browser/test_screenshots_browser.py takes the same gallery into a temporary folder under
the browser watch, so a screen that breaks or logs an error fails the suite.
"""

import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("SECRET_KEY", "screenshots")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, log_in  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.extensions import db  # noqa: E402

GALLERY = ROOT / "docs" / "screenshots"
README_PICTURES = ROOT / "static" / "screenshots"
# A Wednesday morning: the pictures are the same on every run.
NOW = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)
THEMES = ("light", "dark")
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
COACH, CLIENT = "casey@example.com", "ada@example.com"

WEEK = [("Lower body", [("Back Squat", 5, 5, 100), ("Romanian Deadlift", 3, 8, 80), ("Walking Lunge", 3, 12, 20)]),
        ("Upper body", [("Bench Press", 5, 5, 75), ("Pull-Up", 4, 8, None), ("Overhead Press", 3, 8, 45)]),
        ("Full body", [("Conventional Deadlift", 3, 3, 140), ("Front Squat", 3, 6, 80), ("Push-Up", 3, 15, None)])]


# --- the data ------------------------------------------------------------------------------------


def at(moment):
    """The clock stopped at `moment` while a message or notice is written, so it carries that time."""
    import time_machine

    return time_machine.travel(moment, tick=False)


def build(app):
    """The coach's world, on the app's (empty, created) database, as of the clock's today: returns
    the ids the screens need (program, slug, ada's subscription, today's session of Ada's, her
    commented session, the coach's and Ada's account ids, and the pending invite's token)."""
    from factories import (
        add_subscription,
        load_starter_exercises,
        log,
        make_invite,
        make_program,
        make_user,
        plan,
    )

    from fitr.clock import today_for
    from fitr.programs.models import GROUP

    load_starter_exercises(app)
    now = datetime.now(UTC)
    today = today_for(None)
    monday = today - timedelta(days=today.weekday())
    # Three sessions a week, today among Ada's and Cleo's, yesterday among Ben's (which he missed).
    days = [monday + timedelta(days=slot * 2 + today.weekday() % 2) for slot in range(3)]
    coach = make_user(app, "Casey Coach", COACH)
    program = make_program(app, coach, status="published", name="Strength 1-2-1", price_minor=4999, currency="GBP",
                           billing_period="monthly",
                           description="Twelve weeks of barbell strength, written for you week by week.\n"
                                       "Three sessions a week, loads from your own maxes, and a coach who answers.",
                           welcome_message="Welcome! Your first week is ready.")  # fmt: skip
    make_program(app, coach, status="published", name="Hypertrophy Group", type=GROUP,
                 description="Four days a week of muscle building, one calendar for the whole group.")  # fmt: skip
    make_program(app, coach, name="Off-season block", description="A draft for the spring.")
    world = SimpleNamespace(program=program, coach=coach)
    for number, name in enumerate(("Ada Lovelace", "Ben Okafor", "Cleo Martin")):
        email = f"{name.split()[0].lower()}@example.com"
        with at(now - timedelta(weeks=3, days=number)):
            client = make_user(app, name, email, is_coach=False)
            subscription = add_subscription(app, program, email, "active", client_id=client,
                                            start_date=monday - timedelta(weeks=3), with_calendar=True)  # fmt: skip
        for week in range(-3, 3):
            for slot, (title, items) in enumerate(WEEK):
                day = days[slot] + timedelta(weeks=week, days=-1 if number == 1 else 0)
                exercises = [(n, sets, reps, (load + 2.5 * (week + 3) + 5 * number) if load else None)
                             for n, sets, reps, load in items]  # fmt: skip
                session = plan(app, subscription, day, title, exercises)
                if number == 0 and day < today:
                    done = [(n, reps, load) for n, sets, reps, load in exercises for _ in range(sets)]
                    with at(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18, minutes=14 * slot + 3)):
                        log(app, client, session, done, today=today, day=day, rpe=8 if slot else 9,
                            notes="Last set of squats was a grind." if day == today - timedelta(days=2) else "")  # fmt: skip
                    world.commented = session
                if number == 0 and day == today:
                    world.session = session
        setattr(world, name.split()[0].lower(), client)
        if number == 0:
            world.subscription = subscription
    # Dan has one day of training ahead: the coach's Home says he needs training.
    with at(now - timedelta(days=5)):
        dan = make_user(app, "Dan Reyes", "dan@example.com", is_coach=False)
        dans = add_subscription(app, program, "dan@example.com", "active", client_id=dan, start_date=monday,
                                with_calendar=True)  # fmt: skip
    plan(app, dans, today + timedelta(days=1), "Lower body", WEEK[0][1])
    world.dan = dan
    with at(now - timedelta(days=2)):
        world.invite = make_invite(app, program, "eve@example.com", message="Hi Eve, lovely to meet you at the gym. "
                                   "Here is the program we talked about.").token  # fmt: skip
    world.slug = "strength-1-2-1"
    talk(app, world, now, today)
    return world


def talk(app, world, now, today):
    """Ada and her coach message each other; she comments on her last session; Ben asks about
    Saturday. The coach has read Ada's messages, not Ada's comment nor Ben's message, and is told
    of both, of Ada's last log and of the sessions missed (as the app words its notices)."""
    from flask import url_for
    from sqlalchemy.orm import selectinload

    from fitr.accounts.models import User
    from fitr.calendars.models import Prescription, Session
    from fitr.conversations import rules as conversations
    from fitr.conversations.threads import direct_url, session_page_for_coach
    from fitr.notices import rules as notices
    from fitr.notices.models import COMMENTED, JOINED, MESSAGED, RECORD
    from fitr.programs.models import Program
    from fitr.scheduled.missed import tell_missed
    from fitr.subscriptions.models import Subscription

    with app.test_request_context():
        coach, ada, ben = (db.session.get(User, i) for i in (world.coach, world.ada, world.ben))
        direct = conversations.direct_thread(coach.id, ada.id)
        db.session.get(Subscription, world.subscription).welcome_dismissed_at = now - timedelta(weeks=3)
        said = [(coach, timedelta(days=20, hours=2), "Welcome aboard, Ada! Your first three weeks are in the calendar. "
                                                     "Log each session when you finish it."),
                (ada, timedelta(days=20, minutes=48), "Thanks! Should I warm up with the empty bar before squats?"),
                (coach, timedelta(days=20, minutes=31), "Yes: 2 sets of 10 with the bar, then 5, 3 and 1 on the way up "
                                                        "to your working weight."),
                (ada, timedelta(days=1, hours=2, minutes=17), "Squats went up easily this week. Can we push the weight a bit?"),
                (coach, timedelta(hours=16, minutes=4), "Great work. I've added 2.5 kg to next week's squats, and a back-off set.")]  # fmt: skip
        for author, ago, body in said:
            with at(now - ago):
                message = conversations.post(direct, author, body)
        conversations.mark_read(ada.id, direct.id, message.id)
        session = db.session.scalar(
            db.select(Session).where(Session.id == world.commented)
            .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        )  # fmt: skip
        program = db.session.get(Program, world.program)
        with at(now - timedelta(days=4, hours=2)):
            notices.tell(coach.id, f"Dan Reyes joined {program.name}", url_for("clients.program_tab", program_id=program.id, tab="active"),
                         kind=JOINED, program_id=program.id, client_id=world.dan)  # fmt: skip
            db.session.flush()
        evening = datetime.combine(session.date, datetime.min.time(), UTC) + timedelta(hours=18)
        with at(evening + timedelta(minutes=31)):
            records = "; ".join(f"{p.exercise.name} {p.reps_min} × {p.load_value:g} kg" for p in session.prescriptions[:2])
            notices.tell(coach.id, f"Ada Lovelace logged {session.title} ({program.name}). New Personal Records: {records}",
                         session_page_for_coach(program.id, session.id, ada.id), kind=RECORD, program_id=program.id,
                         client_id=ada.id)  # fmt: skip
            db.session.flush()
        with at(datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=6)):
            tell_missed()  # as the worker does every morning: Ben's and Cleo's sessions that passed
            db.session.flush()
        with at(evening + timedelta(minutes=40)):
            comment = conversations.post(conversations.session_thread(session, program, ada.id), ada,
                                         "Squats felt heavy today, the last set was an RPE 9.")  # fmt: skip
            conversations.tell_coach(coach.id, ada.id, f"Ada Lovelace commented on {session.title}: {conversations.quote(comment.body)}",
                                     session_page_for_coach(program.id, session.id, ada.id), COMMENTED, program.id)  # fmt: skip
            db.session.flush()
        with at(now - timedelta(hours=1, minutes=35)):
            question = conversations.post(conversations.direct_thread(coach.id, ben.id), ben,
                                          "Can I train Saturday instead of Friday this week? Work trip.")  # fmt: skip
            conversations.tell_coach(coach.id, ben.id, f"Ben Okafor sent you a message: {conversations.quote(question.body)}",
                                     direct_url(coach.id, ben.id), MESSAGED)  # fmt: skip
            db.session.flush()
        program.public_slug = world.slug
        db.session.commit()


# --- the screens ---------------------------------------------------------------------------------


@dataclass
class Screen:
    name: str  # the file's name before -light.png / -dark.png
    who: str  # "coach", "client" or "visitor": whose device, logged in as whom
    caption: str
    show: object  # show(page, world): go to the screen and put it in the state pictured


def write_session(page, world):
    """The calendar with the session editor open as the coach types in it: three exercises by
    quick entry, the last two a superset."""
    from fitr.clock import today_for

    calendar(page, world)
    page.get_by_role("button", name=f"Add session on {(today_for(None) + timedelta(days=1)).isoformat()}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Upper body B")
    for row, text in enumerate(("Bench Press 5x5 @ 80kg", "Pull-Up 4x8 @ RPE 8", "Dumbbell Row 3x10 @ 30kg"), start=1):
        dialog.get_by_label(f"Exercise {row}", exact=True).fill(text)
        dialog.get_by_label(f"Exercise {row}", exact=True).press("Enter")
    # By keyboard: under the mouse pointer a pressed toggle takes the hover colours, unreadable.
    dialog.get_by_role("button", name="Superset with the exercise above").nth(1).press("Enter")


def calendar(page, world):
    page.goto(f"/programs/{world.program}/clients/{world.subscription}/calendar")


def scrolled_to(locator):
    """The page scrolled so that `locator`'s element is at the top, a little space above it."""
    locator.evaluate("(e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)")


def log_form(page, world):
    """Today's session, scrolled to Log session, with the first set's reps changed."""
    page.goto(f"/my/sessions/{world.session}")
    form = page.locator("form.log-form")
    form.get_by_label("Reps").first.fill("4")
    scrolled_to(form.get_by_role("heading", name="Log session"))


def program_clients(page, world):
    """The program page, scrolled to its clients."""
    page.goto(f"/programs/{world.program}")
    scrolled_to(page.locator("form:has(#program-search)"))


def commented(page, world):
    """Ada's last logged session, scrolled to its comments."""
    page.goto(f"/my/sessions/{world.commented}")
    scrolled_to(page.get_by_text("Squats felt heavy today").locator("xpath=ancestor::*[contains(@class, 'card')][1]"))


def go(path):
    """A screen that is just a page."""
    return lambda page, world: page.goto(path.format(w=world))


# In the order taken: a thread read (Messages) is no longer unread on Home and Notices.
SCREENS = [
    Screen("coach-home", "coach", "The coach's Home: who needs training, who missed, unread messages and comments", go("/home")),
    Screen("coach-programs", "coach", "Programs: published, group and draft", go("/programs/")),
    Screen("coach-program-clients", "coach", "A program's active clients", program_clients),
    Screen("coach-calendar", "coach", "One client's calendar", calendar),
    Screen("coach-editor", "coach", "The calendar with the session editor open: typed as \"Bench Press 5x5 @ 80kg\", B1 and B2 a superset", write_session),
    Screen("coach-notices", "coach", "Notices: joined, logged, commented, messaged", go("/notices")),
    Screen("coach-messages", "coach", "Messages: conversations and unread comments", go("/messages")),
    Screen("coach-thread", "coach", "A conversation with a client", go("/messages/{w.coach}/{w.ada}")),
    Screen("client-today", "client", "The client's Today", go("/my")),
    Screen("client-session", "client", "Today's session", go("/my/sessions/{w.session}")),
    Screen("client-logging", "client", "Logging the session: per set what was done", log_form),
    Screen("client-comments", "client", "A logged session with the client's comment", commented),
    Screen("client-history", "client", "History: every session logged", go("/my/history")),
    Screen("client-records", "client", "Personal Records", go("/my/records")),
    Screen("client-messages", "client", "Messages with the coach", go("/messages/{w.coach}/{w.ada}")),
    Screen("public-program", "visitor", "A program's public page, to share", go("/p/{w.slug}")),
    Screen("invite-accept", "visitor", "Accepting an invite: the link in the invite email", go("/invite/{w.invite}")),
]
# The README's pictures (static/screenshots/): the light ones of these screens.
README = {"coach-home": "coach-home.png", "coach-calendar": "coach-calendar.png", "coach-editor": "coach-editor.png",
          "client-today": "client-today-phone.png", "client-records": "client-records-phone.png"}  # fmt: skip


def size(who):
    """The picture's size in pixels for this kind of device: (width, height)."""
    device = LAPTOP if who == "coach" else PHONE
    scale = device.get("device_scale_factor", 1)
    return device["viewport"]["width"] * scale, device["viewport"]["height"] * scale


def settled(page):
    """Wait until the page is still: loaded, htmx done, fonts ready (and, under the tests' watch,
    its accessibility check over, since that briefly shows the other theme)."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request') && document.fonts.status === 'loaded'")
    page.evaluate("() => window.__fitrAxeSettled ? window.__fitrAxeSettled() : null")


def take(browser, base_url, world, folder, screens=SCREENS):
    """Photograph each screen in both themes into `folder` (NAME-light.png, NAME-dark.png), the
    two themes of a screen one after the other so they show the same data; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pages, taken = {}, []
    for screen in screens:
        for theme in THEMES:
            page = pages.get((screen.who, theme))
            if page is None:
                context = browser.new_context(**(LAPTOP if screen.who == "coach" else PHONE), base_url=base_url,
                                              color_scheme=theme, timezone_id="UTC", locale="en-GB")  # fmt: skip
                context.set_default_timeout(10_000)
                page = pages[screen.who, theme] = context.new_page()
                if screen.who != "visitor":
                    log_in(page, COACH if screen.who == "coach" else CLIENT)
            screen.show(page, world)
            settled(page)
            path = folder / f"{screen.name}-{theme}.png"
            page.screenshot(path=str(path), animations="disabled", caret="hide")
            taken.append(path)
    for page in pages.values():
        page.context.close()
    return taken


def index(folder, screens=SCREENS):
    """docs/screenshots/README.md: each screen, its caption and its two pictures."""
    lines = ["# fitr's key screens", "",
             "Taken by `make screenshots` (tests/screenshots.py) from the real app, on a throwaway database",
             "with the clock pinned to Wednesday 11 November 2026: the coach's screens on a laptop (1280 × 800),",
             "the client's and a visitor's on a 360 px phone; each in the light and the dark theme.", "",
             "| screen | light | dark |", "|---|---|---|"]  # fmt: skip
    for screen in screens:
        width = "" if screen.who == "coach" else ' width="180"'
        cells = [f'<img src="{screen.name}-{theme}.png" alt="{screen.caption} ({theme})"{width}>' for theme in THEMES]
        lines.append(f"| **{screen.name}**: {screen.caption} | {cells[0]} | {cells[1]} |")
    (Path(folder) / "README.md").write_text("\n".join(lines) + "\n")


def main(folder=GALLERY):
    import shutil

    import time_machine
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, time_machine.travel(NOW, tick=False):
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/shots.sqlite3", "MAIL_SERVER": "",
                          "HUEY_SQLITE_PATH": f"{scratch}/huey.sqlite3", "WORKER_IN_PROCESS": False,
                          "LOGIN_RATE_LIMIT": "1000 per minute", "BASE_URL": ""})  # fmt: skip
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
        with app.app_context():
            db.create_all()
        world = build(app)
        with LiveServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            taken = take(browser, server.url, world, folder)
            browser.close()
    index(folder)
    if Path(folder) == GALLERY:
        README_PICTURES.mkdir(parents=True, exist_ok=True)
        for screen, name in README.items():
            shutil.copyfile(GALLERY / f"{screen}-light.png", README_PICTURES / name)
    for path in taken:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"{len(taken)} pictures in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else GALLERY)
