"""Clients retain their full training history and Personal Records even when moved to a new
subscription: history belongs to the client, not to the subscription, the session or the
program. And Move to program itself."""

import re
from datetime import timedelta

import pytest
from factories import element, elements, end_subscription, exercise_id, log, plan
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from fitr import errors
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import TEMPLATE_EPOCH, Calendar, Session
from fitr.extensions import db
from fitr.history import records as history_records
from fitr.history.models import SessionLog, SetLog
from fitr.lifecycle import rules as lifecycle
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def history_and_records(app, user_id):
    squat_id = exercise_id(app, "Back Squat")
    with app.app_context():
        logs = db.session.scalars(select(SessionLog).order_by(SessionLog.id)).all()
        sets = db.session.scalar(select(func.count()).select_from(SetLog).where(SetLog.user_id == user_id))
        squat = history_records.personal_records(user_id)[squat_id]
        return [(entry.session_title, entry.program_name, entry.date) for entry in logs], sets, squat.by_reps[5].value


@pytest.fixture
def trained(app, gym):
    """Ada trained twice in Strength 1-2-1: history and a 5-rep record of 110 kg."""
    for days, load in ((9, 100), (2, 110)):
        day = gym.today - timedelta(days=days)
        log(app, gym.ada, plan(app, gym.ada_sub, day, title=f"Squats {load}"), [("Back Squat", 5, load)], day=day, today=gym.today)
    return history_and_records(app, gym.ada)


def move(app, subscription_id, program_id, start):
    with app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        new = lifecycle.move(subscription, db.session.get(Program, program_id), start)
        db.session.commit()
        return new.id


def test_client_keeps_history_and_records_when_the_subscription_ends(app, gym, trained):
    end_subscription(app, gym.ada_sub)
    assert history_and_records(app, gym.ada) == trained


def test_client_keeps_records_when_moved_to_new_subscription(app, gym, trained):
    move(app, gym.ada_sub, gym.hypertrophy, gym.today)
    assert history_and_records(app, gym.ada) == trained


def test_client_keeps_history_when_planned_sessions_are_deleted(app, gym, trained):
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, gym.ada_sub))
        for session in calendar_rules.sessions_between(calendar, gym.start, gym.today):
            session.calendar = calendar
            calendar_rules.delete_session(session)  # as the coach's Delete does
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SessionLog).where(SessionLog.session_id.isnot(None))) == 0
    assert history_and_records(app, gym.ada) == trained


def test_client_keeps_history_when_the_whole_program_is_deleted(app, gym, trained, as_ada):
    with app.app_context():
        db.session.execute(delete(Program).where(Program.id == gym.strength))
        db.session.commit()
        assert db.session.get(Subscription, gym.ada_sub) is None
    assert history_and_records(app, gym.ada) == trained
    history = as_ada.get("/my/history").get_data(as_text=True)
    assert "Squats 110" in history and "Strength 1-2-1" in history
    assert "110 kg" in as_ada.get("/my/records").get_data(as_text=True)


def test_logs_of_a_deleted_session_still_open_from_history(app, gym, as_ada):
    session_id = plan(app, gym.ada_sub, gym.today, title="Soon deleted")
    log_id, _ = log(app, gym.ada, session_id, today=gym.today)
    with app.app_context():
        db.session.execute(delete(Session).where(Session.id == session_id))
        db.session.commit()
    page = as_ada.get(f"/my/logs/{log_id}").get_data(as_text=True)
    assert "Soon deleted" in page and "no longer on a calendar" in page


# --- Move to program ---------------------------------------------------------------------------


def test_moving_ends_the_old_subscription_and_starts_a_new_one_from_the_template(app, gym):
    with app.app_context():
        target = db.session.get(Program, gym.hypertrophy)
        template = calendar_rules.template_calendar(target)
        calendar_rules.add_session(template, TEMPLATE_EPOCH + timedelta(days=1), gym.coach, "Week 1 Day 2")
        db.session.commit()
    old_calendar_session = plan(app, gym.ada_sub, gym.today - timedelta(days=1), title="Old plan")

    new_id = move(app, gym.ada_sub, gym.hypertrophy, gym.today)

    with app.app_context():
        old, new = db.session.get(Subscription, gym.ada_sub), db.session.get(Subscription, new_id)
        assert old.status == "ended" and old.ended_at is not None
        assert (new.status, new.program_id, new.client_id, new.moved_from_id, new.start_date) == (
            "active", gym.hypertrophy, gym.ada, gym.ada_sub, gym.today)
        calendar = db.session.scalar(select(Calendar).where(Calendar.subscription_id == new_id))
        sessions = calendar_rules.sessions_between(calendar, gym.today, gym.today + timedelta(days=7))
        assert [(s.title, s.date) for s in sessions] == [("Week 1 Day 2", gym.today + timedelta(days=1))]
        old_calendar = db.session.scalar(select(Calendar).where(Calendar.subscription_id == gym.ada_sub))
        old_calendar.subscription = old
        assert calendar_rules.is_read_only(old_calendar)
        assert db.session.get(Session, old_calendar_session) is not None  # kept, read-only


@pytest.mark.parametrize("target, message", [("draft", "published"), ("olive", "your programs")])
def test_moving_to_a_draft_or_another_coachs_program_is_refused_and_nothing_changes(app, gym, target, message):
    with app.app_context():
        subscription = db.session.get(Subscription, gym.ada_sub)
        with pytest.raises(errors.RuleError, match=message):
            lifecycle.move(subscription, db.session.get(Program, getattr(gym, target)), gym.today)
        db.session.rollback()
        assert db.session.get(Subscription, gym.ada_sub).status == "active"
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 4


def test_moving_to_a_program_the_client_is_already_in_is_refused(app, gym):
    move(app, gym.ada_sub, gym.hypertrophy, gym.today)
    with app.app_context():
        ended = db.session.get(Subscription, gym.ada_sub)
        with pytest.raises(errors.RuleError, match="already in Hypertrophy"):
            lifecycle.move(ended, db.session.get(Program, gym.hypertrophy), gym.today)


def test_a_past_client_is_re_subscribed_the_same_way(app, gym, trained):
    end_subscription(app, gym.ada_sub)
    new_id = move(app, gym.ada_sub, gym.strength, gym.today)
    with app.app_context():
        assert db.session.get(Subscription, new_id).status == "active"
    assert history_and_records(app, gym.ada) == trained


def test_coach_re_subscribes_a_past_client_over_http(app, gym, logged_in, trained):
    end_subscription(app, gym.ada_sub)
    url = f"/programs/{gym.strength}/clients/{gym.ada_sub}/move"
    form = logged_in.get(url).get_data(as_text=True)
    assert "<h1>Re-subscribe</h1>" in form

    start = gym.today + timedelta(days=3)
    response = logged_in.post(url, data={"program": gym.strength, "start_date": start.isoformat()})

    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Subscription).where(Subscription.moved_from_id == gym.ada_sub))
        assert (new.program_id, new.client_id, new.status, new.start_date) == (gym.strength, gym.ada, "active", start)
        assert db.session.get(Subscription, gym.ada_sub).status == "ended"
        assert db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == new.id)) is not None
    assert response.location.endswith(f"/programs/{gym.strength}/clients/{new.id}/overview")
    assert history_and_records(app, gym.ada) == trained


def test_coach_moves_a_client_with_move_to_program(app, gym, logged_in, trained):
    form = logged_in.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/move").get_data(as_text=True)
    assert "Hypertrophy" in form and "Draft Block" not in form and "Olive" not in form

    response = logged_in.post(f"/programs/{gym.strength}/clients/{gym.ada_sub}/move",
                              data={"program": gym.hypertrophy, "start_date": gym.today.isoformat()})  # fmt: skip

    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Subscription).where(Subscription.moved_from_id == gym.ada_sub))
        assert new.program_id == gym.hypertrophy
    assert response.location.endswith(f"/programs/{gym.hypertrophy}/clients/{new.id}/overview")
    assert history_and_records(app, gym.ada) == trained


@pytest.mark.parametrize(
    "data, message",
    [
        ({"program": "draft", "start_date": "today"}, "Choose a published program"),
        ({"program": "olive", "start_date": "today"}, "Choose one of your programs"),
        ({"program": "", "start_date": "today"}, "Choose a program"),
        ({"program": "hypertrophy", "start_date": ""}, "Choose a start date"),
        ({"program": "hypertrophy", "start_date": "1999-01-01"}, "between 2000 and 2099"),
    ],
)
def test_bad_moves_get_a_message_and_change_nothing(app, gym, logged_in, data, message):
    data = {
        "program": getattr(gym, data["program"]) if data["program"] else "",
        "start_date": gym.today.isoformat() if data["start_date"] == "today" else data["start_date"],
    }
    response = logged_in.post(f"/programs/{gym.strength}/clients/{gym.ada_sub}/move", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Subscription, gym.ada_sub).status == "active"
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 4


# --- the coach changes a session the client logged ------------------------------------------------


def labels_by_exercise(html):
    """{exercise name: what the log form says under it} on the client's session page."""
    found = {}
    for group in elements(html, "fieldset", class_="log-exercise"):
        name = elements(group.html, "legend")[0].text
        found[name] = elements(group.html, "p", class_=re.compile(r"prescribed.*"))[0].text
    return found


def remove_exercise(app, coach_id, session_id, name):
    """The coach deletes one exercise from the session in the editor and saves it."""
    from fitr.library.workouts import item_rows

    removed = exercise_id(app, name)
    with app.app_context():
        session = db.session.scalar(
            select(Session).where(Session.id == session_id)
            .options(selectinload(Session.prescriptions), joinedload(Session.calendar).joinedload(Calendar.subscription))
        )  # fmt: skip
        rows = [row for row in item_rows(session.prescriptions) if row["exercise_id"] != removed]
        calendar_rules.update_session(session, coach_id, session.title, "", rows)
        db.session.commit()


def test_an_exercise_the_coach_removed_after_the_log_is_not_called_added_by_the_client(app, gym, as_ada):
    exercises = (("Back Squat", 3, 5, 100), ("Bench Press", 3, 8, 60), ("Barbell Row", 3, 8, 50))
    session_id = plan(app, gym.ada_sub, gym.today, exercises=exercises)
    done = [("Back Squat", 5, 100), ("Bench Press", 8, 60), ("Barbell Row", 8, 50), ("Conventional Deadlift", 3, 120)]
    log(app, gym.ada, session_id, done, today=gym.today)

    remove_exercise(app, gym.coach, session_id, "Bench Press")

    page = as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True)
    labels = labels_by_exercise(page)
    assert labels["Bench Press"] == "No longer in the session"
    assert labels["Barbell Row"] == "3×8 @ 50 kg"
    assert labels["Conventional Deadlift"] == "Added by you"
    assert labels["Back Squat"] == "3×5 @ 100 kg"
    with app.app_context():
        assert len(db.session.scalars(select(SetLog)).all()) == 4  # what she did is all kept

    # Saving the log again (say, a corrected RPE) keeps telling the two apart.
    form = element(page, "form", class_="log-form")
    data = {e["name"]: e.get("value", "") for e in elements(form.html, "input", name=True) if e.get("type") != "radio"}
    data.update(status="done", notes="", rpe="8")
    assert as_ada.post(f"/my/sessions/{session_id}", data=data).status_code == 302
    labels = labels_by_exercise(as_ada.get(f"/my/sessions/{session_id}").get_data(as_text=True))
    assert labels["Bench Press"] == "No longer in the session"
    assert labels["Conventional Deadlift"] == "Added by you"
