"""The Programs page."""

from flask_login import login_required

from fitr.programs import bp
from fitr.web import render


@bp.route("/")
@login_required
def index():
    """The coach's programs."""
    return render("programs/index.html", programs=[])
