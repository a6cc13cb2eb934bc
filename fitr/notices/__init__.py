"""Notices: what happened that a user should know, e.g. "Casey joined Strength 1-2-1"."""

from flask import Blueprint

bp = Blueprint("notices", __name__)

from fitr.notices import routes  # noqa: E402,F401
