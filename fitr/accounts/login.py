"""Logging a browser in and out: a login of the account's (fitr.accounts.rules) in Flask-Login's
session and "Keep me logged in" cookies. Every route that logs someone in calls log_in."""

from flask_login import current_user, login_user, logout_user

from fitr.accounts.rules import end_login, start_login


def log_in(user, remember=False):
    """This browser is logged in as `user` on a login of its own (the caller commits)."""
    if current_user.is_authenticated:
        log_out()
    start_login(user)
    login_user(user, remember=remember)


def log_out():
    """This browser's login ends, and every copy of its cookies with it (the caller commits)."""
    if current_user.is_authenticated:
        end_login(current_user)
    logout_user()
