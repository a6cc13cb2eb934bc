"""Today is the user's today: a coach in California and a client on Kiritimati (UTC+14) each
see their own date, on every page that asks what day it is. The clock stands at 11:00 UTC on
11 November 2026: 03:00 that morning in California, 01:00 on 12 November on Kiritimati."""

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import add_subscription, element, make_program, make_user, plan

from fitr.accounts.models import User
from fitr.extensions import db

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh

NOW = datetime(2026, 11, 11, 11, 0, tzinfo=UTC)
CALIFORNIA, KIRITIMATI = date(2026, 11, 11), date(2026, 11, 12)


@pytest.fixture
def world(app, time_machine, starter_exercises):
    time_machine.move_to(NOW)
    coach = make_user(app, "Casey Coach", "casey@example.com", time_zone="America/Los_Angeles")
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False, time_zone="Pacific/Kiritimati")
    program = make_program(app, coach, status="published", name="Strength 1-2-1", see_ahead_days=7)
    sub = add_subscription(app, program, "ada@example.com", "active", client_id=ada,
                           start_date=date(2026, 11, 1), with_calendar=True)  # fmt: skip
    sessions = {day: plan(app, sub, day, title=f"Session of {day.isoformat()}") for day in
                (CALIFORNIA, KIRITIMATI, KIRITIMATI + timedelta(days=7), KIRITIMATI + timedelta(days=8))}  # fmt: skip
    return coach, ada, program, sub, sessions


def log_in(client, email):
    assert client.post("/login", data={"email": email, "password": "correct horse battery"}).status_code == 302


def test_the_coachs_calendar_marks_the_coachs_today(app, client, world):
    _, _, program, sub, _ = world
    log_in(client, "casey@example.com")
    page = client.get(f"/programs/{program}/clients/{sub}/calendar").get_data(as_text=True)
    today = element(page, "div", **{"data-date": CALIFORNIA.isoformat()})
    assert "today" in today["class"].split()
    assert "today" not in element(page, "div", **{"data-date": KIRITIMATI.isoformat()})["class"].split()


def test_the_client_trains_on_their_own_today_and_sees_ahead_from_it(app, client, world):
    _, _, _, sub, sessions = world
    log_in(client, "ada@example.com")
    home = client.get("/my").get_data(as_text=True)
    todays = home.split("Today", 1)[1]
    assert f"Session of {KIRITIMATI.isoformat()}" in home
    assert f"Session of {CALIFORNIA.isoformat()}" not in todays.split("Coming", 1)[0]
    calendar = client.get(f"/my/programs/{sub}/calendar?date={KIRITIMATI.isoformat()}").get_data(as_text=True)
    assert f"Session of {(KIRITIMATI + timedelta(days=7)).isoformat()}" in calendar  # 7 days ahead of hers
    assert f"Session of {(KIRITIMATI + timedelta(days=8)).isoformat()}" not in calendar
    form = client.get(f"/my/sessions/{sessions[KIRITIMATI]}").get_data(as_text=True)
    assert element(form, "input", name="date")["value"] == KIRITIMATI.isoformat()  # Log session's default date


def test_a_session_yesterday_for_the_client_is_missed_on_the_coachs_calendar(app, client, world):
    _, _, program, sub, sessions = world
    log_in(client, "casey@example.com")
    page = client.get(f"/programs/{program}/clients/{sub}/calendar?date={CALIFORNIA.isoformat()}").get_data(as_text=True)
    california_day = element(page, "div", **{"data-date": CALIFORNIA.isoformat()})
    assert "Missed" in california_day.text  # 11 November is over on Kiritimati, where Ada is
    assert "Missed" not in element(page, "div", **{"data-date": KIRITIMATI.isoformat()}).text


def test_the_calendar_feed_is_cut_at_the_clients_today(app, client, world):
    _, _, _, sub, _ = world
    log_in(client, "ada@example.com")
    page = client.post(f"/my/programs/{sub}/feed", follow_redirects=True).get_data(as_text=True)
    feed_path = element(page, "input", id="feed-url")["value"].split("localhost", 1)[1]
    feed = client.get(feed_path).get_data(as_text=True)
    assert "SUMMARY:Session of 2026-11-19" in feed and "SUMMARY:Session of 2026-11-20" not in feed


def test_joining_starts_the_subscription_on_the_clients_today(app, client, world, make_invite):
    _, _, program, _, _ = world
    invite = make_invite(program, "kiri@example.com")
    response = client.post(f"/invite/{invite.token}", data={"name": "Kiri", "password": "kiri's own passphrase",
                                                           "time_zone": "Pacific/Kiritimati"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        kiri = db.session.query(User).filter_by(email="kiri@example.com").one()
        assert kiri.time_zone == "Pacific/Kiritimati"
        from fitr.subscriptions.models import Subscription

        assert db.session.get(Subscription, invite.subscription_id).start_date == KIRITIMATI
