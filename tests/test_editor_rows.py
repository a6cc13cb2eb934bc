"""The session editor's rows on the server: quick entry ("Back Squat 5x5 @ 100kg" in the
Exercise field) split without JavaScript, the type-ahead ignoring the prescription typed after a
name, and pasted rows beyond what a session holds refused whole."""

import pytest
from factories import NOV_3, SQUAT, calendar_id, calendar_rows, element, session_form
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.library.models import WorkoutItem
from fitr.library.quick import name_part, split

HTMX = {"HX-Request": "true"}


def save(client, program, cid, rows, **extra):
    return client.post(f"/programs/{program.id}/calendars/{cid}/sessions", data=session_form("Quick", rows, **extra), headers=HTMX)


def saved_prescriptions(app, cid):
    with app.app_context():
        rows = db.session.scalars(
            select(Prescription).join(Session).where(Session.calendar_id == cid)
            .order_by(Prescription.position).options(joinedload(Prescription.exercise))
        ).all()
        return [
            (p.exercise.name, p.sets, p.reps_text, p.load_value, p.load_unit if p.load_value is not None else None, p.rpe, p.duration_seconds)
            for p in rows
        ]


def test_quick_entries_typed_in_the_exercise_field_are_saved_as_prescriptions(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    rows = [
        {"exercise": "Back Squat 5x5 @ 100kg", "load_unit": "lb"},
        {"exercise": "Bench Press 3x8-12 @ 70%", "load_unit": "kg"},
        {"exercise": "Front Squat 4 x 3 @ 80% TM", "load_unit": "kg"},
        {"exercise": "Pull-up 3x8 @ RPE 8", "load_unit": "kg"},
        {"exercise": "Deadlift 1x5 @ 225lb", "load_unit": "kg"},
        {"exercise": "Plank 3x45s", "load_unit": "kg"},
        {"exercise": "RDL 3×10", "load_unit": "kg"},
    ]
    response = save(logged_in, one_to_one, cid, rows)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert saved_prescriptions(app, cid) == [
        ("Back Squat", 5, "5", 100, "kg", None, None),
        ("Bench Press", 3, "8-12", 70, "%1rm", None, None),
        ("Front Squat", 4, "3", 80, "%tm", None, None),
        ("Pull-Up", 3, "8", None, None, 8, None),
        ("Conventional Deadlift", 1, "5", 225, "lb", None, None),
        ("Plank", 3, "", None, None, None, 45),
        ("Romanian Deadlift", 3, "10", None, None, None, None),
    ]


def test_labels_typed_first_join_a_superset_without_javascript(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    rows = [
        {"exercise": "A1 Bench Press 3x8 @ 70%", "load_unit": "kg"},
        {"exercise": "A2 Barbell Row 3x8 60kg", "load_unit": "kg"},
        {"exercise": "B1 Back Squat 5x5 100kg", "load_unit": "kg"},
    ]
    response = save(logged_in, one_to_one, cid, rows)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert saved_prescriptions(app, cid) == [
        ("Bench Press", 3, "8", 70, "%1rm", None, None),
        ("Barbell Row", 3, "8", 60, "kg", None, None),
        ("Back Squat", 5, "5", 100, "kg", None, None),
    ]
    with app.app_context():
        joined = db.session.scalars(select(Prescription.joined).order_by(Prescription.position)).all()
    assert joined == [False, True, False]  # A2 joins A1; B1 starts its own


def test_a_load_typed_without_a_unit_keeps_the_rows_unit(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    assert save(logged_in, one_to_one, cid, [{"exercise": "Back Squat 5x5 @ 225", "load_unit": "lb"}]).status_code == 200
    assert saved_prescriptions(app, cid) == [("Back Squat", 5, "5", 225, "lb", None, None)]


def test_fields_the_coach_filled_win_over_quick_entry(app, logged_in, one_to_one):
    """Sets typed in their own field: the Exercise field is a name, and this one is unknown."""
    cid = calendar_id(app, one_to_one.ada)
    response = save(logged_in, one_to_one, cid, [{"exercise": "Back Squat 5x5", "sets": "3", "load_unit": "kg"}])
    assert response.status_code == 400
    assert "Choose an exercise from your library, or Create exercise below." in response.get_data(as_text=True)
    assert calendar_rows(app, cid) == []


def test_an_exercise_whose_name_looks_like_a_prescription_is_not_split(app, logged_in, one_to_one):
    with app.app_context():
        library_exercises.create_exercise(one_to_one.coach_id, "Carry 2x20", "conditioning", "distance")
        db.session.commit()
    cid = calendar_id(app, one_to_one.ada)
    assert save(logged_in, one_to_one, cid, [{"exercise": "carry 2x20", "load_unit": "kg"}]).status_code == 200
    assert saved_prescriptions(app, cid) == [("Carry 2x20", None, "", None, None, None, None)]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("Back Squat 5x5 @ heavy", "Choose an exercise from your library, or Create exercise below."),
        ("Unicorn Press 5x5 @ 100kg", "Choose an exercise from your library, or Create exercise below."),
        ("Back Squat 60x5", "Sets must be from 1 to 50."),
        ("Back Squat 5x12-8", "Put the smaller number first, like 8-12."),
        ("Back Squat 5x5 @ 200%", "Load must be from 0 to 150."),
        ("Pull-up 3x8 @ RPE 11", "RPE must be from 1 to 10."),
    ],
)
def test_a_quick_entry_that_does_not_make_sense_comes_back_with_a_message(app, logged_in, one_to_one, typed, message):
    cid = calendar_id(app, one_to_one.ada)
    response = save(logged_in, one_to_one, cid, [{"exercise": typed, "load_unit": "kg"}])
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert calendar_rows(app, cid) == []


def test_an_editor_button_shows_the_quick_entry_split_into_its_fields(app, logged_in, one_to_one):
    """Without JavaScript, Add exercise is a round trip: the coach sees what they typed split."""
    cid = calendar_id(app, one_to_one.ada)
    response = save(logged_in, one_to_one, cid, [{"exercise": "Back Squat 5x5 @ 100kg", "load_unit": "kg"}], action="add")
    html = response.get_data(as_text=True)
    assert element(html, "input", name="prescriptions-0-exercise")["value"] == "Back Squat"
    assert element(html, "input", name="prescriptions-0-load")["value"] == "100"
    assert element(html, "input", name="prescriptions-0-sets")["value"] == "5"
    assert element(html, "input", name="prescriptions-1-exercise")["value"] == ""
    assert calendar_rows(app, cid) == []


def test_the_type_ahead_looks_for_the_name_before_the_prescription(logged_in, one_to_one):
    html = logged_in.get("/exercises/matches", query_string={"prescriptions-0-exercise": "Romanian Dead 3x8 @ 60%"}).get_data(as_text=True)
    assert "Romanian Deadlift" in html and "Create exercise" not in html
    html = logged_in.get("/exercises/matches", query_string={"prescriptions-0-exercise": "Romanian Deadlift 3x"}).get_data(as_text=True)
    assert "Romanian Deadlift" in html and "Create exercise" not in html


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Back Squat 5x5 @ 100kg", ("Back Squat", {"sets": "5", "reps": "5", "load": "100", "load_unit": "kg"})),
        ("Bench Press 3 × 8–12 @ 72,5 %", ("Bench Press", {"sets": "3", "reps": "8-12", "load": "72,5", "load_unit": "%1rm"})),
        ("Front Squat 4x3@80%tm", ("Front Squat", {"sets": "4", "reps": "3", "load": "80", "load_unit": "%tm"})),
        ("Plank 3x45s", ("Plank", {"sets": "3", "time": "45"})),
        # Without "@" (a load then needs its unit), and with a superset's label first.
        ("Deadlift 5x5 100kg", ("Deadlift", {"sets": "5", "reps": "5", "load": "100", "load_unit": "kg"})),
        ("Back Squat 5 x 5", ("Back Squat", {"sets": "5", "reps": "5"})),
        ("Pull-up 3x8 @RPE8", ("Pull-up", {"sets": "3", "reps": "8", "rpe": "8"})),
        ("Pull-up 3x8 RPE 8", ("Pull-up", {"sets": "3", "reps": "8", "rpe": "8"})),
        ("A1 Bench Press 3x8 @ 70%", ("Bench Press", {"sets": "3", "reps": "8", "label": "A1", "load": "70", "load_unit": "%1rm"})),
        ("Deadlift 5x5 100", None),
        ("Back Squat", None),
        ("5x5", None),
        ("Back Squat 5x5 @", None),
        ("Back Squat 5x5 \x00", None),
    ],
)
def test_quick_entry_grammar(typed, expected):
    assert split(typed) == expected


def test_the_search_ignores_a_half_typed_prescription():
    assert name_part("Back Squat 5x") == "Back Squat"
    assert name_part("A1 Bench Pr") == "Bench Pr"  # a superset's label typed first
    assert name_part("Back Squat 5") == "Back Squat"
    assert name_part("21s Curl") == "21s Curl"


def test_ten_thousand_pasted_rows_are_refused_whole_and_nothing_is_written(app, logged_in, one_to_one):
    cid = calendar_id(app, one_to_one.ada)
    rows = [{**SQUAT, "exercise": f"Back Squat 5x{i % 9 + 1} @ 100kg"} for i in range(10_000)]
    response = save(logged_in, one_to_one, cid, rows)
    assert response.status_code == 400
    assert "A session holds at most 30 exercises; this form has 10000. Nothing was saved." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Session.id))) == 0
        assert db.session.scalar(select(func.count(Prescription.id))) == 0


def test_quick_entry_on_a_library_workout(app, logged_in, one_to_one):
    from fitr.library import workouts as library_workouts

    with app.app_context():
        workout = library_workouts.add_workout(one_to_one.coach_id, "Pull day")
        db.session.commit()
        workout_id, version = workout.id, workout.version
    data = session_form("Pull day", [{"exercise": "Pull-up 4x6 @ RPE 9", "load_unit": "kg"}], day=NOV_3, version=version)
    response = logged_in.post(f"/workouts/{workout_id}", data=data)
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)
    with app.app_context():
        items = db.session.scalars(
            select(WorkoutItem).where(WorkoutItem.workout_id == workout_id).options(joinedload(WorkoutItem.exercise))
        ).all()
        assert [(p.exercise.name, p.sets, p.reps_text, p.rpe) for p in items] == [("Pull-Up", 4, "6", 9)]


def test_splitting_quick_entries_runs_the_same_queries_for_one_row_or_thirty(app, logged_in, one_to_one, count_queries):
    """The split looks up all rows' names at once. (Rows of different shapes are still
    inserted one statement each by the save itself: SQLAlchemy batches alike rows only.)"""
    cid = calendar_id(app, one_to_one.ada)
    counts = []
    for rows in (1, 30):
        with count_queries() as counter:
            response = save(logged_in, one_to_one, cid, [{"exercise": "Back Squat 5x5 @ 100kg", "load_unit": "kg"}] * rows)
            assert response.status_code == 200
        counts.append(counter.count)
    with count_queries() as counter:
        assert save(logged_in, one_to_one, cid, [SQUAT] * 30).status_code == 200
    assert counts[0] == counts[1] == counter.count + 2  # one lookup by name, one by alias, for all rows
    assert [len(rows) for _, _, rows in calendar_rows(app, cid)] == [1, 30, 30]
