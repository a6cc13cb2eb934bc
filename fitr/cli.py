"""`flask` subcommands for the person who hosts fitr that belong to no area (each area adds its
own: `flask create-user` in accounts, `flask library load-exercises` in library)."""

import sqlite3

import click
from flask import current_app

from fitr.config import base_url_warning


def init_app(app):
    @app.cli.command("check-config")
    def check_config():
        """Print the settings that matter (never the secrets)."""
        config = current_app.config
        for key in ("FITR_ENV", "SQLALCHEMY_DATABASE_URI", "BASE_URL", "MAIL_SERVER", "MAIL_PORT", "OPEN_SIGNUP"):
            value = config.get(key)
            if key == "SQLALCHEMY_DATABASE_URI" and "@" in str(value):
                value = str(value).split("://")[0] + "://***@" + str(value).split("@", 1)[1]
            click.echo(f"{key}={value}")
        warning = base_url_warning(config)
        if warning:
            click.echo(f"Warning: {warning}", err=True)

    @app.cli.command("backup")
    @click.argument("destination", type=click.Path(dir_okay=False, writable=True))
    def backup(destination):
        """Copy the SQLite database to DESTINATION while fitr keeps running (SQLite's online
        backup: a consistent copy, even mid-write). For PostgreSQL, use pg_dump."""
        from pathlib import Path

        from fitr.extensions import db

        engine = db.engine
        if engine.dialect.name != "sqlite":
            raise click.ClickException("This database is PostgreSQL: back it up with pg_dump -Fc (see the README).")
        target = Path(destination)
        if target.exists():
            raise click.ClickException(f"{target} exists already: choose a new file.")
        source = engine.raw_connection()
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.driver_connection.backup(copy)
            copy.close()
        finally:
            source.close()
        click.echo(f"Backed up {engine.url.database} to {target}.")
