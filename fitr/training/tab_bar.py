"""The client's tab bar: its Calendar tab. The bar is on every page, so its link cannot know
the client's programs without a query on every page: the tab asks here, on the tap."""

from flask import redirect, url_for
from flask_login import login_required

from fitr.subscriptions.models import ACTIVE
from fitr.training import bp
from fitr.training.access import my_subscriptions


@bp.route("/my/calendar")
@login_required
def my_calendar():
    """Calendar: the calendar of the one program I train in, or My programs to choose from when I
    train in several (or none yet, or only ended ones)."""
    active = [s for s in my_subscriptions() if s.status == ACTIVE]
    if len(active) == 1:
        return redirect(url_for("training.calendar", subscription_id=active[0].id))
    return redirect(url_for("training.my_programs"))
