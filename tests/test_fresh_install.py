"""What a newcomer gets: a database built by `flask db upgrade` alone (as `make run` builds it),
with no factory and no `flask library load-exercises`, already holds the whole starter library:
names, aliases and instructions."""

import csv

import pytest
from factories import program_form, session_form
from sqlalchemy import func, select, text
from sqlalchemy.orm import joinedload

from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Prescription, Session
from fitr.extensions import db
from fitr.library.exercises import STARTER_EXERCISES, load_starter_exercises
from fitr.library.models import Exercise, ExerciseAlias
from fitr.programs.models import Program

HTMX = {"HX-Request": "true"}


@pytest.fixture
def fresh(empty_app):
    """The test app on a database emptied, then built by the `flask db upgrade` command."""
    result = empty_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return empty_app


def shipped():
    with open(STARTER_EXERCISES, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def starter_library(app):
    """{name: (instructions, {aliases})} of the starter exercises in the database."""
    with app.app_context():
        exercises = db.session.scalars(select(Exercise).where(Exercise.coach_id.is_(None))).all()
        aliases = db.session.execute(select(ExerciseAlias.exercise_id, ExerciseAlias.name)).all()
        by_id = {e.id: (e.instructions, set()) for e in exercises}
        for exercise_id, name in aliases:
            by_id[exercise_id][1].add(name)
        return {e.name: by_id[e.id] for e in exercises}


def test_a_fresh_install_holds_the_whole_starter_library(fresh):
    library = starter_library(fresh)
    for row in shipped():
        instructions, aliases = library[row["name"]]
        assert instructions == row["instructions"], row["name"]
        assert aliases == {a for a in row["aliases"].split("|") if a}, row["name"]


def test_a_new_coach_writes_rdl_in_the_session_editor_and_gets_romanian_deadlift(fresh):
    client = fresh.test_client()
    signed_up = client.post("/signup", data={"name": "Casey Coach", "email": "casey@example.com", "password": "a long and unusual phrase"})
    assert signed_up.status_code == 302  # the first account, trusted as it is without a mail server
    created = client.post("/programs/new", data=program_form())
    assert created.status_code == 302, created.get_data(as_text=True)
    with fresh.app_context():
        program = db.session.scalar(select(Program))
        program_id, calendar_id = program.id, calendar_rules.template_calendar(program).id
        db.session.commit()
    day = calendar_rules.template_day(1, 1)
    rows = [{"exercise": "RDL 3x8 @ 60kg", "load_unit": "kg"}, {"exercise": "Squat 5x5 @ 100kg", "load_unit": "kg"}]
    saved = client.post(f"/programs/{program_id}/calendars/{calendar_id}/sessions", data=session_form("Lower", rows, day=day), headers=HTMX)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with fresh.app_context():
        written = [
            (p.exercise.name, p.sets, p.reps_text, p.load_value, p.load_unit)
            for p in db.session.scalars(
                select(Prescription).join(Session).where(Session.calendar_id == calendar_id)
                .order_by(Prescription.position).options(joinedload(Prescription.exercise))
            )
        ]
    assert written == [("Romanian Deadlift", 3, "8", 60, "kg"), ("Back Squat", 5, "5", 100, "kg")]


def test_loading_the_library_again_after_the_migrations_adds_nothing(fresh):
    """`flask library load-exercises` after a fresh install, and the migration after that
    command (the order an existing install meets them in), leave one copy of everything."""
    before = starter_library(fresh)
    with fresh.app_context():
        assert load_starter_exercises() == 0
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ExerciseAlias)) == sum(len(a) for _, a in before.values())
    assert starter_library(fresh) == before


def test_the_migration_completes_a_library_loaded_by_the_command_before_it(fresh):
    """An install that ran `flask library load-exercises` by hand before 0023: running 0023 again
    over it adds nothing twice and keeps a coach's own instructions."""
    with fresh.app_context():
        squat = db.session.scalar(select(Exercise).where(Exercise.name == "Back Squat", Exercise.coach_id.is_(None)))
        squat.instructions = "Our gym's own cues."
        db.session.execute(text("DELETE FROM exercise_alias WHERE name = 'RDL'"))
        db.session.commit()
    result = fresh.test_cli_runner().invoke(args=["db", "downgrade", "0022"])
    assert result.exit_code == 0, result.output
    result = fresh.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    library = starter_library(fresh)
    assert library["Back Squat"][0] == "Our gym's own cues."
    assert "RDL" in library["Romanian Deadlift"][1]
    with fresh.app_context():
        names = db.session.scalars(select(ExerciseAlias.name).where(func.lower(ExerciseAlias.name) == "rdl")).all()
    assert names == ["RDL"]
