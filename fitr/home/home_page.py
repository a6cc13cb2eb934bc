"""Home: the page a coach lands on after logging in. Who needs training, unread messages and
comments, yesterday's missed sessions, this week's new Personal Records and invites about to
expire, each one click from where the coach acts; a fixed number of queries whatever the number
of clients, messages and notices, each reading at most a page of rows (LIMIT)."""

from datetime import UTC, datetime, time, timedelta

from flask import redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from fitr.calendars.ahead import ClientDays, missed_yesterday, needs_training_first
from fitr.clock import today_for, zone
from fitr.conversations.inbox import unread_comments, unread_conversations
from fitr.extensions import db
from fitr.home import bp
from fitr.invites.delivery import expiring_invites
from fitr.notices import rules as notices
from fitr.notices.models import RECORD
from fitr.programs.models import Program
from fitr.web import render

LIMIT = 50  # rows per list; the page says when there are more


@bp.route("/home")
@login_required
def index():
    """Home for a coach; a client's home is Today."""
    if not current_user.is_coach:
        return redirect(url_for("training.today"))
    coach = current_user
    days = ClientDays.of_active(coach.id)  # each client's today, for both lists
    needs, needs_count = needs_training_first(coach.id, LIMIT, days) if days else ([], 0)
    missed, more_missed = missed_yesterday(coach.id, LIMIT, days) if days else ([], False)
    return render(
        "home/index.html",
        today=today_for(coach),
        needs=needs,
        messages=unread_conversations(coach.id, limit=LIMIT),
        comments=unread_comments(coach.id, limit=LIMIT),
        more_needs=needs_count - len(needs),
        missed=missed,
        more_missed=more_missed,
        records=notices.since(coach.id, [RECORD], week_start(coach), limit=LIMIT),
        expiring=expiring_invites(coach.id, limit=LIMIT),
        has_programs=db.session.scalar(select(func.count(Program.id)).where(Program.coach_id == coach.id)) > 0,
    )


def week_start(user):
    """Monday 00:00 of the user's week, as the naive UTC datetime the database stores."""
    today = today_for(user)
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min, tzinfo=zone(user.time_zone))
    return monday.astimezone(UTC).replace(tzinfo=None)
