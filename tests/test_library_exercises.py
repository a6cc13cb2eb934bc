"""The exercise library: the starter exercises, and a coach's own exercises (add, rename,
archive), offered in the session editor."""

import re

import pytest
from factories import calendar_id, session_form
from sqlalchemy import func, select

from fitr.calendars.models import Prescription
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library.models import Exercise

HTMX = {"HX-Request": "true"}


def test_starter_library_has_at_least_150_measured_exercises_and_loads_once(app, starter_exercises):
    with app.app_context():
        assert library_exercises.load_starter_exercises() == 0
        exercises = db.session.scalars(select(Exercise).where(Exercise.coach_id.is_(None))).all()
        assert len(exercises) >= 150
        assert {e.measure for e in exercises} == {"load_reps", "reps", "time", "distance"}
        assert {"strength", "conditioning", "mobility"} <= {e.category for e in exercises}


def test_load_exercises_command_loads_the_starter_library(app, runner):
    result = runner.invoke(args=["library", "load-exercises"])
    assert "Added" in result.output
    assert runner.invoke(args=["library", "load-exercises"]).output.strip() == "Added 0 starter exercises."


def test_coach_creates_renames_and_archives_their_own_exercise(app, logged_in, starter_exercises):
    page = logged_in.get("/exercises").get_data(as_text=True)
    assert "Starter library" in page and "Back Squat" in page
    response = logged_in.post("/exercises", data={"name": "  Banded   Good Morning ", "category": "strength", "measure": "load_reps"}, follow_redirects=True)
    assert "Added Banded Good Morning to your exercises." in response.get_data(as_text=True)
    duplicate = logged_in.post("/exercises", data={"name": "banded good morning", "category": "strength", "measure": "reps"})
    assert duplicate.status_code == 400 and "already have an exercise with this name" in duplicate.get_data(as_text=True)
    with app.app_context():
        exercise_id = db.session.scalar(select(Exercise.id).where(Exercise.name == "Banded Good Morning"))
    logged_in.post(f"/exercises/{exercise_id}/rename", data={"name": "Band Good Morning"})
    logged_in.post(f"/exercises/{exercise_id}/archive", data={"archived": "1"})
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        assert (exercise.name, exercise.archived) == ("Band Good Morning", True)


def test_an_own_exercise_named_like_a_starter_one_is_offered_once_and_is_the_one_used(app, logged_in, one_to_one):
    logged_in.post("/exercises", data={"name": "back squat", "category": "strength", "measure": "reps"})
    cid = calendar_id(app, one_to_one.ada)
    matches = logged_in.get("/exercises/matches?prescriptions-0-exercise=back+sq", headers=HTMX).get_data(as_text=True)
    offered = re.findall(r'data-pick-exercise="([^"]*)"', matches)
    assert [name for name in offered if name.lower() == "back squat"] == ["back squat"]
    logged_in.post(f"/programs/{one_to_one.id}/calendars/{cid}/sessions", data=session_form(rows=[{"exercise": "back squat"}]), headers=HTMX)
    with app.app_context():
        used = db.session.scalar(select(Exercise).join(Prescription, Prescription.exercise_id == Exercise.id))
        assert (used.name, used.coach_id) == ("back squat", one_to_one.coach_id)


def test_a_name_with_accented_capitals_typed_again_in_other_case_is_refused_not_a_500(app, logged_in):
    """The database's lower() (SQLite's folds A-Z only) decides what is the same name: the check
    and the unique index agree, so the coach gets the message, on SQLite and PostgreSQL alike."""
    assert logged_in.post("/exercises", data={"name": "Élan Row", "category": "strength", "measure": "load_reps"}).status_code == 302
    again = logged_in.post("/exercises", data={"name": "ÉLAN ROW", "category": "strength", "measure": "load_reps"})
    assert again.status_code == 400 and "already have an exercise with this name" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Exercise.name).where(Exercise.coach_id.is_not(None))).all() == ["Élan Row"]


@pytest.mark.parametrize(
    "name, message",
    [("", "Enter a name."), ("x" * 81, "at most 80"), ("band good morning", "already have an exercise with this name")],
)
def test_a_refused_rename_says_why_next_to_that_exercises_name_and_renames_nothing(app, logged_in, starter_exercises, name, message):
    for new in ("Band Good Morning", "Tempo Squat"):
        logged_in.post("/exercises", data={"name": new, "category": "strength", "measure": "reps"})
    with app.app_context():
        tempo = db.session.scalar(select(Exercise.id).where(Exercise.name == "Tempo Squat"))
    response = logged_in.post(f"/exercises/{tempo}/rename", data={"name": name})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html[html.index(f'id="rename-{tempo}"') :]
    assert field.index(message) < field.index("</form>")  # in that exercise's own form
    assert f'aria-describedby="rename-{tempo}-error"' in html and "autofocus" in html
    with app.app_context():
        assert db.session.get(Exercise, tempo).name == "Tempo Squat"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "category": "strength", "measure": "reps"}, "Enter a name."),
        ({"name": "x" * 81, "category": "strength", "measure": "reps"}, "at most 80"),
        ({"name": "Thing", "category": "juggling", "measure": "reps"}, "Not a valid choice"),
        ({"name": "Thing", "category": "strength", "measure": "vibes"}, "Not a valid choice"),
    ],
)
def test_bad_exercise_input_gets_a_message(app, logged_in, data, message):
    response = logged_in.post("/exercises", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Exercise.id))) == 0


def test_coach_cannot_rename_starter_or_another_coachs_exercise(app, logged_in, others_program):
    with app.app_context():
        starter = db.session.scalar(select(Exercise.id).where(Exercise.name == "Back Squat"))
    assert logged_in.post(f"/exercises/{starter}/rename", data={"name": "Mine"}).status_code == 404
    assert logged_in.post(f"/exercises/{others_program.exercise}/archive").status_code == 404
