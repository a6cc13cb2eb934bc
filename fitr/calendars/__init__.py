"""Calendars: each client's own calendar, a Group program's shared one, and program templates;
the sessions on them, the session editor, moving and copying."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)

from fitr.calendars import comments, copy_weeks, editor, moves, routes, versions  # noqa: E402,F401
