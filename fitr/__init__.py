"""fitr: 1-2-1 coaching programs for strength and fitness coaches."""

import logging
import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from fitr import config
from fitr import extensions as ext


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, let readers run beside a writer, wait instead of failing,
    and keep up to 32 MiB of the database in memory per connection (SQLite's default, 2 MiB,
    made a coach of a thousand clients read the same pages from the file on every visit:
    Home's missed sessions took 2.6 ms instead of 1.2)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-32768")  # in KiB
        cursor.close()


@event.listens_for(Engine, "savepoint")
def _sqlite_savepoint_in_a_transaction(connection, name):
    """SQLite: a savepoint always sits inside the request's transaction. The sqlite3 module
    begins a transaction only before a write statement, so a savepoint taken first (a calendar
    made on first view, a notice...) was a transaction of its own, committed by its RELEASE even
    when the request then failed; PostgreSQL rolls it back with the rest."""
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def create_app(test_config=None):
    """Build the app from the environment, or from `test_config` layered on top of it."""
    app = Flask(
        __name__,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
        instance_path=str(config.instance_path()),
    )
    app.config.update(config.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    config.instance_path().mkdir(parents=True, exist_ok=True)

    if app.config.get("TRUSTED_PROXIES"):
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)

    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(config.ROOT / "migrations"))
    ext.login_manager.init_app(app)
    ext.csrf.init_app(app)
    ext.mail.init_app(app)
    ext.limiter.init_app(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)

    from fitr import cli, components, errors, logging_setup, models, security, web, worker  # noqa: F401 (models registers the tables)

    web.init_app(app)
    components.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    logging_setup.init_app(app)
    worker.init_app(app)

    from fitr import (
        accounts,
        app_shell,
        calendars,
        clients,
        conversations,
        history,
        home,
        invites,
        library,
        notices,
        payments,
        privacy,
        programs,
        push,
        scheduled,
        training,
    )

    for blueprint in (
        accounts.bp, notices.bp, programs.bp, programs.public_bp, library.bp, history.bp,
        calendars.bp, payments.bp, invites.bp, training.bp, clients.bp, conversations.bp, home.bp, scheduled.bp,
        privacy.bp, app_shell.bp, push.bp,
    ):  # fmt: skip
        app.register_blueprint(blueprint)
    return app

