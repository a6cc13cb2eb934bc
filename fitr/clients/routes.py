"""The Clients page."""

from flask_login import login_required

from fitr.clients import bp
from fitr.web import render


@bp.route("/")
@login_required
def index():
    """Everyone the coach trains, across programs."""
    return render("clients/index.html", clients=[])
