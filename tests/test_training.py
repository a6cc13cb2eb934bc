"""The client's side on a phone: today, each program's calendar, logging a session, and what a
client may see (the Clients can see ahead window). Units are in test_training_units.py, the
history in test_history.py, page query counts in test_training_queries.py."""

from datetime import timedelta

import pytest
from factories import (
    add_subscription,
    count,
    element,
    end_subscription,
    exercise_id,
    form_key,
    log,
    make_program,
    plan,
    post_log,
)
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars import window as calendar_window
from fitr.extensions import db
from fitr.history import logs as history_logs
from fitr.history import models as history_models
from fitr.history import writing
from fitr.history.models import SessionLog, SetLog
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription
from fitr.training import visibility

pytestmark = pytest.mark.dates  # run again at the awkward days: tests/with_dates.sh




def set_see_ahead(app, program_id, days):
    with app.app_context():
        db.session.get(Program, program_id).see_ahead_days = days
        db.session.commit()


# --- client home -------------------------------------------------------------------------------


def test_client_home_shows_todays_sessions_across_programs_then_coming_days(app, gym, as_ada):
    plan(app, gym.ada_sub, gym.today, title="Heavy squats")
    plan(app, gym.ada_team, gym.today, title="Team conditioning", exercises=[("Burpee", 3, 10, None)])
    plan(app, gym.ada_sub, gym.today + timedelta(days=2), title="Bench day")
    plan(app, gym.ben_sub, gym.today, title="Ben's session")

    page = as_ada.get("/my").get_data(as_text=True)

    today_part, coming_part = page.split("Coming up")
    assert "Heavy squats" in today_part and "Team conditioning" in today_part
    assert "Bench day" in coming_part
    assert "Ben&#39;s session" not in page and "Ben's session" not in page
    assert "Strength 1-2-1" in page and "Team Barbell" in page  # My programs
    assert f'href="/my/programs/{gym.ada_sub}/calendar"' in page


def test_client_sees_training_only_up_to_clients_can_see_ahead(app, gym, as_ada):
    set_see_ahead(app, gym.strength, 7)
    near = plan(app, gym.ada_sub, gym.today + timedelta(days=7), title="Within the window")
    far = plan(app, gym.ada_sub, gym.today + timedelta(days=8), title="Beyond the window")

    month = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?date={(gym.today + timedelta(days=8)).isoformat()}")
    week = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?view=week&date={(gym.today + timedelta(days=8)).isoformat()}")
    for page in (month.get_data(as_text=True), week.get_data(as_text=True)):
        assert "Beyond the window" not in page
        assert f'data-session-id="{far}"' not in page
    assert as_ada.get(f"/my/sessions/{near}").status_code == 200
    assert as_ada.get(f"/my/sessions/{far}").status_code == 404
    squat = exercise_id(app, "Back Squat")
    assert as_ada.get(f"/my/sessions/{far}/sets/new?position=0&set=2&exercise_id={squat}", headers={"HX-Request": "true"}).status_code == 404


def test_home_lists_coming_days_only_up_to_a_see_ahead_shorter_than_the_days_shown(app, gym, as_ada):
    set_see_ahead(app, gym.strength, 2)  # shorter than the 7 coming days the home page lists
    plan(app, gym.ada_sub, gym.today + timedelta(days=2), title="Within two days")
    plan(app, gym.ada_sub, gym.today + timedelta(days=3), title="Three days out")
    plan(app, gym.ada_sub, gym.today + timedelta(days=6), title="Six days out")

    page = as_ada.get("/my").get_data(as_text=True)

    assert "Within two days" in page
    assert "Three days out" not in page and "Six days out" not in page


def test_add_set_and_add_exercise_refuse_a_session_beyond_see_ahead(app, gym, as_ada):
    set_see_ahead(app, gym.strength, 3)
    far = plan(app, gym.ada_sub, gym.today + timedelta(days=4), title="Beyond the window")
    squat = exercise_id(app, "Back Squat")
    htmx = {"HX-Request": "true"}

    added_set = as_ada.get(f"/my/sessions/{far}/sets/new?position=0&set=2&exercise_id={squat}", headers=htmx)
    added_exercise = as_ada.get(f"/my/sessions/{far}/exercises/new?position=1&new_exercise={squat}", headers=htmx)

    assert added_set.status_code == 404 and added_exercise.status_code == 404
    assert "Back Squat" not in added_set.get_data(as_text=True) + added_exercise.get_data(as_text=True)


def test_visible_window_runs_from_start_date_to_see_ahead_and_is_empty_when_pending(app, gym):
    with app.app_context():
        subscription = db.session.get(Subscription, gym.ada_sub)
        program = db.session.get(Program, gym.strength)
        program.see_ahead_days = 14
        window = calendar_window.visible_window(subscription, gym.today, program)
        assert window.first == gym.start and window.last == gym.today + timedelta(days=14)
        program.see_ahead_days = 0
        assert calendar_window.visible_window(subscription, gym.today, program).last is None
        subscription.status = "pending"
        assert calendar_window.visible_window(subscription, gym.today, program) is None
        subscription.status, subscription.ended_at = "ended", subscription.started_at
        ended = calendar_window.visible_window(subscription, gym.today, program)
        assert ended.last <= gym.today


def test_client_sees_nothing_before_their_start_date(app, gym, as_ada):
    early = plan(app, gym.ada_sub, gym.start - timedelta(days=1), title="Before I joined")
    page = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?date={gym.start.isoformat()}").get_data(as_text=True)
    assert "Before I joined" not in page
    assert as_ada.get(f"/my/sessions/{early}").status_code == 404


def test_client_never_sees_a_pending_or_ended_subscriptions_future_sessions(app, gym, as_ada):
    future_day, past_day = gym.today + timedelta(days=3), gym.today - timedelta(days=3)
    future = plan(app, gym.ada_sub, future_day, title="Future session")
    past = plan(app, gym.ada_sub, past_day, title="Past session")
    end_subscription(app, gym.ada_sub)

    # Each day's own month, so the day is on the grid whatever today's date is.
    calendar = f"/my/programs/{gym.ada_sub}/calendar"
    past_month = as_ada.get(f"{calendar}?date={past_day.isoformat()}").get_data(as_text=True)
    future_month = as_ada.get(f"{calendar}?date={future_day.isoformat()}").get_data(as_text=True)
    assert f'data-date="{future_day.isoformat()}"' in future_month
    assert "Future session" not in future_month and "Future session" not in past_month
    assert "Past session" in past_month and "has ended" in past_month
    assert as_ada.get(f"/my/sessions/{future}").status_code == 404
    assert as_ada.get(f"/my/sessions/{past}").status_code == 404  # ended: read-only, nothing to log
    assert "Future session" not in as_ada.get("/my").get_data(as_text=True)

    with app.app_context():
        db.session.get(Subscription, gym.ada_sub).status = "pending"
        db.session.commit()
    assert as_ada.get(f"/my/programs/{gym.ada_sub}/calendar").status_code == 404


def test_client_calendar_has_month_and_week_views_with_date_hooks_and_is_read_only(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    month = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar").get_data(as_text=True)
    week = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?view=week").get_data(as_text=True)
    for page in (month, week):
        assert f'data-date="{gym.today.isoformat()}"' in page
        assert f'data-session-id="{session_id}"' in page
        assert f'href="/my/sessions/{session_id}"' in page
        assert "Add session" not in page and "/edit" not in page and "draggable" not in page
    assert week.count('data-date=') == 7
    fragment = as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?view=week", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="calendar"')


def test_client_calendar_refuses_bad_view_and_date(gym, as_ada):
    assert as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?view=year").status_code == 400
    assert as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?date=2026-13-40").status_code == 400
    assert as_ada.get(f"/my/programs/{gym.ada_sub}/calendar?date=1800-01-01").status_code == 400


def test_group_program_sessions_are_loggable_by_each_subscriber(app, gym, as_ada):
    session_id = plan(app, gym.ada_team, gym.today, title="Team day", exercises=[("Burpee", 2, 10, None)])
    burpee = exercise_id(app, "Burpee")
    response, _ = post_log(as_ada, session_id, {1: {"exercise_id": burpee, "reps": 12}})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(SessionLog))
        assert entry.subscription_id == gym.ada_team and entry.program_name == "Team Barbell"


def test_new_program_without_sessions_still_shows_home(app, gym, as_ada):
    empty = make_program(app, gym.coach, status="published", name="Empty")
    add_subscription(app, empty, "ada@example.com", "active", client_id=gym.ada, start_date=gym.today)
    assert "Empty" in as_ada.get("/my").get_data(as_text=True)


# --- logging -----------------------------------------------------------------------------------


def test_client_logs_a_session_set_by_set_and_marks_it_done(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 2, 5, 100), ("Plank", 1, None, None)])
    squat, plank = exercise_id(app, "Back Squat"), exercise_id(app, "Plank")
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "2×5 @ 100 kg" in page and "Back Squat set 1" in page and "Plank set 1" in page
    assert element(page, "input", id="rpe")["inputmode"] == "decimal"  # the phone shows its number pad for RPE

    response, _ = post_log(
        as_ada, session_id,
        {1: {"exercise_id": squat, "reps": 5, "load": 100}, 2: {"exercise_id": squat, "reps": 4, "load": "102,5"},
         101: {"exercise_id": plank, "time": "1:30"}},
        rpe="8.5", notes="Felt strong",
    )  # fmt: skip

    assert response.status_code == 302 and response.location.endswith(f"/my/sessions/{session_id}")
    with app.app_context():
        entry = db.session.scalar(select(SessionLog))
        sets = db.session.scalars(select(SetLog).order_by(SetLog.position, SetLog.set_number)).all()
        assert (entry.status, entry.rpe, entry.notes, entry.session_title) == ("done", 8.5, "Felt strong", "Lower body")
        assert [(s.exercise_name, s.set_number, s.reps, s.load_kg, s.duration_seconds) for s in sets] == [
            ("Back Squat", 1, 5, 100.0, None), ("Back Squat", 2, 4, 102.5, None), ("Plank", 1, None, None, 90),
        ]  # fmt: skip
        assert history_logs.completion_for_sessions([session_id]) == {session_id: "done"}
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    assert "Session logged." in page and "Update log" in page
    assert 'value="102.5"' in page and 'value="1:30"' in page


def test_resubmitted_log_form_does_not_duplicate_the_log(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    first, data = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}})
    again = as_ada.post(f"/my/sessions/{session_id}", data=data)  # a flaky connection resends it

    assert first.status_code == again.status_code == 302
    assert count(app, SessionLog) == 1 and count(app, SetLog) == 1
    assert "saved once" in as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)


def test_an_older_form_sent_after_a_newer_save_is_refused_and_changes_nothing(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    url = f"/my/sessions/{session_id}"
    _, older = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}})
    assert as_ada.post(url, data=older).status_code == 302  # the same form again: still fine, saved once
    _, newer = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 110}}, notes="Updated")

    stale = as_ada.post(url, data=older)  # the phone resends the older form after the update

    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "updated after you opened this form" in page and "Open the latest log" in page
    with app.app_context():
        entry = db.session.scalar(select(SessionLog))
        assert (entry.notes, entry.submission_key) == ("Updated", newer["submission_key"])
        assert db.session.scalars(select(SetLog.load_kg)).all() == [110]
    assert as_ada.post(url, data=newer).status_code == 302  # the newer form resent: a no-op success


def test_a_second_tab_cannot_overwrite_a_log_saved_from_the_first(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}})
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)  # tab 2 opens the log
    post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 105}})  # tab 1 saves

    tab_two = {"submission_key": form_key(page), "based_on": form_key(page, "based_on"), "status": "done",
               "date": gym.today.isoformat(), "sets-1-exercise_id": squat, "sets-1-reps": "3", "sets-1-load": "90"}  # fmt: skip
    response = as_ada.post(f"/my/sessions/{session_id}", data=tab_two)

    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalars(select(SetLog.load_kg)).all() == [105]


def test_log_session_with_the_same_submission_key_saves_once(app, gym):
    session_id = plan(app, gym.ada_sub, gym.today)
    first, _ = log(app, gym.ada, session_id, key="same-key", today=gym.today)
    second, _ = log(app, gym.ada, session_id, [("Back Squat", 3, 120)], key="same-key", today=gym.today)
    assert first == second
    assert count(app, SetLog) == 1
    with app.app_context():
        assert db.session.scalar(select(SetLog.load_kg)) == 100


def test_the_same_form_arriving_twice_at_once_is_saved_once_and_not_called_a_conflict(app, gym):
    """A flaky phone sends one form twice: the first copy commits just after the second checked
    its key and before it looked for the session's log. The second is a duplicate, not the
    'updated after you opened this form' refusal the client would otherwise see."""
    from sqlalchemy import event

    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    landed = []

    def first_copy_lands(state):
        where = state.statement.whereclause if state.is_select else None
        if not landed and where is not None and "session_log.session_id" in str(where):
            landed.append(None)  # once: the first copy's own queries pass through here too
            landed[0] = log(app, gym.ada, session_id, key="same-key", based_on="", today=gym.today)[0]

    with app.app_context():
        user = db.session.get(User, gym.ada)
        session, subscription = visibility.find_own_session(user, session_id, gym.today)
        data = {"status": "done", "based_on": "", "sets": [
            {"exercise_id": squat, "position": 0, "set_number": 1, "reps": 5, "load": 100}]}
        event.listen(db.session, "do_orm_execute", first_copy_lands)
        try:
            second = writing.log_session(user, session, data, "same-key", subscription=subscription, today=gym.today)
        finally:
            event.remove(db.session, "do_orm_execute", first_copy_lands)
        assert landed and second.duplicate and second.log.id == landed[0]
        db.session.rollback()
    assert count(app, SessionLog) == 1 and count(app, SetLog) == 1


def test_logging_a_session_again_replaces_the_earlier_log(app, gym):
    session_id = plan(app, gym.ada_sub, gym.today)
    log(app, gym.ada, session_id, [("Back Squat", 5, 100)], today=gym.today)
    log(app, gym.ada, session_id, [("Back Squat", 5, 105), ("Back Squat", 5, 105)], today=gym.today)
    assert count(app, SessionLog) == 1 and count(app, SetLog) == 2


def test_client_adds_extra_sets_and_exercises_with_htmx(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 1, 5, 100)])
    squat, row = exercise_id(app, "Back Squat"), exercise_id(app, "Rowing Machine")
    htmx = {"HX-Request": "true"}

    added_set = as_ada.get(f"/my/sessions/{session_id}/sets/new?position=0&set=2&exercise_id={squat}", headers=htmx)
    html = added_set.get_data(as_text=True)
    assert added_set.status_code == 200 and 'name="sets-2-reps"' in html and 'name="sets-2-load"' in html
    assert "set=3" in html  # the next Add set button
    added = as_ada.get(f"/my/sessions/{session_id}/exercises/new?position=1&new_exercise={row}", headers=htmx)
    html = added.get_data(as_text=True)
    assert "Rowing Machine" in html and 'name="sets-101-distance"' in html and "position=2" in html
    assert as_ada.get(f"/my/sessions/{session_id}/exercises/new?position=1&new_exercise=99999", headers=htmx).status_code == 400
    assert as_ada.get(f"/my/sessions/{session_id}/sets/new?position=100&set=1&exercise_id={squat}", headers=htmx).status_code == 400

    response, _ = post_log(as_ada, session_id, {
        1: {"exercise_id": squat, "reps": 5, "load": 100}, 2: {"exercise_id": squat, "reps": 5, "load": 100},
        101: {"exercise_id": row, "distance": 2000},
    })  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert [(s.exercise_name, s.set_number) for s in db.session.scalars(select(SetLog).order_by(SetLog.id))] == [
            ("Back Squat", 1), ("Back Squat", 2), ("Rowing Machine", 1),
        ]  # fmt: skip


def test_skipping_a_session_keeps_no_sets(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today - timedelta(days=1))
    squat = exercise_id(app, "Back Squat")
    response, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}}, status="skipped",
                           day=gym.today - timedelta(days=1), notes="Ill")  # fmt: skip
    assert response.status_code == 302
    assert count(app, SetLog) == 0
    with app.app_context():
        assert history_logs.completion_for_sessions([session_id]) == {session_id: "skipped"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sets-1-reps", "five", "Enter reps as a whole number"),
        ("sets-1-reps", "2.5", "Enter reps as a whole number"),
        ("sets-1-load", "heavy", "Enter a load like 102.5"),
        ("sets-1-load", "5000", "Load must be from 0 to 1000 kg"),
        ("sets-1-load", "1e3", "Enter a load like 102.5"),
        ("sets-1-reps", "5000", "Reps must be from 0 to 1000"),
        ("sets-1-exercise_id", "99999", "Choose an exercise from the list"),
        ("rpe", "11", "RPE must be from 1 to 10"),
        ("rpe", "hard", "Enter an RPE from 1 to 10"),
        ("status", "maybe", "Not a valid choice"),
        ("date", "not-a-date", "Not a valid date value"),
    ],
)
def test_bad_results_are_refused_with_a_message_and_nothing_is_saved(app, gym, as_ada, field, value, message):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    key = form_key(page)
    data = {"submission_key": key, "status": "done", "date": gym.today.isoformat(), "rpe": "",
            "sets-1-exercise_id": squat, "sets-1-reps": "5", "sets-1-load": "100", field: value}  # fmt: skip

    response = as_ada.post(f"/my/sessions/{session_id}", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, SessionLog) == 0 and count(app, SetLog) == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sets-1-time", "99:99", "Enter seconds (45), minutes (1:30) or hours (1:02:03)"),
        ("sets-1-time", "0", "Time must be from 1 second to 24 hours"),
        ("sets-1-time", "25:00:00", "Time must be from 1 second to 24 hours"),
        ("sets-101-distance", "0", "Distance must be from 1 m to 1,000 km"),
        ("sets-101-distance", "2000000", "Distance must be from 1 m to 1,000 km"),
        ("sets-101-distance", "5.5", "Enter metres as a whole number"),
    ],
)
def test_absurd_times_and_distances_are_refused_with_a_message(app, gym, as_ada, field, value, message):
    session_id = plan(app, gym.ada_sub, gym.today, exercises=[("Plank", 1, None, None), ("Running", 1, None, None)])
    plank, running = exercise_id(app, "Plank"), exercise_id(app, "Running")
    rows = {1: {"exercise_id": plank, "time": "1:30"}, 101: {"exercise_id": running, "distance": 5000}}
    rows[int(field.split("-")[1])][field.split("-")[2]] = value

    response, _ = post_log(as_ada, session_id, rows)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert count(app, SessionLog) == 0 and count(app, SetLog) == 0


@pytest.mark.parametrize(
    "exercise, data, message",
    [
        ("Plank", {"time": "99:99"}, "Enter seconds (45), minutes (1:30) or hours (1:02:03)"),
        ("Plank", {"time": "0"}, "Time must be from 1 second to 24 hours"),
        ("Running", {"distance": "0"}, "Distance must be from 1 m to 1,000 km"),
    ],
)
def test_absurd_hand_entered_times_and_distances_are_refused(app, gym, as_ada, exercise, data, message):
    response = as_ada.post("/my/records/new", data={"exercise": exercise_id(app, exercise),
                                                    "date": (gym.today - timedelta(days=9)).isoformat(), **data})  # fmt: skip
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count(app, history_models.ManualRecord) == 0


def test_a_training_date_in_the_future_is_refused(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    response, _ = post_log(as_ada, session_id, {1: {"exercise_id": squat, "reps": 5, "load": 100}},
                           day=gym.today + timedelta(days=1))  # fmt: skip
    assert response.status_code == 400
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert count(app, SessionLog) == 0


def test_client_cannot_log_someone_elses_session(app, gym, as_ada):
    bens = plan(app, gym.ben_sub, gym.today)
    squat = exercise_id(app, "Back Squat")
    response = as_ada.post(f"/my/sessions/{bens}", data={
        "submission_key": "k" * 20, "status": "done", "date": gym.today.isoformat(),
        "sets-1-exercise_id": squat, "sets-1-reps": "5", "sets-1-load": "100",
    })  # fmt: skip
    assert response.status_code == 404
    assert count(app, SessionLog) == 0


def test_a_new_client_is_welcomed_on_today_until_they_dismiss_it_and_told_when_training_starts(
    app, client, published_program, make_invite, today, starter_exercises
):
    with app.app_context():
        from fitr.programs.models import Program

        db.session.get(Program, published_program).welcome_message = "Welcome! Week 1 is easy."
        db.session.commit()
    invite = make_invite(published_program, "ada@example.com")
    joined = client.post(f"/invite/{invite.token}", data={"name": "Ada", "password": "ada's own passphrase"})
    assert joined.headers["Location"] == "/my"
    page = client.get("/my").get_data(as_text=True)
    assert "Welcome to Powerlifting 1-2-1" in page and "Welcome! Week 1 is easy." in page
    assert "Casey Coach is writing your first sessions" in page  # nothing planned yet: no empty days
    plan(app, invite.subscription_id, today + timedelta(days=2), title="First squat day")
    page = client.get("/my").get_data(as_text=True)
    assert f"Your first session is on {(today + timedelta(days=2)):%a} {(today + timedelta(days=2)).day}" in page
    got_it = element(page, "form", action=f"/my/programs/{invite.subscription_id}/welcome")
    assert element(got_it.html, "button").text.startswith("Got it")
    assert client.post(f"/my/programs/{invite.subscription_id}/welcome").status_code == 302
    assert "Welcome! Week 1 is easy." not in client.get("/my").get_data(as_text=True)
