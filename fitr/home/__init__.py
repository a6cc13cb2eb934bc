"""The coach's Home: what needs them today, each one click from where they act."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from fitr.home import home_page  # noqa: E402,F401
