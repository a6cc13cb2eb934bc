"""Calendars: each client's own calendar, a Group program's shared one, and program templates;
the sessions on them, the session editor, moving and copying."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)

from fitr.calendars import calendar_pages, comments, copy_weeks, moves, session_editor, versions  # noqa: E402,F401
