"""Notices: what happened that a user should know, e.g. "Casey joined Strength 1-2-1"."""

from flask import Blueprint

bp = Blueprint("notices", __name__)

from fitr.notices import notices_page  # noqa: E402,F401
