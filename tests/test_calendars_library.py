"""The workout library: Save to library, insert into any calendar or template, and later edits
of a library workout change no calendar."""

from datetime import date

import pytest
from factories import NOV_3, calendar_id, calendar_rows, card_lines, plan
from sqlalchemy import func, select

from fitr.calendars import rules as calendar_rules
from fitr.extensions import db
from fitr.library import workouts as library_workouts
from fitr.library.models import Workout
from fitr.programs.models import Program

HTMX = {"HX-Request": "true"}


def template_id(app, program_id):
    with app.app_context():
        calendar = calendar_rules.template_calendar(db.session.get(Program, program_id))
        db.session.commit()
        return calendar.id


def test_coach_saves_a_session_to_the_library_and_inserts_it_on_other_calendars(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3, exercises=[("Back Squat", 5, 5, 100), ("Plank", 3, None, None)])
    editor = logged_in.get(f"/programs/{one_to_one.id}/sessions/{sid}/edit", headers=HTMX).get_data(as_text=True)
    assert "Save to library" in editor
    saved = logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX)
    assert saved.get_data(as_text=True).strip() == "Saved “Lower body” to your workout library."
    ben_cal = calendar_id(app, one_to_one.ben)
    new = logged_in.get(f"/programs/{one_to_one.id}/calendars/{ben_cal}/sessions/new?date=2026-11-10", headers=HTMX).get_data(as_text=True)
    assert '<option value="Lower body">' in new and 'list="workout-titles"' in new
    inserted = logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben_cal}/insert", data={"date": "2026-11-10", "workout": "lower BODY"}, headers=HTMX)
    assert inserted.status_code == 200 and card_lines(inserted.get_data(as_text=True)) [:1] == ["A · Back Squat · 5×5 @ 100 kg"]
    template_cal = template_id(app, one_to_one.id)
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{template_cal}/insert", data={"date": calendar_rules.template_day(2, 3).isoformat(), "workout": "Lower body"}, headers=HTMX)
    assert calendar_rows(app, ben_cal) == [(date(2026, 11, 10), "Lower body", [("Back Squat", 5, "5", 100.0), ("Plank", 3, "", None)])]
    assert calendar_rows(app, template_cal)[0][:2] == (calendar_rules.template_day(2, 3), "Lower body")


def test_editing_a_library_workout_changes_no_calendar(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    ada_cal = calendar_id(app, one_to_one.ada)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX)
    ben_cal = calendar_id(app, one_to_one.ben)
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben_cal}/insert", data={"date": "2026-11-10", "workout": "Lower body"}, headers=HTMX)
    before = (calendar_rows(app, ada_cal), calendar_rows(app, ben_cal))
    with app.app_context():
        workout_id = db.session.scalar(select(Workout.id))
    page = logged_in.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert 'value="Lower body"' in page and "Save workout" in page
    data = {"title": "Lower body v2", "version": "1", "action": "save", "prescriptions-0-exercise": "Front Squat", "prescriptions-0-sets": "3", "prescriptions-0-reps": "3"}
    response = logged_in.post(f"/workouts/{workout_id}", data=data, follow_redirects=True)
    assert "Saved “Lower body v2”." in response.get_data(as_text=True) and "Front Squat 3×3" in response.get_data(as_text=True)
    assert (calendar_rows(app, ada_cal), calendar_rows(app, ben_cal)) == before
    logged_in.post(f"/workouts/{workout_id}/delete")
    assert (calendar_rows(app, ada_cal), calendar_rows(app, ben_cal)) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(Workout.id))) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"workout": "", "date": "2026-11-10"}, "Choose a workout."),
        ({"workout": "Nothing like this", "date": "2026-11-10"}, "no workout with this name"),
        ({"workout": "Olive's own", "date": "2026-11-10"}, "no workout with this name"),
    ],
)
def test_inserting_an_unknown_or_another_coachs_workout_is_refused(app, logged_in, one_to_one, others_program, other_coach, data, message):
    with app.app_context():
        library_workouts.add_workout(other_coach, "Olive's own")
        db.session.commit()
    ben_cal = calendar_id(app, one_to_one.ben)
    response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben_cal}/insert", data=data, headers=HTMX)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert calendar_rows(app, ben_cal) == []


def test_bad_insert_dates_are_refused(app, logged_in, one_to_one):
    ben_cal = calendar_id(app, one_to_one.ben)
    for value in ("", "2026-02-30", "3000-01-01"):
        response = logged_in.post(f"/programs/{one_to_one.id}/calendars/{ben_cal}/insert", data={"workout": "x", "date": value}, headers=HTMX)
        assert response.status_code == 400
    assert calendar_rows(app, ben_cal) == []


def test_workout_editor_refuses_bad_input_and_keeps_it(app, logged_in, one_to_one):
    sid = plan(app, one_to_one.ada, NOV_3)
    logged_in.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX)
    with app.app_context():
        workout_id = db.session.scalar(select(Workout.id))
    data = {"title": "", "version": "1", "action": "save", "prescriptions-0-exercise": "Back Squat", "prescriptions-0-sets": "99"}
    response = logged_in.post(f"/workouts/{workout_id}", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Sets must be from 1 to 50." in html and 'value="Back Squat"' in html  # the title comes from the exercise
    added = logged_in.post(f"/workouts/{workout_id}", data={**data, "action": "add"}).get_data(as_text=True)
    assert 'name="prescriptions-1-exercise"' in added
    with app.app_context():
        assert db.session.get(Workout, workout_id).title == "Lower body"


def test_workout_library_is_private_to_its_coach(app, client, auth, one_to_one, other_coach):
    sid = plan(app, one_to_one.ada, NOV_3)
    auth.login()
    client.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX)
    assert "Lower body" in client.get("/workouts").get_data(as_text=True)
    auth.logout()
    with app.app_context():
        workout_id = db.session.scalar(select(Workout.id))
    assert client.get(f"/workouts/{workout_id}").status_code == 302
    auth.login("olive@example.com")
    assert "Lower body" not in client.get("/workouts").get_data(as_text=True)
    assert client.get(f"/workouts/{workout_id}").status_code == 404
    assert client.post(f"/workouts/{workout_id}", data={"title": "Mine", "action": "save"}).status_code == 404
    assert client.post(f"/workouts/{workout_id}/delete").status_code == 404
    assert client.post(f"/programs/{one_to_one.id}/sessions/{sid}/save-to-library", headers=HTMX).status_code == 404
    with app.app_context():
        assert db.session.get(Workout, workout_id).title == "Lower body"


def test_calendar_page_links_to_the_libraries(logged_in, one_to_one):
    page = logged_in.get(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar").get_data(as_text=True)
    assert 'href="/workouts"' in page and 'href="/exercises"' in page
