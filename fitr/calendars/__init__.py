"""Calendars: each client's own calendar, a Group program's shared one, and program templates;
the sessions on them, the session editor, moving and copying."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)

from fitr.calendars import (  # noqa: E402,F401
    calendar_pages,
    coach_comments,
    copy_weeks,
    moves,
    session_editor,
    versions,
)
