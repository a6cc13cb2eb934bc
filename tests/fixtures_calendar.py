"""Fixtures for the calendar area (loaded by conftest.py): a coach's published 1-2-1 program
with three active clients and a pending one, a Group program, another coach's program, and
the starter exercise library."""

import secrets
from datetime import date
from types import SimpleNamespace

import pytest
from conftest import make_user

from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import Session
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.programs.models import GROUP, ONE_TO_ONE, PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, PENDING, Subscription

NOV_3 = date(2026, 11, 3)  # a Tuesday


def create_program(coach_id, name, type_=ONE_TO_ONE, week_start=0):
    program = Program(
        coach_id=coach_id, name=name, type=type_, status=PUBLISHED, week_start=week_start,
        public_slug=secrets.token_hex(8),
    )  # fmt: skip
    db.session.add(program)
    db.session.flush()
    return program


def subscribe(program, client_id=None, name="", email=None, status=ACTIVE, start=None):
    subscription = Subscription(
        program_id=program.id, client_id=client_id, client_name=name,
        client_email=email or f"{secrets.token_hex(4)}@example.com", status=status, start_date=start,
    )  # fmt: skip
    db.session.add(subscription)
    db.session.flush()
    return subscription


@pytest.fixture
def starter_exercises(app):
    with app.app_context():
        library_exercises.load_starter_exercises()
        db.session.commit()


@pytest.fixture
def one_to_one(app, coach, starter_exercises):
    """Casey's published 1-2-1 program "Strength 1-2-1": active clients Ada, Ben and Cleo (real
    accounts) and Dan, added manually and pending."""
    ids = {}
    for name in ("Ada", "Ben", "Cleo"):
        ids[name] = make_user(app, f"{name} Athlete", f"{name.lower()}@example.com")
    with app.app_context():
        program = create_program(coach, "Strength 1-2-1")
        subs = {
            name.lower(): subscribe(program, ids[name], email=f"{name.lower()}@example.com", start=NOV_3).id
            for name in ("Ada", "Ben", "Cleo")
        }
        subs["dan"] = subscribe(program, None, name="Dan Pending", email="dan@example.com", status=PENDING).id
        db.session.commit()
        return SimpleNamespace(id=program.id, coach_id=coach, **subs)


@pytest.fixture
def team_program(app, coach, starter_exercises):
    """Casey's Group program with two subscribers following its one shared calendar."""
    a = make_user(app, "Gail Group", "gail@example.com")
    b = make_user(app, "Gus Group", "gus@example.com")
    with app.app_context():
        program = create_program(coach, "Team Strength", GROUP)
        first = subscribe(program, a, email="gail@example.com").id
        second = subscribe(program, b, email="gus@example.com").id
        db.session.commit()
        return SimpleNamespace(id=program.id, first=first, second=second)


@pytest.fixture
def others_program(app, other_coach, starter_exercises):
    """Olive's 1-2-1 program with one client who has a session on 3 November."""
    client = make_user(app, "Zed Other", "zed@example.com")
    with app.app_context():
        program = create_program(other_coach, "Olive's 1-2-1")
        subscription = subscribe(program, client, email="zed@example.com")
        calendar = calendar_rules.calendar_for_subscription(subscription)
        session = calendar_rules.add_session(calendar, NOV_3, other_coach, "Olive's session")
        exercise = library_exercises.create_exercise(other_coach, "Olive's Secret Press", "strength", "load_reps")
        db.session.commit()
        return SimpleNamespace(
            id=program.id, sub=subscription.id, calendar=calendar.id, session=session.id, exercise=exercise.id
        )


def exercise_id(name, coach_id=None):
    return library_exercises.resolve_exercises(coach_id, [name])[name.lower()].id


def plan(app, program_id, subscription_id, day=NOV_3, title="Lower body", exercises=(("Back Squat", 5, 5, 100),)):
    """Put a session on a client's calendar through the rules; returns (calendar id, session id)."""
    with app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        calendar = calendar_rules.calendar_for_subscription(subscription)
        coach_id = db.session.get(Program, program_id).coach_id
        prescriptions = [
            {"exercise_id": exercise_id(name, coach_id), "sets": sets, "reps_min": reps, "reps_max": reps,
             "load_value": load, "load_unit": "kg"}
            for name, sets, reps, load in exercises
        ]  # fmt: skip
        session = calendar_rules.add_session(calendar, day, coach_id, title, "", prescriptions)
        db.session.commit()
        return calendar.id, session.id


def calendar_rows(app, calendar_id):
    """What a calendar holds, as comparable tuples: (date, title, [(exercise, sets, reps, load)])."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from fitr.calendars.models import Prescription

    with app.app_context():
        sessions = db.session.scalars(
            select(Session)
            .where(Session.calendar_id == calendar_id)
            .order_by(Session.date, Session.position)
            .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        ).all()
        return [
            (s.date, s.title, [(p.exercise.name, p.sets, p.reps_text, p.load_value) for p in s.prescriptions])
            for s in sessions
        ]
