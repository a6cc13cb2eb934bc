"""Shared fixtures: a fresh database per test, an `auth` helper, a real SMTP server on
loopback, the app served on a real port, and Debian's Chromium driven by Playwright.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the same tests on PostgreSQL
(`make test` does so with a throwaway server; see tests/with_postgres.sh).
"""

import os
import socket
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from sqlalchemy import event, text

os.environ.setdefault("SECRET_KEY", "test-secret-key")
for name in ("DATABASE_URL", "MAIL_SERVER", "BASE_URL", "FITR_ENV"):
    os.environ.pop(name, None)

from fitr import create_app  # noqa: E402
from fitr.accounts.rules import create_account  # noqa: E402
from fitr.extensions import db  # noqa: E402

pytest_plugins = ["fixtures_programs", "fixtures_invites", "fixtures_calendar", "fixtures_athlete"]

PASSWORD = "correct horse battery"


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
        "BASE_URL": "",
    }
    if "smtp" in request.fixturenames:
        smtp = request.getfixturevalue("smtp")
        settings.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port, MAIL_DEFAULT_SENDER="fitr <coach-mail@fitr.test>")
    marker = request.node.get_closest_marker("config")
    if marker:
        settings.update(marker.kwargs)
    app = create_app(settings)
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


def make_user(app, name, email, password=PASSWORD):
    with app.app_context():
        user = create_account(name, email, password)
        db.session.commit()
        return user.id


@pytest.fixture
def coach(app):
    """A coach account (Casey) with the standard test password; returns its id."""
    return make_user(app, "Casey Coach", "casey@example.com")


@pytest.fixture
def other_coach(app):
    return make_user(app, "Olive Other", "olive@example.com")


@pytest.fixture
def logged_in(auth, coach):
    """The test client, logged in as the coach."""
    auth.login()
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


# --- a real SMTP server on loopback ---------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """The messages a loopback SMTP server received, parsed."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count=1, timeout=5):
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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which cannot download its own here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh browser tab on a phone-sized (375 px) screen, pointed at the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()


def log_in(page, email="casey@example.com", password=PASSWORD):
    """Log in through the real form, as a person would; returns once the start page is shown."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def has_horizontal_scroll(page):
    """True when the page is wider than the screen (the user could scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
