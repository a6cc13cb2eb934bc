"""Fixtures for the client's side (loaded by conftest.py).

    def test_something(app, gym):
        session_id = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 3, 5, 100)])
        log(app, gym.ada, session_id, [("Back Squat", 5, 100)])

`gym`: Casey's published 1-2-1 program "Strength 1-2-1" with active clients Ada and Ben (each
with their own calendar, starting four weeks ago), a second published program "Hypertrophy",
a draft program, a Group program Ada follows, and Olive's program with her client Zed.
"""

import secrets
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from conftest import make_user
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars import rules as calendar_rules
from fitr.extensions import db
from fitr.history import logs as history_logs
from fitr.history import records as history_records
from fitr.library import exercises as library_exercises
from fitr.library.models import Exercise
from fitr.programs.models import DRAFT, GROUP, ONE_TO_ONE, PUBLISHED, Program
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.training import log as training_log
from fitr.training import visibility


def utc_today():
    """Today for a user in UTC (every test user's time zone)."""
    return datetime.now(UTC).date()


def new_program(coach_id, name, type_=ONE_TO_ONE, status=PUBLISHED, see_ahead_days=0):
    program = Program(
        coach_id=coach_id, name=name, type=type_, status=status, see_ahead_days=see_ahead_days,
        public_slug=secrets.token_hex(8),
    )  # fmt: skip
    db.session.add(program)
    db.session.flush()
    return program


def join(program, user_id, email, start, status=ACTIVE):
    """An active (or ended) subscription with its calendar, as accepting an invite makes it."""
    now = datetime.now(UTC).replace(tzinfo=None)
    subscription = Subscription(
        program_id=program.id, client_id=user_id, client_email=email, status=status, start_date=start,
        started_at=now, ended_at=now if status == "ended" else None,
    )  # fmt: skip
    db.session.add(subscription)
    db.session.flush()
    calendar_rules.calendar_for_subscription(subscription)
    return subscription


def exercise_id(name):
    return db.session.scalar(select(Exercise.id).where(Exercise.name == name, Exercise.coach_id.is_(None)))


def plan(app, subscription_id, day, title="Lower body", exercises=(("Back Squat", 3, 5, 100),)):
    """A session on the subscription's calendar (its own, or its Group program's); its id.
    exercises: (name, sets, reps, load in kg)."""
    with app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        calendar = calendar_rules.calendar_for_subscription(subscription)
        coach_id = db.session.get(Program, subscription.program_id).coach_id
        prescriptions = [
            {"exercise_id": exercise_id(name), "sets": sets, "reps_min": reps, "reps_max": reps,
             "load_value": load, "load_unit": "kg" if load is not None else None}
            for name, sets, reps, load in exercises
        ]  # fmt: skip
        session = calendar_rules.add_session(calendar, day, coach_id, title, "", prescriptions)
        db.session.commit()
        return session.id


def log(app, user_id, session_id, sets=(("Back Squat", 5, 100),), status="done", unit="kg", day=None,
        key=None, rpe=None, notes="", based_on=None):  # fmt: skip
    """Log a session through the rules as the client did it; returns (log id, new records).
    sets: (exercise name, reps, load in `unit`) or dicts of set fields with "exercise".
    based_on: the key of the log the form was opened on (by default the current log's)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        today = utc_today()
        found = visibility.find_own_session(user, session_id, today)
        assert found is not None, "the client cannot see this session"
        session, subscription = found
        rows = []
        counters = {}
        for item in sets:
            if not isinstance(item, dict):
                name, reps, load = item
                item = {"exercise": name, "reps": reps, "load": load}
            item = dict(item)
            name = item.pop("exercise")
            position = next((i for i, p in enumerate(session.prescriptions) if p.exercise.name == name), 50)
            counters[position] = counters.get(position, 0) + 1
            rows.append({"exercise_id": exercise_id(name), "position": position, "set_number": counters[position], **item})
        if based_on is None:
            current = history_logs.log_of(user.id, session_id)
            based_on = current.submission_key if current else ""
        data = {"status": status, "date": day, "rpe": rpe, "notes": notes, "unit": unit, "sets": rows,
                "based_on": based_on}  # fmt: skip
        logged = training_log.log_session(user, session, data, key or secrets.token_urlsafe(16),
                                           subscription=subscription, today=today)  # fmt: skip
        records = [(e.name, r.kind, r.reps, round(r.value, 2)) for e, r in history_records.new_records_in(logged.log, logged.records_before)]
        db.session.commit()
        return logged.log.id, records


def add_manual(app, user_id, name, day, unit="kg", **values):
    with app.app_context():
        user = db.session.get(User, user_id)
        exercise = db.session.get(Exercise, exercise_id(name))
        record = history_records.add_manual_record(user, exercise, {"date": day, "unit": unit, **values}, today=utc_today())
        db.session.commit()
        return record.id


@pytest.fixture
def gym(app, coach, other_coach):
    """Casey's programs and clients, and Olive's, with the starter exercise library."""
    today = utc_today()
    start = today - timedelta(days=28)
    ada = make_user(app, "Ada Athlete", "ada@example.com")
    ben = make_user(app, "Ben Athlete", "ben@example.com")
    zed = make_user(app, "Zed Other", "zed@example.com")
    with app.app_context():
        library_exercises.load_starter_exercises()
        strength = new_program(coach, "Strength 1-2-1")
        hypertrophy = new_program(coach, "Hypertrophy")
        draft = new_program(coach, "Draft Block", status=DRAFT)
        team = new_program(coach, "Team Barbell", type_=GROUP)
        olive = new_program(other_coach, "Olive's 1-2-1")
        ada_sub = join(strength, ada, "ada@example.com", start)
        ben_sub = join(strength, ben, "ben@example.com", start)
        ada_team = join(team, ada, "ada@example.com", start)
        zed_sub = join(olive, zed, "zed@example.com", start)
        db.session.commit()
        return SimpleNamespace(
            today=today, start=start, coach=coach, other_coach=other_coach, ada=ada, ben=ben, zed=zed,
            strength=strength.id, hypertrophy=hypertrophy.id, draft=draft.id, team=team.id, olive=olive.id,
            ada_sub=ada_sub.id, ben_sub=ben_sub.id, ada_team=ada_team.id, zed_sub=zed_sub.id,
        )  # fmt: skip


@pytest.fixture
def as_ada(auth, gym):
    """The test client, logged in as Ada."""
    auth.login("ada@example.com")
    return auth.client


def form_key(html, name="submission_key"):
    """The submission key a log form carries (or, name="based_on", the key of the log it shows)."""
    import re

    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def post_log(client, session_id, rows, status="done", day=None, rpe="", notes="", key=None):
    """Open the session page and send its log form as a phone would. rows: {index: {field: value}}
    where index = position × 100 + set number and fields are exercise_id, reps, load, time, distance."""
    page = client.get(f"/my/sessions/{session_id}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    data = {"submission_key": key or form_key(html), "based_on": form_key(html, "based_on"), "status": status,
            "date": (day or utc_today()).isoformat(), "rpe": rpe, "notes": notes}  # fmt: skip
    data["unit"] = form_key(html, "unit")  # the hidden inputs a browser sends back
    for index, fields in rows.items():
        for name, value in fields.items():
            data[f"sets-{index}-{name}"] = str(value)
    return client.post(f"/my/sessions/{session_id}", data=data), data
