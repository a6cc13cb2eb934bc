"""Every fixture, in one place: a fresh database per test, an `auth` helper, the data tests
start from (built by factories.py, with `today` for the day tests treat as today), a real
SMTP server on loopback, the app served on a real port, and Debian's Chromium driven by
Playwright.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the same tests on PostgreSQL
(`make test` does so with a throwaway server; see tests/with_postgres.sh).
"""

import os
import socket
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import event, text

os.environ.setdefault("SECRET_KEY", "test-secret-key")
for name in ("DATABASE_URL", "MAIL_SERVER", "BASE_URL", "FITR_ENV"):
    os.environ.pop(name, None)

import factories  # noqa: E402
import stripe_stub as stripe_stub_module  # noqa: E402
from browser_watch import PageWatch, accessible_now  # noqa: E402
from factories import NOV_3, PASSWORD  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.clock import today_for  # noqa: E402
from fitr.extensions import db  # noqa: E402
from fitr.programs.models import GROUP, PUBLISHED  # noqa: E402
from fitr.subscriptions.models import PENDING  # noqa: E402


def worker_database(url):
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the given one
    (fitr_test_gw0, fitr_test_gw1, ...), so workers never truncate each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = worker_database(os.environ.get("TEST_DATABASE_URL"))
_pg_schema_ready = False


def pytest_configure(config):
    config.addinivalue_line("markers", "config(**settings): extra app settings for this test")
    config.addinivalue_line("markers", "csrf: run this test with CSRF protection on")
    config.addinivalue_line("markers", "dates: date-sensitive; tests/with_dates.sh runs it again at the awkward days")
    config.addinivalue_line("markers", "all_routes: asks every route of the app (the access matrix, hostile input)")


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if POSTGRES_URL else 'SQLite (a fresh file per test)'}"


@pytest.fixture
def app(request, tmp_path):
    """An app on a fresh, empty database (SQLite file, or truncated PostgreSQL tables)."""
    global _pg_schema_ready
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "WTF_CSRF_ENABLED": "live_server" in request.fixturenames or bool(request.node.get_closest_marker("csrf")),
        "MAIL_SERVER": "",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # a quick hash: tests make hundreds of accounts
        "BASE_URL": "",
        # No test reaches Stripe: card payments are off, and Stripe's API is a closed port,
        # unless the test asks for the stand-in (stripe_stub).
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "STRIPE_API_BASE": "http://127.0.0.1:9",
        # The outbox's queue: a SQLite file of this test's; the worker runs when a test says so.
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        "WORKER_IN_PROCESS": False,
        "MAIL_TIMEOUT": 5,
    }
    if "stripe_stub" in request.fixturenames:
        stub = request.getfixturevalue("stripe_stub")
        settings.update(STRIPE_SECRET_KEY=stripe_stub_module.SECRET_KEY, STRIPE_WEBHOOK_SECRET=stripe_stub_module.WEBHOOK_SECRET,
                        STRIPE_API_BASE=stub.url, STRIPE_CHECKOUT_ORIGIN=stub.url)  # fmt: skip
    if "smtp" in request.fixturenames:
        smtp = request.getfixturevalue("smtp")
        settings.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port, MAIL_DEFAULT_SENDER="fitr <coach-mail@fitr.test>")
    marker = request.node.get_closest_marker("config")
    if marker:
        settings.update(marker.kwargs)
    app = create_app(settings)
    if "smtp" in request.fixturenames:
        smtp.worker = lambda: run_worker(app)
    with app.app_context():
        if POSTGRES_URL:
            if not _pg_schema_ready:
                db.drop_all()
                db.create_all()
                _pg_schema_ready = True
            else:
                truncate_all()
        else:
            db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def truncate_all():
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def empty_app(app):
    """The test app with its database emptied, so migrations start from nothing; afterwards
    the schema is put back as the other tests expect it."""
    from flask_migrate import downgrade

    from fitr import config

    with app.app_context():
        db.drop_all()
    yield app
    with app.app_context():
        db.session.remove()
        downgrade(directory=str(config.ROOT / "migrations"), revision="base")
        db.create_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context, for calling rules and looking at the database directly."""
    with app.app_context():
        yield


class AuthActions:
    def __init__(self, client):
        self.client = client

    def signup(self, name="Casey Coach", email="casey@example.com", password=PASSWORD, **kw):
        return self.client.post("/signup", data={"name": name, "email": email, "password": password}, **kw)

    def login(self, email="casey@example.com", password=PASSWORD, **kw):
        return self.client.post("/login", data={"email": email, "password": password}, **kw)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def coach(app):
    """A coach account (Casey) with the standard test password; returns its id."""
    return factories.make_user(app, "Casey Coach", "casey@example.com")


@pytest.fixture
def other_coach(app):
    """Another coach (Olive), who must never see Casey's things; returns its id."""
    return factories.make_user(app, "Olive Other", "olive@example.com")


@pytest.fixture
def logged_in(auth, coach):
    """The test client, logged in as the coach."""
    auth.login()
    return auth.client


# --- the data tests start from (factories.py builds it) ---------------------------------------


# The clock every test runs on is pinned (and ticks on from there), so the suite passes on any
# day of the year, in any server time zone. FITR_TEST_NOW (an ISO datetime with its offset) and
# FITR_TEST_TIME_ZONE (the time zone of the accounts factories make) move it: `make test-dates`
# runs the date-sensitive tests at the awkward days of the calendar that way.
TEST_NOW = datetime.fromisoformat(os.environ.get("FITR_TEST_NOW") or "2026-11-10T10:00:00+00:00")


@pytest.fixture(autouse=True)
def pinned_clock():
    """Time starts at TEST_NOW for every test (the app's clock, itsdangerous and the database
    writes alike)."""
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def today(pinned_clock):
    """The day tests treat as today: today where the test accounts are (factories.TIME_ZONE)."""
    return today_for(SimpleNamespace(time_zone=factories.TIME_ZONE))


@pytest.fixture
def starter_exercises(app):
    """The shipped starter exercise library (the worlds below load it too)."""
    factories.load_starter_exercises(app)


@pytest.fixture
def make_program(app):
    """`make_program(coach_id, status="draft"|"published"|"archived", **settings)`: a program id."""
    return lambda coach_id, **settings: factories.make_program(app, coach_id, **settings)


@pytest.fixture
def add_subscription(app, today):
    """`add_subscription(program_id, email, status="pending"|"active"|"ended", name="",
    client_id=None, start_date=None)`: a subscription id. A client who joined (active or ended)
    started today unless start_date says otherwise."""

    def add(program_id, email, status=PENDING, start_date=None, **kw):
        if start_date is None and status != PENDING:
            start_date = today
        return factories.add_subscription(app, program_id, email, status, start_date=start_date, **kw)

    return add


@pytest.fixture
def make_invite(app):
    """`make_invite(program_id, email, message="", start_date=None)`: an invite, as emailed
    (id, subscription_id, email, token)."""
    return lambda program_id, email, **kw: factories.make_invite(app, program_id, email, **kw)


@pytest.fixture
def program(app, coach):
    """A draft 1-2-1 program of the coach, £49.99 a month."""
    return factories.make_program(app, coach, name="Strength Block", price_minor=4999, currency="GBP",
                                  billing_period="monthly", description="Four weeks.\nThree sessions a week.")  # fmt: skip


@pytest.fixture
def published_program(app, coach):
    """A published, paid 1-2-1 program of the coach."""
    return factories.make_program(app, coach, status=PUBLISHED, name="Powerlifting 1-2-1", price_minor=9900,
                                  currency="GBP", billing_period="monthly", description="Meet prep.")  # fmt: skip


@pytest.fixture
def group_program(app, coach):
    """A published, free Group program of the coach (one shared calendar)."""
    return factories.make_program(app, coach, status=PUBLISHED, name="Team Barbell", type=GROUP)


@pytest.fixture
def invited_client(app, published_program):
    """Ada (no account yet) invited to the coach's published 1-2-1 program."""
    return factories.make_invite(app, published_program, "ada@example.com", message="Welcome aboard, Ada!")


@pytest.fixture
def one_to_one(app, coach):
    """Casey's "Strength 1-2-1": Ada, Ben and Cleo active from 3 November 2026, Dan pending."""
    return factories.one_to_one(app, coach, NOV_3)


@pytest.fixture
def team_program(app, coach):
    """Casey's Group program "Team Strength": Gail and Gus follow its shared calendar."""
    return factories.team_program(app, coach, NOV_3)


@pytest.fixture
def others_program(app, other_coach):
    """Olive's 1-2-1 program, whose client Zed has a session on 3 November 2026."""
    return factories.others_program(app, other_coach, NOV_3)


@pytest.fixture
def gym(app, coach, other_coach, today):
    """The client's side, four weeks after its clients started (see factories.gym)."""
    return factories.gym(app, coach, other_coach, today)


@pytest.fixture
def as_ada(auth, gym):
    """The test client, logged in as Ada (of the gym)."""
    auth.login("ada@example.com")
    return auth.client


# --- counting SQL -----------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` records every SQL statement the block runs."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# --- Stripe's API, stood in on loopback ---------------------------------------------


@pytest.fixture
def stripe_stub():
    """The Stripe stand-in (tests/stripe_stub.py) on 127.0.0.1; the app fixture points fitr at
    it and turns card payments on with the test keys."""
    stub = stripe_stub_module.StripeStub().start()
    yield stub
    stub.stop()


# --- a real SMTP server on loopback ---------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_worker(app, sweep=False):
    """What the worker process does, here and now: take every task off the app's real queue
    (Huey, on this test's SQLite file) and run it, until the queue is empty. `sweep`: first run
    the every-minute sweep, which enqueues the outbox rows that are due. Returns how many tasks
    ran."""
    huey, ran = app.extensions["huey"], 0
    if sweep:
        huey.execute(app.extensions["outbox_tasks"]["sweep"].s())
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


class Mailbox:
    """The messages a loopback SMTP server received, parsed. `wait_for` and `delivered` first
    let the worker deliver what the app has written to its outbox (`worker`, set by the app
    fixture)."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.messages = []
        self.worker = None

    def delivered(self):
        """The messages, once the worker has delivered everything queued."""
        if self.worker is not None:
            self.worker()
        return self.messages

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count=1, timeout=5):
        self.delivered()
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    @staticmethod
    def text(message):
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message):
        return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the app fixture sends its mail here."""
    from aiosmtpd.controller import Controller

    port = free_port()
    mailbox = Mailbox("127.0.0.1", port)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox
    controller.stop()


# --- the app on a real port, and a real browser ----------------------------------


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port in a thread, CSRF on, as in production."""
    with LiveServer(app) as server:
        yield server


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 375, "height": 740}
# page.evaluate(WORKER_STATE): the service worker's state once it has registered ("activated").
WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state === "activating") {
    await new Promise((done) => worker.addEventListener("statechange", done, {once: true}));
  }
  return worker.state;
}"""


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright (which cannot download its own here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class WatchedBrowser:
    """The browser as a test sees it: every context it opens is watched (tests/browser_watch.py)."""

    def __init__(self, browser, watch):
        self._browser, self._watch, self.contexts = browser, watch, []

    def new_context(self, **options):
        context = self._watch.context(self._browser.new_context(**options))
        self.contexts.append(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def page_watch():
    """This test's watch over the browser: console and script errors, and axe after every page
    load and htmx swap; checked when the test ends (pytest_runtest_call below)."""
    return PageWatch()


@pytest.fixture
def browser(chromium, page_watch):
    """Chromium, each context the test opens watched; the contexts are closed at the end."""
    watched = WatchedBrowser(chromium, page_watch)
    yield watched
    for context in watched.contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test that passed fails on what its watch saw (a console or script error, a
    serious or critical axe violation), as a failure of the test itself."""
    result = yield
    watch = getattr(item, "funcargs", {}).get("page_watch")
    if watch is not None:
        watch.check()
    return result


@pytest.fixture
def browser_page(browser, page_watch, live_server):
    """A fresh browser tab on a phone-sized (375 px) screen, pointed at the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(10_000)
    return page_watch.page(context.new_page())


def log_in(page, email="casey@example.com", password=PASSWORD):
    """Log in through the real form, as a person would; returns once the start page is shown."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def run_notify_twice_at_once(app):
    """Two copies of `flask notify`'s work started together, as cron and a systemd timer might;
    their {what: how many}."""
    from fitr.scheduled.command import run_due

    return run_twice_at_once(app, run_due)


def run_twice_at_once(app, work):
    """Two copies of `work` started together (a barrier), each in its own app context and
    database session, as two workers or timers might; what each returned."""
    start, done, errors = threading.Barrier(2), [], []

    def copy():
        try:
            with app.app_context(), app.test_request_context(base_url="http://127.0.0.1:5000"):
                start.wait(5)
                done.append(work())
                db.session.remove()
        except Exception as error:  # noqa: BLE001 (the assertion below shows it)
            errors.append(error)

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(done) == 2, errors
    return done


def has_horizontal_scroll(page):
    """True when the page is wider than the screen (the user could scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the page as it is now; the failure
    lists each one. (The watch checks every page and swap by itself: this is for a state
    a test wants checked at that very moment.)"""
    violations = accessible_now(page)
    assert not violations, "\n".join(violations)
