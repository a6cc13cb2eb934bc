"""Only the coach of a program can see or touch its calendars: every calendar URL sends a
logged-out visitor to Log in, and is a 404 for another coach. And a page's SQL does not grow
with the data."""

import json
from datetime import date, timedelta

import pytest
from factories import (
    NOV_3,
    add_subscription,
    bulk_users,
    calendar_id,
    calendar_rows,
    make_program,
    plan,
)

from fitr.calendars import rules as calendar_rules
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library.models import Exercise
from fitr.subscriptions.models import Subscription

HTMX = {"HX-Request": "true"}

# (method, URL) with {p} program, {s} subscription, {c} calendar, {x} session, {e} own exercise,
# {w} library workout, {t} template calendar.
URLS = [
    ("get", "/programs/{p}/calendar"),
    ("get", "/programs/{p}/clients/{s}/calendar"),
    ("get", "/programs/{p}/clients/{s}/calendar?view=week&date=2026-11-03"),
    ("get", "/programs/{p}/calendar/clients?q=a"),
    ("get", "/programs/{p}/shared-calendar"),
    ("get", "/programs/{p}/template"),
    ("get", "/programs/{p}/template/apply"),
    ("post", "/programs/{p}/template/apply"),
    ("get", "/programs/{p}/calendars/{c}/sessions/new?date=2026-11-03"),
    ("post", "/programs/{p}/calendars/{c}/sessions"),
    ("get", "/programs/{p}/sessions/{x}/edit"),
    ("post", "/programs/{p}/sessions/{x}"),
    ("post", "/programs/{p}/sessions/{x}/delete"),
    ("post", "/programs/{p}/calendars/{c}/restore"),
    ("post", "/programs/{p}/sessions/{x}/move"),
    ("post", "/programs/{p}/sessions/{x}/duplicate"),
    ("post", "/programs/{p}/sessions/{x}/reorder"),
    ("post", "/programs/{p}/sessions/{x}/copy"),
    ("get", "/programs/{p}/calendars/{c}/copy"),
    ("post", "/programs/{p}/calendars/{c}/copy"),
    ("post", "/programs/{p}/sessions/{x}/save-to-library"),
    ("post", "/programs/{p}/calendars/{c}/insert"),
    ("post", "/exercises/{e}/rename"),
    ("post", "/exercises/{e}/archive"),
]


@pytest.fixture
def casey_ids(app, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    cid = calendar_id(app, one_to_one.ada)
    with app.app_context():
        exercise = library_exercises.create_exercise(one_to_one.coach_id, "Casey's Press", "strength", "load_reps")
        db.session.commit()
        return {"p": one_to_one.id, "s": one_to_one.ada, "c": cid, "x": sid, "e": exercise.id}


def call(client, method, url, **kw):
    data = {"title": "Changed", "date": "2026-11-03", "action": "save", "name": "Changed", "to-date": "2026-11-04"}
    return client.get(url, **kw) if method == "get" else client.post(url, data=data, **kw)


@pytest.mark.parametrize("method, url", URLS)
def test_logged_out_visitor_is_sent_to_log_in(client, casey_ids, method, url):
    response = call(client, method, url.format(**casey_ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("method, url", URLS)
def test_another_coach_gets_not_found_and_changes_nothing(app, client, auth, casey_ids, other_coach, method, url):
    before = calendar_rows(app, casey_ids["c"])
    auth.login("olive@example.com")
    response = call(client, method, url.format(**casey_ids))
    assert response.status_code == 404
    response = call(client, method, url.format(**casey_ids), headers=HTMX)
    assert response.status_code == 404
    assert calendar_rows(app, casey_ids["c"]) == before
    with app.app_context():
        assert db.session.get(Exercise, casey_ids["e"]).name == "Casey's Press"


@pytest.mark.parametrize("method, url", [u for u in URLS if any(k in u[1] for k in ("{s}", "{c}", "{x}"))])
def test_ids_from_another_program_in_the_url_are_not_found(app, logged_in, casey_ids, others_program, method, url):
    """My program id with another coach's calendar, session or subscription ids: 404."""
    mixed = {**casey_ids, "s": others_program.sub, "c": others_program.calendar, "x": others_program.session}
    response = call(logged_in, method, url.format(**mixed))
    assert response.status_code == 404
    assert calendar_rows(app, others_program.calendar)[0][1] == "Olive's session"


def test_a_subscription_of_my_other_program_is_not_found_under_this_program(app, logged_in, one_to_one):
    second_id = make_program(app, one_to_one.coach_id, status="published", name="Second 1-2-1")
    response = logged_in.get(f"/programs/{second_id}/clients/{one_to_one.ada}/calendar")
    assert response.status_code == 404


# --- queries ---------------------------------------------------------------------------------


FIRST_DAY = date(2026, 10, 1)


def grow(app, program_id, coach_id, subscriber, clients=30, weeks=10):
    """Many clients, each with sessions five days a week of six prescriptions from 1 October
    2026; `subscriber` (a subscription of the program) gets the same sessions."""
    names = ["Back Squat", "Bench Press", "Romanian Deadlift", "Pull-Up", "Plank", "Rowing Machine"]
    subscriptions = [
        add_subscription(app, program_id, f"bulk{i}@example.com", "active", client_id=user, start_date=FIRST_DAY)
        for i, user in enumerate(bulk_users(app, clients))
    ]
    with app.app_context():
        exercise_ids = [library_exercises.resolve_exercises(coach_id, [n])[n.lower()].id for n in names]
        for subscription_id in [*subscriptions, subscriber]:
            calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, subscription_id))
            for day in range(weeks * 7):
                when = FIRST_DAY + timedelta(days=day)
                if when.weekday() < 5:
                    calendar_rules.add_session(
                        calendar, when, coach_id, f"Session {day}", "",
                        [{"exercise_id": e, "sets": 3, "reps_min": 5, "reps_max": 5} for e in exercise_ids],
                    )  # fmt: skip
        db.session.commit()


def log_everything(app, subscription_id):
    """The client logged every session on their calendar: most done with sets, some skipped."""
    import secrets

    from sqlalchemy import select

    from fitr.calendars.models import Calendar, Session
    from fitr.history.models import SessionLog, SetLog

    with app.app_context():
        client_id = db.session.get(Subscription, subscription_id).client_id
        sessions = db.session.execute(
            select(Session.id, Session.date).join(Calendar).where(Calendar.subscription_id == subscription_id)
        ).all()
        for i, (session_id, day) in enumerate(sessions):
            status = "skipped" if i % 5 == 4 else "done"
            log = SessionLog(user_id=client_id, session_id=session_id, date=day, status=status, submission_key=secrets.token_hex(16), rpe=7)
            log.sets = [] if status == "skipped" else [
                SetLog(user_id=client_id, exercise_name="Back Squat", measure="load_reps", set_number=n, reps=5, load_kg=100, date=day)
                for n in range(1, 4)
            ]  # fmt: skip
            db.session.add(log)
        db.session.commit()
        return len(sessions)


def fragment_queries(client, count_queries, world, headers=HTMX):
    """The SQL statements of Ada's calendar of November 2026 (the fragment, or the whole page)."""
    url = f"/programs/{world.id}/clients/{world.ada}/calendar?date=2026-11-03"
    client.get(url, headers=headers)  # the calendar exists before counting
    with count_queries() as counter:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return counter.count


def test_month_fragment_runs_the_same_queries_for_one_session_or_thousands(app, logged_in, one_to_one, count_queries):
    """Sessions, prescriptions, clients and the client's logs (for Done, Skipped, Missed) grow;
    the fragment's queries do not."""
    plan(app, one_to_one.ada, NOV_3)
    small = fragment_queries(logged_in, count_queries, one_to_one)
    grow(app, one_to_one.id, one_to_one.coach_id, one_to_one.ada)
    assert log_everything(app, one_to_one.ada) > 40
    large = fragment_queries(logged_in, count_queries, one_to_one)
    html = logged_in.get(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date=2026-11-03", headers=HTMX).get_data(as_text=True)
    assert html.count('data-completion="done"') > 10 and 'data-completion="skipped"' in html
    assert small == large <= 6


def test_whole_calendar_page_runs_the_same_queries_for_four_clients_or_forty(app, logged_in, one_to_one, count_queries):
    plan(app, one_to_one.ada, NOV_3)
    small = fragment_queries(logged_in, count_queries, one_to_one, headers={})
    grow(app, one_to_one.id, one_to_one.coach_id, one_to_one.ada, clients=36, weeks=2)
    log_everything(app, one_to_one.ada)
    large = fragment_queries(logged_in, count_queries, one_to_one, headers={})
    page = logged_in.get(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date=2026-11-03").get_data(as_text=True)
    assert page.count('href="/programs/') > 40 and 'id="client-search"' in page
    assert small == large <= 9  # the navigation's unread notices and messages included


def test_session_save_runs_the_same_queries_for_one_exercise_or_twenty(app, logged_in, one_to_one, count_queries):
    counts = []
    for rows in (1, 20):
        sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100)] * rows)
        data = {"title": "Saved", "date": "2026-11-03", "action": "save", "version": "1"}
        for i in range(rows):
            data |= {f"prescriptions-{i}-exercise": "Bench Press", f"prescriptions-{i}-sets": "3", f"prescriptions-{i}-reps": "5"}
        with count_queries() as counter:
            assert logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}", data=data, headers=HTMX).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_make_bench_runs_on_a_small_database(capsys, tmp_path):
    """`make bench` itself keeps working (here on 3 clients, a few runs): every action is measured
    beside its bare-route floor, with a fixed handful of queries. Its times are for a quiet
    machine (`make bench`), not for a test running beside others, so they are not asserted here."""
    from bench_calendar import main

    summary = tmp_path / "summary.json"
    main(["--clients", "3", "--runs", "5", "--summary", str(summary)])
    output = capsys.readouterr().out
    actions = ["calendar month fragment", "session save (6 prescriptions)", "editor: Add session (open)",
               "editor: open a session", "editor: add a session (6 rows, superset)", "editor: exercise type-ahead",
               "Home", "program page (Active clients)", "Clients (Active clients)", "client switcher search"]  # fmt: skip
    lines = {line[:40].strip(): line[40:].split() for line in output.splitlines()}
    for action in actions:
        median, p95, queries, size, *_ = lines[action]
        # (a write's statements include the one UPDATE of the calendar's version)
        assert median.endswith("ms") and 0 < int(queries) <= 13 and int(size) > 0
    median, p95, queries, size, *_ = lines["calendar fragment unchanged (304)"]
    assert median.endswith("ms") and 0 < int(queries) <= 4 and int(size) == 0  # no body
    assert output.count("bare Flask route, same size") == len(actions) + 1
    assert "Copy weeks, 4 weeks onto 2 calendars" in output and "40 sessions made" in output
    assert "Month fragment median" in output and "Slowest editor action" in output
    assert "times the bare route in process" in output
    medians = json.loads(summary.read_text())  # what make bench puts in its targets' table
    assert set(medians) == set(actions) | {"calendar fragment unchanged (304)"}
    assert all(m["median"] > 0 and m["floor"] > 0 for m in medians.values())
