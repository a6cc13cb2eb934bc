"""Logging a browser in and out: a login of the account's (fitr.accounts.rules) in Flask-Login's
session and "Keep me logged in" cookies. Every route that logs someone in calls log_in.

Logging in also marks the browser as known to the account (a signed, long-lived cookie per
account): when a stranger's wrong passwords slow logging in to the account down
(fitr.accounts.throttle), a known browser is never refused."""

from datetime import timedelta

from flask import after_this_request, current_app, request, url_for
from flask_login import current_user, login_user, logout_user

from fitr.accounts.rules import end_login, start_login
from fitr.accounts.throttle import forget_failures
from fitr.tokens import BadSignature, hash_token, timed_signer

KNOWN_BROWSER_FOR = timedelta(days=365)  # renewed at each login


def log_in(user, remember=False):
    """This browser is logged in as `user` on a login of its own, and is known to the account
    from now on; the count of wrong passwords for it starts again (the caller commits)."""
    if current_user.is_authenticated:
        log_out()
    start_login(user)
    forget_failures(user)
    login_user(user, remember=remember)
    _mark_known(user)


def log_out():
    """This browser's login ends, and every copy of its cookies with it (the caller commits)."""
    if current_user.is_authenticated:
        end_login(current_user)
    logout_user()


# --- browsers known to an account --------------------------------------------------------------


def _cookie_name(user):
    return f"known_browser_{user.id}"


def _account_mark(user):
    """What ties the cookie to the account as it is now: its id, and its password (a password
    change or reset ends every other browser's exemption; they get it back at their next login)."""
    return [user.id, hash_token(user.password_hash)[:32]]


def _mark_known(user):
    value = timed_signer("known-browser").dumps(_account_mark(user))

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            _cookie_name(user),
            value,
            max_age=int(KNOWN_BROWSER_FOR.total_seconds()),
            path=url_for("accounts.login"),  # only Log in reads it
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
        )
        return response


def known_browser(user):
    """True when this browser logged in to `user`'s account before (a cookie signed for it, not
    older than a year, made with its current password)."""
    if user is None:
        return False
    value = request.cookies.get(_cookie_name(user), "")
    if not value or len(value) > 300:
        return False
    try:
        mark = timed_signer("known-browser").loads(value, max_age=int(KNOWN_BROWSER_FOR.total_seconds()))
    except BadSignature:  # forged, for another account's secret, or expired
        return False
    return mark == _account_mark(user)
