"""Accounts: sign up, log in, log out, reset a forgotten password."""

from flask import Blueprint, flash, redirect, request, url_for

from fitr.extensions import login_manager
from fitr.web import is_htmx

bp = Blueprint("auth", __name__)


@login_manager.unauthorized_handler
def unauthorized():
    """Send a logged-out visitor to Log in, and back here afterwards; htmx gets a full redirect."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    flash("Please log in to see that page.", "info")
    return redirect(target)


from fitr.auth import routes  # noqa: E402,F401
