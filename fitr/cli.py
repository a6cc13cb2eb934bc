"""`flask` subcommands for the person who hosts fitr that belong to no area (each area adds its
own: `flask create-user` in accounts, `flask library load-exercises` in library)."""

import click
from flask import current_app


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
