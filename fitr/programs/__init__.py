"""Programs: the coach's 1-2-1 and Group programs."""

from flask import Blueprint

bp = Blueprint("programs", __name__, url_prefix="/programs")

from fitr.programs import routes  # noqa: E402,F401
