"""Programs: the coach's 1-2-1 and Group programs."""

from flask import Blueprint

bp = Blueprint("programs", __name__, url_prefix="/programs")
# A published paid program's shareable page lives outside /programs.
public_bp = Blueprint("public", __name__)

from fitr.programs import programs_page  # noqa: E402,F401
