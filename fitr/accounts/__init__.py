"""Accounts: sign up, log in, log out, reset a forgotten password, and Settings."""

from flask import Blueprint, flash, redirect, request, url_for

from fitr.extensions import login_manager
from fitr.web import is_htmx

# cli_group=None: its commands are `flask create-user`, not `flask accounts create-user`.
bp = Blueprint("accounts", __name__, cli_group=None)


@login_manager.unauthorized_handler
def unauthorized():
    """Send a logged-out visitor to Log in, and back here afterwards; htmx gets a full redirect."""
    target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    flash("Please log in to see that page.", "info")
    return redirect(target)


from fitr.accounts import account_pages  # noqa: E402,F401
