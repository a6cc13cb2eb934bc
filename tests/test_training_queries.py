"""The client's pages do a fixed number of SQL queries however much was planned and logged."""

import re
from datetime import timedelta

import pytest
from factories import add_manual, element, elements, exercise_id, log, plan
from sqlalchemy import func, select

from fitr.extensions import db
from fitr.history.models import SetLog


def fill(app, gym, sessions):
    for days in range(sessions):
        day = gym.today - timedelta(days=days)
        session_id = plan(app, gym.ada_sub, day, exercises=[("Back Squat", 3, 5, 100), ("Bench Press", 3, 5, 80)])
        log(app, gym.ada, session_id, [("Back Squat", 5, 100 + days), ("Bench Press", 5, 80)], day=day, today=gym.today)
        plan(app, gym.ada_sub, gym.today + timedelta(days=days % 7 + 1))
        plan(app, gym.ada_team, day, exercises=[("Burpee", 3, 10, None)])
    add_manual(app, gym.ada, "Conventional Deadlift", gym.today, reps=1, load=180, today=gym.today)


def queries(count_queries, client, url):
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/my", "/my/history", "/my/records", "/my/programs/{sub}/calendar"])
def test_client_pages_do_a_fixed_number_of_queries(app, gym, as_ada, count_queries, url):
    url = url.format(sub=gym.ada_sub)
    fill(app, gym, 1)
    small = queries(count_queries, as_ada, url)
    fill(app, gym, 12)
    assert queries(count_queries, as_ada, url) == small


def test_exercise_records_page_does_a_fixed_number_of_queries(app, gym, as_ada, count_queries):
    url = f"/my/records/{exercise_id(app, 'Back Squat')}"
    fill(app, gym, 1)
    small = queries(count_queries, as_ada, url)
    fill(app, gym, 12)
    for days in (100, 200, 300):
        add_manual(app, gym.ada, "Back Squat", gym.today - timedelta(days=days), reps=3, load=100 + days / 10, today=gym.today)
    assert queries(count_queries, as_ada, url) == small


def test_logged_session_page_does_a_fixed_number_of_queries(app, gym, as_ada, count_queries):
    small_id, _ = log(app, gym.ada, plan(app, gym.ada_sub, gym.today), today=gym.today)
    small = queries(count_queries, as_ada, f"/my/logs/{small_id}")
    fill(app, gym, 6)
    day = gym.today - timedelta(days=1)
    large = plan(app, gym.ada_sub, day, exercises=[("Back Squat", 5, 5, 100), ("Bench Press", 5, 5, 80), ("Plank", 3, None, None)])
    large_id, _ = log(app, gym.ada, large, [("Back Squat", 5, 100)] * 5 + [("Bench Press", 5, 80)] * 5
                      + [{"exercise": "Plank", "duration_seconds": 60}] * 3, day=day, today=gym.today)  # fmt: skip
    assert queries(count_queries, as_ada, f"/my/logs/{large_id}") == small


def test_calendar_feed_does_a_fixed_number_of_queries(app, gym, as_ada, count_queries):
    page = as_ada.post(f"/my/programs/{gym.ada_sub}/feed", follow_redirects=True).get_data(as_text=True)
    path = re.search(r'value="http[^"]+?(/feeds/[^"]+\.ics)"', page).group(1)
    plan(app, gym.ada_sub, gym.today + timedelta(days=1))
    small = queries(count_queries, as_ada, path)
    for days in range(2, 30):
        plan(app, gym.ada_sub, gym.today + timedelta(days=days), exercises=[("Back Squat", 3, 5, 100), ("Plank", 1, None, None)])
    assert queries(count_queries, as_ada, path) == small
    assert as_ada.get(path).get_data(as_text=True).count("BEGIN:VEVENT") == 29


def test_session_page_does_a_fixed_number_of_queries(app, gym, as_ada, count_queries):
    small = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 1, 5, 100)])
    large = plan(app, gym.ada_sub, gym.today, exercises=[(n, 5, 5, 50) for n in ("Back Squat", "Bench Press", "Front Squat", "Plank", "Running")])
    log(app, gym.ada, small, today=gym.today)
    log(app, gym.ada, large, [("Back Squat", 5, 100), ("Bench Press", 5, 80), ("Front Squat", 5, 60)], today=gym.today)
    assert queries(count_queries, as_ada, f"/my/sessions/{small}") == queries(count_queries, as_ada, f"/my/sessions/{large}")


def done_as_prescribed(client, count_queries, session_id):
    """Done as prescribed on the session's page; the SQL statements the tap ran."""
    page = client.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    quick = element(page, "form", **{"class": "quick-log"})
    data = {e["name"]: e["value"] for e in elements(quick.html, "input", type="hidden")}
    with count_queries() as counter:
        assert client.post(f"/my/sessions/{session_id}", data={**data, "as_prescribed": "1"}).status_code == 302
    return [" ".join(s.split()) for s in counter.statements]


def test_done_as_prescribed_writes_a_sessions_sets_in_one_statement(app, gym, as_ada, count_queries):
    small = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 1, 5, 100)])
    large = plan(app, gym.ada_sub, gym.today - timedelta(days=1),
                 exercises=[(n, 6, 5, 50) for n in ("Back Squat", "Bench Press", "Front Squat", "Romanian Deadlift", "Pull-Up")])  # fmt: skip
    few, many = done_as_prescribed(as_ada, count_queries, small), done_as_prescribed(as_ada, count_queries, large)
    assert sum(s.startswith("INSERT INTO set_log") for s in many) == 1  # 30 sets, one statement
    assert len(many) == len(few)
    with app.app_context():
        assert db.session.scalar(select(func.count(SetLog.id))) == 31
