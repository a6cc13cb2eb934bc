"""Notices: the page (filtered by program), mark one or all read, and the count in the
navigation."""

from flask import abort, redirect, request
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.forms import ActionForm
from fitr.notices import bp, rules
from fitr.web import render, safe_next


@bp.app_template_global()
def unread_notice_count():
    """For the Notices link in the navigation; only full pages (not htmx fragments) ask."""
    return rules.count_unread(current_user.id) if current_user.is_authenticated else 0


def program_filter():
    """The program the page is filtered by (?program=<id>), or None; anything else is a 400."""
    raw = request.values.get("program", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        abort(400, "Choose one of your programs.")
    return int(raw)


@bp.route("/notices")
@login_required
def index():
    """Notices: what happened (joined, logged, skipped, missed, a new record, a comment, a
    message), newest first, each linking to its place; one program's, if chosen."""
    program_id = program_filter()
    return render(
        "notices/index.html",
        notices=rules.unread(current_user.id, limit=100, program_id=program_id),
        programs=rules.programs_with_unread(current_user.id),
        program_id=program_id,
        form=ActionForm(),
    )


@bp.route("/notices/read", methods=["POST"])
@login_required
def read():
    """Mark all as read (all of one program's, when the page is filtered)."""
    rules.mark_read(current_user.id, program_id=program_filter())
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), "clients.index"))


@bp.route("/notices/<int:notice_id>/read", methods=["POST"])
@login_required
def read_one(notice_id):
    """Mark one notice read; someone else's, or one already read, is a 404."""
    if not rules.mark_read(current_user.id, notice_id=notice_id):
        abort(404)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), "notices.index"))
