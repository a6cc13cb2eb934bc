"""`flask` subcommands for the person who hosts fitr."""

import click
from flask import current_app

from fitr.extensions import db


def init_app(app):
    @app.cli.command("create-user")
    @click.option("--name", prompt=True)
    @click.option("--email", prompt=True)
    @click.password_option()
    def create_user(name, email, password):
        """Create an account (for a private gym where open sign-up is off)."""
        from fitr.auth.rules import MIN_PASSWORD, AuthError, create_account

        if len(password) < MIN_PASSWORD:
            raise click.ClickException(f"Use at least {MIN_PASSWORD} characters for the password.")
        try:
            user = create_account(name, email, password)
        except AuthError as error:
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Created {user.email}.")

    @app.cli.command("check-config")
    def check_config():
        """Print the settings that matter (never the secrets)."""
        config = current_app.config
        for key in ("FITR_ENV", "SQLALCHEMY_DATABASE_URI", "BASE_URL", "MAIL_SERVER", "MAIL_PORT", "OPEN_SIGNUP"):
            value = config.get(key)
            if key == "SQLALCHEMY_DATABASE_URI" and "@" in str(value):
                value = str(value).split("://")[0] + "://***@" + str(value).split("@", 1)[1]
            click.echo(f"{key}={value}")
