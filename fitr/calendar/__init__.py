"""Calendars: each client's own calendar, a Group program's shared one, and program templates."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)

from fitr.calendar import routes  # noqa: E402,F401
