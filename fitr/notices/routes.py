"""Notices: the page, Mark all as read, and the count in the navigation."""

from flask import redirect, request
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.notices import bp, rules
from fitr.web import render, safe_next


@bp.app_template_global()
def unread_notice_count():
    """For the Notices link in the navigation; only full pages (not htmx fragments) ask."""
    return rules.count_unread(current_user.id) if current_user.is_authenticated else 0


@bp.route("/notices")
@login_required
def index():
    """Notices: who joined which program, newest first."""
    return render("notices/index.html", notices=rules.unread(current_user.id, limit=100))


@bp.route("/notices/read", methods=["POST"])
@login_required
def read():
    """Mark all as read."""
    rules.mark_read(current_user.id)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), "clients.index"))
