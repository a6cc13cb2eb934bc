"""When the database fails: people get a short 503 page that says to try again (never a bare
server error), the log gets one line per failure with its cause (not tracebacks), nothing is
half-written, and fitr answers again as soon as the database is back, with no restart. Error
pages never touch the database themselves."""

import logging

from factories import PASSWORD, element, make_user
from flask_login import current_user

from fitr import create_app
from fitr.extensions import db
from fitr.programs.models import Program


def settings(url):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "BASE_URL": "",
    }


def error_lines(caplog):
    return [r for r in caplog.records if r.name == "fitr.errors"]


def test_with_the_database_gone_people_get_a_503_and_fitr_recovers_without_a_restart(tmp_path, caplog):
    data = tmp_path / "data"
    data.mkdir()
    app = create_app(settings(f"sqlite:///{data / 'fitr.sqlite3'}"))
    with app.app_context():
        db.create_all()
    make_user(app, "Casey Coach", "casey@example.com")
    client = app.test_client()
    assert client.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 302
    assert client.get("/programs/").status_code == 200

    data.rename(tmp_path / "away")  # the database is gone: its file cannot be opened
    with app.app_context():
        db.engine.dispose()  # connections already open would still reach the moved file
    caplog.clear()
    page = client.get("/programs/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    html = page.get_data(as_text=True)
    assert "cannot reach its database just now" in html and "try again in a minute" in html
    assert element(html, "a", href="/", text="Go to the start page")
    written = client.post("/programs/new", data={"name": "Lost", "type": "1-2-1", "free": "y"})
    assert written.status_code == 503
    fragment = client.get("/programs/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section class="card narrow error-page"')  # htmx swaps in just the message
    lines = error_lines(caplog)
    assert [r.levelno for r in lines] == [logging.ERROR] * 3  # one line per failure
    assert lines[0].getMessage() == "Database unavailable on GET /programs/: unable to open database file"
    assert all(r.exc_info is None for r in caplog.records)  # and no traceback anywhere

    (tmp_path / "away").rename(data)  # the database is back
    assert client.get("/programs/").status_code == 200
    with app.app_context():
        assert db.session.query(Program).count() == 0  # the refused write left nothing behind


def test_postgresql_refusing_connections_gets_the_503_page(caplog):
    app = create_app(settings("postgresql+psycopg://fitr@127.0.0.1:9/fitr"))  # nothing listens on port 9
    page = app.test_client().get("/p/some-program")
    assert page.status_code == 503
    assert "cannot reach its database just now" in page.get_data(as_text=True)
    [line] = error_lines(caplog)
    assert line.getMessage().startswith("Database unavailable on GET /p/some-program: ")
    assert "refused" in line.getMessage().lower() and line.exc_info is None


def test_error_pages_never_touch_the_database(app, logged_in, count_queries):
    with count_queries() as counter:
        missing = logged_in.get("/no-such-page")
    assert missing.status_code == 404 and counter.count == 0
    assert "There is nothing here." in missing.get_data(as_text=True)


def test_a_connection_the_database_cuts_after_the_response_is_made_still_answers(app, caplog):
    """A database stopped at the wrong moment cuts the connection after the page is made: the
    rollback that ends the request's session fails. The person still gets their page, the log one
    line, and the next request a fresh connection."""

    @app.route("/_test/cut-after-response")
    def cut_after_response():
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":  # the server ends this connection, as a stop does
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with db.engine.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        else:  # a file database: its connection is closed under the session
            connection.exec_driver_sql("SELECT 1")
            connection.connection.dbapi_connection.close()
        return "made"

    make_user(app, "Casey Coach", "casey@example.com")
    logged_in = app.test_client()
    assert logged_in.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 302
    caplog.clear()
    page = logged_in.get("/_test/cut-after-response")
    assert page.status_code == 200 and page.get_data(as_text=True) == "made"
    [line] = error_lines(caplog)
    assert line.getMessage().startswith("Database connection lost at the end of GET /_test/cut-after-response: ")
    assert all(r.exc_info is None for r in caplog.records)
    assert logged_in.get("/programs/").status_code == 200


def test_a_database_gone_after_the_person_was_loaded_still_gets_the_503_page(tmp_path, caplog):
    """The database goes away mid-request, after the logged-in person was loaded: the page that
    says so is still made (the phone's Fitr-Person header is worked out without reloading them)."""
    data = tmp_path / "data"
    data.mkdir()
    app = create_app(settings(f"sqlite:///{data / 'fitr.sqlite3'}"))
    with app.app_context():
        db.create_all()
    make_user(app, "Casey Coach", "casey@example.com")

    @app.route("/_test/gone-mid-request")
    def gone_mid_request():
        assert current_user.is_authenticated  # the person is loaded
        db.session.rollback()  # the connection goes back to the pool (the person's row expires)
        data.rename(tmp_path / "away")
        db.engine.dispose()
        return str(db.session.query(Program).count())

    client = app.test_client()
    assert client.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 302
    caplog.clear()
    page = client.get("/_test/gone-mid-request")
    assert page.status_code == 503 and "cannot reach its database just now" in page.get_data(as_text=True)
    assert page.headers["Fitr-Person"] != ""  # still whose page it is
    assert all(r.exc_info is None for r in caplog.records)  # no traceback: the error page was made
