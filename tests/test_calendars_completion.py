"""What the coach sees of a client's training on the calendar: Done, Skipped or Missed on each
session, how a Group did, and the logged numbers in the session editor (issue #8, point 2)."""

import re
from datetime import timedelta

import pytest
from factories import add_subscription, element, elements, log, plan

from fitr.accounts.models import User
from fitr.extensions import db

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh

HTMX = {"HX-Request": "true"}


def calendar_page(client, gym, day, subscription=None, **headers):
    subscription = subscription or gym.ada_sub
    url = f"/programs/{gym.strength}/clients/{subscription}/calendar?view=week&date={day.isoformat()}"
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def session_card(html, session_id):
    """The markup of one session on the calendar."""
    return re.search(rf'data-session-id="{session_id}".*?</article>', html, re.S).group(0)


def badge(html, session_id):
    """(state, text) of a session's completion badge, or None."""
    found = elements(session_card(html, session_id), "span", data_completion=True)
    assert len(found) <= 1
    return (found[0]["data-completion"], found[0].text) if found else None


def test_coach_sees_done_skipped_and_missed_on_a_clients_calendar(app, gym, logged_in):
    today = gym.today
    done = plan(app, gym.ada_sub, today - timedelta(days=3), title="Squat day")
    skipped = plan(app, gym.ada_sub, today - timedelta(days=2), title="Bench day")
    missed = plan(app, gym.ada_sub, today - timedelta(days=1), title="Pull day")
    coming = plan(app, gym.ada_sub, today + timedelta(days=1), title="Next day")
    log(app, gym.ada, done, day=today - timedelta(days=3), today=gym.today)
    log(app, gym.ada, skipped, sets=(), status="skipped", day=today - timedelta(days=2), today=gym.today)

    for day, session_id, expected in [
        (today - timedelta(days=3), done, ("done", "Done")),
        (today - timedelta(days=2), skipped, ("skipped", "Skipped")),
        (today - timedelta(days=1), missed, ("missed", "Missed")),
        (today + timedelta(days=1), coming, None),
    ]:
        for headers in ({}, HTMX):  # the whole page and the htmx fragment alike
            assert badge(calendar_page(logged_in, gym, day, **headers), session_id) == expected


def test_a_session_before_the_client_started_or_on_a_pending_calendar_was_not_missed(app, gym, logged_in):
    before = plan(app, gym.ada_sub, gym.start - timedelta(days=2), title="Before Ada joined")
    assert badge(calendar_page(logged_in, gym, gym.start - timedelta(days=2)), before) is None
    dan = add_subscription(app, gym.strength, "dan@example.com", name="Dan Pending")  # invited, not joined
    pending = plan(app, dan, gym.today - timedelta(days=1), title="Dan not joined yet")
    assert badge(calendar_page(logged_in, gym, gym.today - timedelta(days=1), dan), pending) is None


def test_saving_a_session_keeps_its_badge_in_the_swapped_day(app, gym, logged_in):
    day = gym.today - timedelta(days=1)
    session_id = plan(app, gym.ada_sub, day, title="Squat day")
    log(app, gym.ada, session_id, day=day, today=gym.today)
    data = {"title": "Squat day, renamed", "date": day.isoformat(), "action": "save", "version": "1",
            "prescriptions-0-exercise": "Back Squat", "prescriptions-0-sets": "3", "prescriptions-0-reps": "5"}  # fmt: skip
    response = logged_in.post(f"/programs/{gym.strength}/sessions/{session_id}", data=data, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Squat day, renamed" in html and badge(html, session_id) == ("done", "Done")


def test_group_calendar_shows_how_many_subscribers_did_each_session(app, gym, logged_in):
    yesterday = gym.today - timedelta(days=1)
    logged = plan(app, gym.ada_team, yesterday, title="Team squats")
    nobody = plan(app, gym.ada_team, yesterday, title="Team run")
    coming = plan(app, gym.ada_team, gym.today + timedelta(days=1), title="Team bench")
    log(app, gym.ada, logged, day=yesterday, today=gym.today)
    html = logged_in.get(f"/programs/{gym.team}/shared-calendar?view=week&date={yesterday.isoformat()}").get_data(as_text=True)
    assert badge(html, logged) == ("group", "1 of 1 done")
    assert badge(html, nobody) == ("group", "0 of 1 done")
    html = logged_in.get(f"/programs/{gym.team}/shared-calendar?view=week&date={gym.today + timedelta(days=1)}").get_data(as_text=True)
    assert badge(html, coming) is None


def test_session_editor_shows_what_the_client_logged_in_the_coachs_units(app, gym, logged_in):
    with app.app_context():
        db.session.get(User, gym.coach).units = "lb"
        db.session.commit()
    day = gym.today - timedelta(days=2)
    session_id = plan(app, gym.ada_sub, day, exercises=[("Back Squat", 2, 5, 100), ("Running", 1, None, None)])
    sets = [("Back Squat", 5, 100), ("Back Squat", 4, 102.5),
            {"exercise": "Running", "duration_seconds": 1500, "distance_m": 5000}]  # fmt: skip
    log(app, gym.ada, session_id, sets, day=day, rpe=8, notes="Knees felt good", today=gym.today)
    editor = logged_in.get(f"/programs/{gym.strength}/sessions/{session_id}/edit", headers=HTMX).get_data(as_text=True)
    logged = editor[editor.index('id="logged-title"') : editor.index('class="session-form"')]
    assert 'data-completion="done"' in logged and "RPE 8" in logged and "Knees felt good" in logged
    assert "Back Squat</strong>: 1 × 5 @ 220.5 lb, 1 × 4 @ 226 lb" in logged
    assert "Running</strong>: 25:00, 5 km" in logged


def test_session_editor_says_skipped_or_nothing_logged(app, gym, logged_in):
    skipped = plan(app, gym.ada_sub, gym.today - timedelta(days=1), title="Skipped day")
    log(app, gym.ada, skipped, sets=(), status="skipped", notes="Ill", today=gym.today)
    untouched = plan(app, gym.ada_sub, gym.today - timedelta(days=1), title="Untouched day")
    editor = logged_in.get(f"/programs/{gym.strength}/sessions/{skipped}/edit", headers=HTMX).get_data(as_text=True)
    assert element(editor, "span", data_completion="skipped").text == "Skipped" and "Ill" in editor
    editor = logged_in.get(f"/programs/{gym.strength}/sessions/{untouched}/edit", headers=HTMX).get_data(as_text=True)
    assert "Nothing logged yet." in editor and "data-completion" not in editor


def test_group_session_editor_shows_each_subscribers_log_with_their_name(app, gym, logged_in):
    day = gym.today - timedelta(days=1)
    session_id = plan(app, gym.ada_team, day, title="Team squats")
    log(app, gym.ada, session_id, [("Back Squat", 3, 90)], day=day, today=gym.today)
    editor = logged_in.get(f"/programs/{gym.team}/sessions/{session_id}/edit", headers=HTMX).get_data(as_text=True)
    assert "<h4>Ada Athlete</h4>" in editor and "Back Squat</strong>: 1 × 3 @ 90 kg" in editor


def test_another_coachs_client_logs_never_show(app, gym, logged_in, client, auth):
    """Olive cannot open Casey's session editor at all, so never sees Ada's numbers."""
    session_id = plan(app, gym.ada_sub, gym.today - timedelta(days=1))
    log(app, gym.ada, session_id, [("Back Squat", 5, 123)], today=gym.today)
    auth.logout()
    auth.login("olive@example.com")
    response = client.get(f"/programs/{gym.strength}/sessions/{session_id}/edit", headers=HTMX)
    assert response.status_code == 404 and "123" not in response.get_data(as_text=True)
