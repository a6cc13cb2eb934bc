"""The exercise library (issue 14 §3): search on Exercises and in the session editor over names
and aliases, an alias resolving on save (or asking which), Create exercise from the editor,
instructions and a demo video link the client sees, and starter exercises a coach hides."""

import pytest
from factories import (
    calendar_id,
    count,
    element,
    elements,
    exercise_id,
    one_to_one,
    plan,
    session_form,
)
from sqlalchemy import select

from fitr.calendars.models import Prescription
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library.models import Exercise, ExerciseAlias, HiddenExercise

HTMX = {"HX-Request": "true"}


def text(response):
    return response.get_data(as_text=True)


def offered(client, typed):
    """The names the editor's type-ahead offers for what a row's Exercise field holds."""
    html = text(client.get("/exercises/matches", query_string={"prescriptions-0-exercise": typed}, headers=HTMX))
    return [b["data-pick-exercise"] for b in elements(html, "button") if "data-pick-exercise" in b]


def save(client, world, app, name, day="2026-11-03"):
    cid = calendar_id(app, world.ada)
    form = session_form(rows=[{"exercise": name, "sets": "3", "reps": "5"}], calendar_id=cid, date=day)
    return client.post(f"/programs/{world.id}/calendars/{cid}/sessions", data=form, headers=HTMX)


def used_exercises(app):
    with app.app_context():
        return db.session.scalars(select(Exercise.name).join(Prescription, Prescription.exercise_id == Exercise.id)).all()


def describe(client, exercise, **data):
    return client.post(f"/exercises/{exercise}", data={"instructions": "", "video_url": "", "aliases": "", **data})


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, found, not_found",
    [
        ("rdl", "Romanian Deadlift", "Back Squat"),  # an alias, any case
        ("DEADLIFT", "Conventional Deadlift", "Bench Press"),  # a name, any case
        ("ohp", "Overhead Press", "Push Press"),
        ("pull up", "Pull-Up", "Chin-Up"),
        ("100%", None, "Back Squat"),  # LIKE's wildcards are taken literally
    ],
)
def test_search_on_exercises_finds_names_and_aliases_in_any_case(app, logged_in, starter_exercises, q, found, not_found):
    html = text(logged_in.get("/exercises", query_string={"q": q}))
    starter = element(html, "section", **{"aria-labelledby": "starter-exercises"}).text
    if found:
        assert found in starter
    else:
        assert "(0)" in element(html, "h2", id="starter-exercises").text
    assert not_found not in starter


def test_active_search_swaps_only_the_results_and_works_without_javascript(app, logged_in, starter_exercises):
    page = text(logged_in.get("/exercises"))
    box = element(page, "input", type="search")
    assert element(page, "label", **{"for": box["id"]}).text == "Search exercises"
    assert box["hx-trigger"] == "input changed delay:200ms, search" and box["hx-target"] == "#exercise-results"
    fragment = text(logged_in.get("/exercises?q=bench", headers=HTMX))
    assert 'id="exercise-results"' in fragment and "<h1>" not in fragment and "Bench Press" in fragment
    assert "Back Squat" not in fragment


def test_the_starter_library_is_listed_fifty_at_a_time_with_its_count(app, logged_in, starter_exercises):
    html = text(logged_in.get("/exercises"))
    total = count(app, Exercise, coach_id=None)
    assert element(html, "h2", id="starter-exercises").text == f"Starter library ({total})"
    assert len(elements(html, "button", text="Hide")) == 50
    assert f"{total - 50} more: search to find them." in html


def test_exercises_page_and_type_ahead_run_a_fixed_number_of_queries(app, logged_in, coach, starter_exercises, count_queries):
    def queries(url):
        with count_queries() as counter:
            assert logged_in.get(url).status_code == 200
        return counter.count

    def add(first, last, hide):
        with app.app_context():
            for i in range(first, last):
                exercise = library_exercises.create_exercise(coach, f"Press variation {i}", "strength", "load_reps")
                library_exercises.describe_exercise(exercise, "Push.", "", f"PV{i}, press {i}")
            for starter in db.session.scalars(select(Exercise).where(Exercise.coach_id.is_(None)).limit(hide)):
                library_exercises.hide_exercise(coach, starter)
            db.session.commit()

    urls = ["/exercises", "/exercises?q=press", "/exercises?hidden=1", "/exercises/matches?prescriptions-0-exercise=press"]
    add(0, 1, hide=1)
    few = [queries(url) for url in urls]
    add(1, 60, hide=30)
    assert [queries(url) for url in urls] == few


# --- in the session editor -------------------------------------------------------------------


def test_the_editor_type_ahead_offers_matches_by_alias_and_name(app, logged_in, one_to_one):
    assert offered(logged_in, "RDL")[0] == "Romanian Deadlift"
    html = text(logged_in.get("/exercises/matches?prescriptions-2-exercise=rdl", headers=HTMX))
    pick = element(html, "button", text="Romanian Deadlift (RDL)")
    assert pick["data-for"] == "prescriptions-2-exercise" and pick["type"] == "button"
    assert "Conventional Deadlift" in offered(logged_in, "deadlift")
    assert offered(logged_in, "") == []


def test_an_alias_typed_in_the_editor_resolves_to_its_exercise_on_save(app, logged_in, one_to_one):
    assert save(logged_in, one_to_one, app, "deadlift").status_code == 200
    assert save(logged_in, one_to_one, app, "  OHP ", day="2026-11-04").status_code == 200
    assert sorted(used_exercises(app)) == ["Conventional Deadlift", "Overhead Press"]


def test_an_ambiguous_alias_asks_which_exercise_and_saves_nothing(app, logged_in, one_to_one):
    mine = library_exercises_create(app, one_to_one.coach_id, "Banded RDL")
    describe(logged_in, mine, aliases="RDL, band deadlift")
    response = save(logged_in, one_to_one, app, "rdl")
    assert response.status_code == 400
    html = text(response)
    assert "“rdl” could be Banded RDL or Romanian Deadlift: choose which." in element(html, "p", id="prescriptions-0-exercise-error").text
    choices = [b["data-pick-exercise"] for b in elements(html, "button") if "data-pick-exercise" in b]
    assert choices == ["Banded RDL", "Romanian Deadlift"]
    assert used_exercises(app) == []
    assert save(logged_in, one_to_one, app, "Romanian Deadlift").status_code == 200


def library_exercises_create(app, coach_id, name, measure="load_reps"):
    with app.app_context():
        exercise = library_exercises.create_exercise(coach_id, name, "strength", measure)
        db.session.commit()
        return exercise.id


def test_an_unknown_name_offers_create_exercise_inline_with_how_it_is_measured(app, logged_in, one_to_one):
    response = save(logged_in, one_to_one, app, "Sled Drag")
    assert response.status_code == 400
    html = text(response)
    assert element(html, "label", text="How “Sled Drag” is measured")["for"] == "measure-0"
    create = element(html, "button", text="Create exercise")
    assert create["hx-target"] == "#prescriptions-0-exercise-matches"
    assert offered(logged_in, "Sled Drag") == [] and "Create exercise" in text(
        logged_in.get("/exercises/matches?prescriptions-0-exercise=Sled+Drag", headers=HTMX)
    )
    created = logged_in.post("/exercises/inline", data={"row": "0", "prescriptions-0-exercise": "Sled Drag", "measure-0": "distance"}, headers=HTMX)
    assert created.status_code == 200 and "Created Sled Drag (Distance)" in text(created)
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.name == "Sled Drag"))
        assert (exercise.coach_id, exercise.measure, exercise.category) == (one_to_one.coach_id, "distance", "conditioning")
    assert save(logged_in, one_to_one, app, "sled drag").status_code == 200
    assert used_exercises(app) == ["Sled Drag"]


@pytest.mark.parametrize(
    "name, measure, message",
    [("", "reps", "Enter a name."), ("x" * 81, "reps", "at most 80"), ("Sled Drag", "vibes", "Not a valid choice"),
     ("Sled\x07Drag", "reps", "control character")],
)  # fmt: skip
def test_create_exercise_inline_refuses_bad_input_and_creates_nothing(app, logged_in, one_to_one, name, measure, message):
    before = count(app, Exercise)
    response = logged_in.post("/exercises/inline", data={"row": "1", "prescriptions-1-exercise": name, "measure-1": measure}, headers=HTMX)
    assert response.status_code == 400 and message in text(response)
    assert count(app, Exercise) == before


# --- instructions, demo video and aliases ----------------------------------------------------


def test_coach_describes_their_exercise_and_the_client_sees_it_from_the_session(app, auth, logged_in, one_to_one):
    mine = library_exercises_create(app, one_to_one.coach_id, "Banded RDL")
    response = describe(logged_in, mine, instructions="Hinge.\r\nKeep the band taut.", video_url="https://www.youtube.com/watch?v=abc123", aliases="BRDL, brdl,  Band RDL ")
    assert response.status_code == 302
    with app.app_context():
        exercise = db.session.get(Exercise, mine)
        assert (exercise.instructions, exercise.video_url) == ("Hinge.\nKeep the band taut.", "https://www.youtube.com/watch?v=abc123")
        assert set(db.session.scalars(select(ExerciseAlias.name).where(ExerciseAlias.exercise_id == mine))) == {"Band RDL", "BRDL"}
    session = plan(app, one_to_one.ada, one_to_one.start, exercises=[("Banded RDL", 3, 5, 40)])
    auth.logout()
    auth.login("ada@example.com")
    html = text(auth.client.get(f"/my/sessions/{session}"))
    details = element(html, "details")
    assert "How to do Banded RDL" in details.text and "Keep the band taut." in details.text
    link = element(html, "a", href="https://www.youtube.com/watch?v=abc123")
    assert link["rel"] == "noopener noreferrer nofollow" and "Watch the demo video" in link.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"video_url": "javascript:alert(1)"}, "starting with https://"),
        ({"video_url": "data:text/html,<script>alert(1)</script>"}, "starting with https://"),
        ({"video_url": "https://exa mple.com/v"}, "starting with https://"),
        ({"video_url": "https://"}, "starting with https://"),
        ({"video_url": "https://vimeo.com/" + "1" * 500}, "at most 500"),
        ({"instructions": "x" * 5001}, "at most 5000"),
        ({"instructions": "Brace\x07 hard"}, "control characters"),
        ({"aliases": "RDL\x1b"}, "control character"),
        ({"aliases": ",".join(f"n{i}" for i in range(11))}, "at most 10 other names"),
    ],
)
def test_bad_instructions_video_or_aliases_get_a_message_and_nothing_is_saved(app, logged_in, coach, starter_exercises, data, message):
    mine = library_exercises_create(app, coach, "Banded RDL")
    describe(logged_in, mine, instructions="Old.", video_url="https://vimeo.com/1", aliases="BRDL")
    response = describe(logged_in, mine, **{"instructions": "New.", "video_url": "https://vimeo.com/2", "aliases": "X", **data})
    assert response.status_code == 400 and message in text(response)
    with app.app_context():
        exercise = db.session.get(Exercise, mine)
        assert (exercise.instructions, exercise.video_url) == ("Old.", "https://vimeo.com/1")
        assert db.session.scalars(select(ExerciseAlias.name).where(ExerciseAlias.exercise_id == mine)).all() == ["BRDL"]


def test_starter_exercises_ship_aliases_and_instructions_loaded_again_safely(app, starter_exercises):
    with app.app_context():
        assert library_exercises.load_starter_exercises() == 0
        rdl = db.session.scalar(select(Exercise).where(Exercise.name == "Romanian Deadlift", Exercise.coach_id.is_(None)))
        assert "hamstrings" in rdl.instructions
        aliases = db.session.scalars(select(ExerciseAlias.name).where(ExerciseAlias.exercise_id == rdl.id)).all()
        assert aliases == ["RDL"]


# --- hiding starter exercises ----------------------------------------------------------------


def test_a_coach_hides_a_starter_exercise_for_themselves_only_and_shows_it_again(app, auth, logged_in, one_to_one, other_coach):
    squat = exercise_id(app, "Back Squat")
    session = plan(app, one_to_one.ada, one_to_one.start, exercises=[("Back Squat", 3, 5, 100)])
    assert logged_in.post(f"/exercises/{squat}/hide", data={"hidden": "1"}).status_code == 302
    html = text(logged_in.get("/exercises"))
    starter = element(html, "section", **{"aria-labelledby": "starter-exercises"}).text
    assert "Back Squat" not in starter.replace("Pause Back Squat", "").replace("Bar Back Squat", "")
    assert element(html, "a", text="Show hidden (1)")
    assert "Back Squat" not in offered(logged_in, "back squat")
    hidden_page = text(logged_in.get("/exercises?hidden=1"))
    assert element(hidden_page, "button", **{"aria-label": "Show Back Squat again"})
    # sessions that use it are unaffected, and its full name still saves
    assert used_exercises(app) == ["Back Squat"]
    assert save(logged_in, one_to_one, app, "Back Squat", day="2026-11-05").status_code == 200
    # the other coach still has it
    auth.logout()
    auth.login("olive@example.com")
    assert "Back Squat" in offered(auth.client, "back squat")
    assert "Show hidden" not in text(auth.client.get("/exercises"))
    auth.logout()
    auth.login()
    logged_in.post(f"/exercises/{squat}/hide", data={"hidden": "0", "showing_hidden": "1"})
    assert count(app, HiddenExercise) == 0 and "Back Squat" in offered(logged_in, "back squat")
    assert session


# --- who may ---------------------------------------------------------------------------------


def test_only_its_coach_describes_an_exercise_and_own_exercises_cannot_be_hidden(app, auth, client, coach, other_coach, starter_exercises, today):
    mine = library_exercises_create(app, coach, "Casey Sled Push")
    world = one_to_one(app, coach, today)
    assert world
    for who in ("olive@example.com", "ada@example.com"):
        auth.login(who)
        assert client.get(f"/exercises/{mine}").status_code == 404
        assert describe(client, mine, instructions="Mine now").status_code == 404
        assert client.post(f"/exercises/{mine}/hide").status_code == 404
        auth.logout()
    assert client.get(f"/exercises/{mine}").status_code == 302  # to Log in
    assert client.post("/exercises/inline", data={"row": "0", "prescriptions-0-exercise": "X", "measure-0": "reps"}).status_code in (302, 400)
    assert count(app, Exercise, name="X") == 0
    with app.app_context():
        assert db.session.get(Exercise, mine).instructions == ""
    assert count(app, HiddenExercise) == 0
