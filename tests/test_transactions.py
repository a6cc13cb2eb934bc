"""One request is one transaction, on SQLite as on PostgreSQL: what a request wrote inside a
savepoint (a row made on first use, safe against a race) goes when the request fails after it."""

from factories import count

from fitr.calendars.models import Calendar
from fitr.extensions import db
from fitr.notices.models import Notice
from fitr.notices.rules import tell


def test_a_calendar_page_refused_for_its_query_makes_no_calendar(app, logged_in, group_program):
    """The shared calendar is made on first view; a first view with a bad date is a 400 and
    leaves none behind."""
    response = logged_in.get(f"/programs/{group_program}/shared-calendar?date=2026-02-30")
    assert response.status_code == 400 and "That date is not valid." in response.get_data(as_text=True)
    assert count(app, Calendar) == 0
    assert logged_in.get(f"/programs/{group_program}/shared-calendar").status_code == 200
    assert count(app, Calendar) == 1


def test_a_savepoint_first_in_a_transaction_is_rolled_back_with_it(app, coach):
    with app.app_context():
        tell(coach, "Ada logged Squat day", key="log-1")  # in a savepoint: told once per key
        db.session.rollback()
    assert count(app, Notice) == 0
