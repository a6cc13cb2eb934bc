"""Who sees what: every client URL is a 404 for another client and a login redirect when logged
out; every coach URL is a 404 for another coach. The coach's overview of a client, completion
on calendars, adherence, and the private calendar feed."""

import re
from datetime import timedelta

import pytest
from factories import (
    add_manual,
    add_subscription,
    end_subscription,
    exercise_id,
    log,
    make_program,
    plan,
)

from fitr.clients import overview as client_overview
from fitr.extensions import db
from fitr.history import logs as history_logs
from fitr.history import records as history_records
from fitr.library import exercises as library_exercises
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription
from fitr.training.models import FeedToken


@pytest.fixture
def adas_things(app, gym):
    """Ada's session (logged), her log, a hand-entered record, and ids to put in URLs."""
    session_id = plan(app, gym.ada_sub, gym.today)
    log_id, _ = log(app, gym.ada, session_id, today=gym.today)
    record_id = add_manual(app, gym.ada, "Back Squat", gym.today - timedelta(days=100), reps=1, load=150, today=gym.today)
    squat = exercise_id(app, "Back Squat")
    return {"sub": gym.ada_sub, "session": session_id, "log": log_id, "record": record_id, "squat": squat}


CLIENT_URLS = [
    ("get", "/my/programs/{sub}/calendar"),
    ("get", "/my/sessions/{session}"),
    ("post", "/my/sessions/{session}"),
    ("get", "/my/sessions/{session}/sets/new?position=0&set=2&exercise_id={squat}"),
    ("get", "/my/sessions/{session}/exercises/new?position=1&new_exercise={squat}"),
    ("get", "/my/logs/{log}"),
    ("post", "/my/programs/{sub}/feed"),
    ("get", "/my/programs/{sub}/feed"),
    ("post", "/my/programs/{sub}/feed/revoke"),
    ("post", "/my/records/manual/{record}/delete"),
]


@pytest.mark.parametrize("method, url", CLIENT_URLS)
def test_another_client_gets_404_on_every_client_url(app, auth, client, adas_things, method, url):
    auth.login("ben@example.com")
    response = getattr(client, method)(url.format(**adas_things), headers={"HX-Request": "true"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "method, url",
    CLIENT_URLS + [("get", "/my"), ("get", "/my/history"), ("get", "/my/records"), ("get", "/my/records/{squat}"),
                   ("get", "/my/records/new"), ("post", "/my/records/new"), ("get", "/my/settings"), ("post", "/my/settings")],
)  # fmt: skip
def test_logged_out_visitors_are_sent_to_log_in(client, adas_things, method, url):
    response = getattr(client, method)(url.format(**adas_things))
    assert response.status_code == 302 and "/login" in response.location


def test_another_clients_history_and_records_are_not_shown(app, auth, client, adas_things):
    auth.login("ben@example.com")
    assert "Lower body" not in client.get("/my/history").get_data(as_text=True)
    assert "Back Squat" not in client.get("/my/records").get_data(as_text=True)
    assert "150 kg" not in client.get(f"/my/records/{adas_things['squat']}").get_data(as_text=True)


COACH_URLS = [
    ("get", "/programs/{program}/clients/{sub}/overview"),
    ("get", "/programs/{program}/clients/{sub}/move"),
    ("post", "/programs/{program}/clients/{sub}/move"),
]


@pytest.mark.parametrize("method, url", COACH_URLS)
def test_another_coach_gets_404_on_every_coach_url(app, gym, auth, client, method, url):
    auth.login("olive@example.com")
    data = {"program": gym.olive, "start_date": gym.today.isoformat()} if method == "post" else None
    response = getattr(client, method)(url.format(program=gym.strength, sub=gym.ada_sub), data=data)
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Subscription, gym.ada_sub).status == "active"


@pytest.mark.parametrize("method, url", COACH_URLS)
def test_a_subscription_under_another_program_id_is_404(gym, logged_in, method, url):
    response = getattr(logged_in, method)(url.format(program=gym.hypertrophy, sub=gym.ada_sub))
    assert response.status_code == 404


# --- the coach's view of a client ---------------------------------------------------------------


def test_coach_sees_recent_logs_adherence_and_records_across_their_programs_only(app, gym, logged_in):
    day = gym.today - timedelta(days=3)
    log(app, gym.ada, plan(app, gym.ada_sub, day, title="Casey squats"), [("Back Squat", 5, 100)], day=day, today=gym.today)
    log(app, gym.ada, plan(app, gym.ada_team, day, title="Casey team day"), [("Back Squat", 3, 90)], day=day, today=gym.today)
    plan(app, gym.ada_sub, gym.today - timedelta(days=2), title="Missed one")
    log(app, gym.ada, plan(app, gym.ada_sub, gym.today - timedelta(days=1), title="Skipped one"), status="skipped",
        day=gym.today - timedelta(days=1), today=gym.today)  # fmt: skip
    # Ada also trains with Olive: none of it may show to Casey.
    olive_sub = add_subscription(app, gym.olive, "ada@example.com", "active", client_id=gym.ada, start_date=gym.start)
    log(app, gym.ada, plan(app, olive_sub, day, title="Olive secret"), [("Back Squat", 5, 200)], day=day, today=gym.today)

    page = logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)

    assert "Casey squats" in page and "Casey team day" in page and "Skipped one" in page
    assert "Olive secret" not in page and "200 kg" not in page and "Olive" not in page
    assert "2 / 4" in page or "2 / 4" in page.replace("\n", " ")  # done / planned over 4 weeks
    assert "1 skipped · 1 missed" in page
    assert "5 reps: 100 kg" not in page and "Estimated 1RM: 116.7 kg" in page


def test_coach_sees_hand_entered_records_only_of_starter_and_their_own_exercises(app, gym, auth, client):
    from fitr.accounts.models import User
    from fitr.library.models import Exercise

    # Ada trains with Casey and with Olive, and entered records by hand
    olive_sub = add_subscription(app, gym.olive, "ada@example.com", "active", client_id=gym.ada, start_date=gym.start)
    squat = exercise_id(app, "Back Squat")
    with app.app_context():
        olives = library_exercises.create_exercise(gym.other_coach, "Olive Secret Press", "strength", "load_reps")
        caseys = library_exercises.create_exercise(gym.coach, "Casey Sled Push", "strength", "load_reps")
        ada = db.session.get(User, gym.ada)
        old = gym.today - timedelta(days=200)
        for exercise in (olives, caseys, db.session.get(Exercise, squat)):
            history_records.add_manual_record(ada, exercise, {"date": old, "reps": 1, "load": 140}, today=gym.today)
        db.session.commit()

    auth.login()  # Casey
    casey_sees = client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)
    assert "Casey Sled Push" in casey_sees and "Back Squat" in casey_sees
    assert "Olive Secret Press" not in casey_sees
    auth.logout()
    auth.login("olive@example.com")
    olive_sees = client.get(f"/programs/{gym.olive}/clients/{olive_sub}/overview").get_data(as_text=True)
    assert "Olive Secret Press" in olive_sees and "Back Squat" in olive_sees
    assert "Casey Sled Push" not in olive_sees


def test_adherence_counts_done_over_planned_in_the_last_four_weeks(app, gym):
    for days, status in ((1, "done"), (2, "skipped"), (3, None), (28, "done")):
        day = gym.today - timedelta(days=days)
        session_id = plan(app, gym.ada_sub, day)
        if status:
            log(app, gym.ada, session_id, status=status, day=day, today=gym.today)
    plan(app, gym.ada_sub, gym.today)  # later today: not missed yet
    plan(app, gym.ada_sub, gym.today + timedelta(days=1))
    with app.app_context():
        result = client_overview.adherence(gym.ada, gym.coach, gym.today)
        assert (result.done, result.planned, result.skipped, result.missed, result.percent) == (1, 3, 1, 1, 33)
        assert client_overview.adherence(gym.ada, gym.other_coach, gym.today).planned == 0


def test_completion_for_sessions_is_one_query_and_missed_is_derived(app, gym, count_queries):
    done = plan(app, gym.ada_sub, gym.today - timedelta(days=1))
    skipped = plan(app, gym.ada_sub, gym.today - timedelta(days=2))
    missed = plan(app, gym.ada_sub, gym.today - timedelta(days=3))
    later = plan(app, gym.ada_sub, gym.today + timedelta(days=3))
    log(app, gym.ada, done, day=gym.today - timedelta(days=1), today=gym.today)
    log(app, gym.ada, skipped, status="skipped", day=gym.today - timedelta(days=2), today=gym.today)
    with app.app_context(), count_queries() as counter:
        statuses = history_logs.completion_for_sessions([done, skipped, missed, later])
    assert counter.count == 1
    assert statuses == {done: "done", skipped: "skipped"}
    assert history_logs.completion(statuses.get(missed), gym.today - timedelta(days=3), gym.today) == "missed"
    assert history_logs.completion(statuses.get(later), gym.today + timedelta(days=3), gym.today) is None


def test_completion_macro_renders_done_skipped_and_missed(app, gym):
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "history/_completion.html" import completion_badge %}'
            "{{ completion_badge('done', d, t) }}|{{ completion_badge('skipped', d, t) }}|"
            "{{ completion_badge(None, d, t) }}|{{ completion_badge(None, t, t) }}"
        )
        html = template.render(d=gym.today - timedelta(days=1), t=gym.today)
    done, skipped, missed, upcoming = html.split("|")
    assert 'data-completion="done"' in done and "Skipped" in skipped and "Missed" in missed and upcoming == ""


def test_coach_overview_of_a_pending_client_says_they_have_not_joined(app, gym, logged_in):
    pending_id = add_subscription(app, gym.strength, "new@example.com")
    page = logged_in.get(f"/programs/{gym.strength}/clients/{pending_id}/overview").get_data(as_text=True)
    assert "has not joined yet" in page
    assert logged_in.post(f"/programs/{gym.strength}/clients/{pending_id}/move",
                          data={"program": gym.hypertrophy, "start_date": gym.today.isoformat()}).status_code == 400  # fmt: skip


def test_coach_pages_do_a_fixed_number_of_queries(app, gym, logged_in, count_queries):
    def measure():
        with count_queries() as counter:
            assert logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").status_code == 200
        return counter.count

    log(app, gym.ada, plan(app, gym.ada_sub, gym.today), today=gym.today)
    small = measure()
    for days in range(1, 10):
        day = gym.today - timedelta(days=days)
        log(app, gym.ada, plan(app, gym.ada_sub, day, exercises=[("Back Squat", 3, 5, 100), ("Bench Press", 3, 5, 80)]),
            [("Back Squat", 5, 100 + days), ("Bench Press", 5, 70)], day=day, today=gym.today)  # fmt: skip
    assert measure() == small


def test_coach_overview_does_a_fixed_number_of_queries_as_subscriptions_grow(app, gym, logged_in, count_queries):
    from fitr.programs.models import GROUP

    def measure():
        with count_queries() as counter:
            assert logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").status_code == 200
        return counter.count

    day = gym.today - timedelta(days=1)
    log(app, gym.ada, plan(app, gym.ada_sub, day), day=day, today=gym.today)
    small = measure()
    for n in range(4):  # Ada joins more of Casey's programs (1-2-1 and Group, active and ended) and trains in each
        program = make_program(app, gym.coach, status="published", name=f"Block {n}", type=GROUP if n % 2 else "1-2-1")
        subscription_id = add_subscription(app, program, "ada@example.com", "active", client_id=gym.ada,
                                           start_date=gym.start, with_calendar=True)  # fmt: skip
        log(app, gym.ada, plan(app, subscription_id, day, title=f"Block {n} day"), [("Bench Press", 5, 70 + n)], day=day, today=gym.today)
        if n == 3:
            end_subscription(app, subscription_id)
    page = logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview").get_data(as_text=True)
    assert "Block 0 day" in page and "Block 2 day" in page
    assert measure() == small


def test_move_page_does_a_fixed_number_of_queries(app, gym, logged_in, count_queries):
    def measure():
        with count_queries() as counter:
            assert logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/move").status_code == 200
        return counter.count

    small = measure()
    for n in range(10):
        make_program(app, gym.coach, status="published", name=f"Program {n}")
    assert "Program 9" in logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/move").get_data(as_text=True)
    assert measure() == small


# --- calendar feed -----------------------------------------------------------------------------


def feed_url(client, subscription_id):
    page = client.post(f"/my/programs/{subscription_id}/feed", follow_redirects=True).get_data(as_text=True)
    return re.search(r'value="(http[^"]+\.ics)"', page).group(1)


def test_client_gets_a_private_calendar_feed_of_what_they_may_see(app, gym, as_ada, client):
    with app.app_context():
        db.session.get(Program, gym.strength).see_ahead_days = 7
        db.session.commit()
    plan(app, gym.ada_sub, gym.today + timedelta(days=2), title="Squats, heavy; then rows")
    plan(app, gym.ada_sub, gym.today + timedelta(days=9), title="Too far ahead")
    url = feed_url(as_ada, gym.ada_sub)
    path = url.split("localhost", 1)[1]

    as_ada.post("/logout")
    response = client.get(path)  # calendar apps do not log in

    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Squats\\, heavy\\; then rows" in body
    assert f"DTSTART;VALUE=DATE:{(gym.today + timedelta(days=2)):%Y%m%d}" in body
    assert "Too far ahead" not in body
    with app.app_context():
        stored = db.session.query(FeedToken).one()
        assert stored.token_hash not in url and url.rsplit("/", 1)[1][:-4] != stored.token_hash


def test_a_revoked_or_replaced_feed_link_stops_working(app, gym, as_ada):
    first = feed_url(as_ada, gym.ada_sub).split("localhost", 1)[1]
    second = feed_url(as_ada, gym.ada_sub).split("localhost", 1)[1]
    assert as_ada.get(first).status_code == 404
    assert as_ada.get(second).status_code == 200
    as_ada.post(f"/my/programs/{gym.ada_sub}/feed/revoke")
    assert as_ada.get(second).status_code == 404
    assert as_ada.get("/feeds/not-a-real-token.ics").status_code == 404


def test_an_ended_subscriptions_feed_stops(app, gym, as_ada):
    path = feed_url(as_ada, gym.ada_sub).split("localhost", 1)[1]
    end_subscription(app, gym.ada_sub)
    assert as_ada.get(path).status_code == 404


def test_reloading_the_new_calendar_feed_page_does_not_turn_off_the_link_just_copied(app, gym, as_ada):
    created = as_ada.post(f"/my/programs/{gym.ada_sub}/feed")
    assert created.status_code == 303  # post, then redirect: a reload never posts again
    page = as_ada.get(created.location).get_data(as_text=True)
    path = re.search(r'value="http[^"]+?(/feeds/[^"]+\.ics)"', page).group(1)
    reloaded = as_ada.get(created.location)
    assert reloaded.status_code == 302 and ".ics" not in reloaded.get_data(as_text=True)  # shown once
    assert "shown only once" in as_ada.get(reloaded.location).get_data(as_text=True)
    assert as_ada.get(path).status_code == 200  # the link in the calendar app still works
