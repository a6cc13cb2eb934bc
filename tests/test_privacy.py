"""A person's own data: Download my data (JSON) and Delete my account from Settings, and the
host's `flask export-account` / `flask delete-account`. Deleting takes the person's login, logs,
records and messages; the coach keeps the calendar they wrote, under Past clients, shown as
"Deleted client"."""

import json
from datetime import timedelta

import pytest
from factories import (
    PASSWORD,
    add_manual,
    count,
    element,
    elements,
    exercise_id,
    log,
    pay_by_card,
    plan,
    post_log,
)
from sqlalchemy import update

from fitr import outbox
from fitr.accounts.models import Login, User
from fitr.calendars.models import Session
from fitr.conversations import rules as conversations
from fitr.conversations.models import Conversation, Message
from fitr.extensions import db
from fitr.history.models import ManualRecord, SessionLog, SetLog
from fitr.library.models import Exercise
from fitr.maxes.models import TrainingMax
from fitr.maxes.rules import set_max
from fitr.outbox import OutboxMessage
from fitr.programs.models import Program
from fitr.subscriptions.models import ENDED, Subscription


@pytest.fixture
def trained(app, gym):
    """Ada trained, has a record by hand, a max from her coach and a message thread; Ben
    trained too (none of his must show in Ada's file)."""
    day = gym.today - timedelta(days=2)
    ada_session = plan(app, gym.ada_sub, day, title="Heavy squats")
    log(app, gym.ada, ada_session, [("Back Squat", 5, 110)], day=day, today=gym.today)
    log(app, gym.ben, plan(app, gym.ben_sub, day, title="Light squats"), [("Back Squat", 5, 90)], day=day, today=gym.today)
    plan(app, gym.ada_sub, gym.today + timedelta(days=3), title="Coming up")
    add_manual(app, gym.ada, "Deadlift", gym.today - timedelta(days=40), today=gym.today, reps=1, load=180)
    squat = exercise_id(app, "Back Squat")
    with app.app_context():
        coach, ada = db.session.get(User, gym.coach), db.session.get(User, gym.ada)
        set_max(gym.coach, gym.ada, db.session.get(Exercise, squat), "tm", 100, "kg")
        thread = conversations.direct_thread(gym.coach, gym.ada)
        conversations.post(thread, coach, "How did the squats feel?")
        conversations.post(thread, ada, "Heavy but good.")
        for person in (ada, db.session.get(User, gym.ben)):
            outbox.write(person.email, "Your week", "Text", "<p>Text</p>", None, "test", None)
        db.session.commit()
    return ada_session


def download(client):
    response = client.get("/my/settings/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="fitr-')
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_download_my_data_has_everything_that_is_mine_and_nothing_of_anyone_else(gym, trained, as_ada):
    data = download(as_ada)
    assert data["account"]["email"] == "ada@example.com" and data["account"]["name"] == "Ada Athlete"
    assert "password_hash" not in json.dumps(data)
    assert {s["program"] for s in data["subscriptions"]} == {"Strength 1-2-1", "Team Barbell"}
    titles = [s["title"] for s in data["sessions"]]
    assert "Heavy squats" in titles and "Coming up" in titles and "Light squats" not in titles
    squats = next(s for s in data["sessions"] if s["title"] == "Heavy squats")
    assert squats["exercises"][0]["exercise"] == "Back Squat" and squats["exercises"][0]["sets"] == 3
    assert [(entry["session_title"], [s["load_kg"] for s in entry["sets"]]) for entry in data["logs"]] == [
        ("Heavy squats", [110.0])
    ]
    records = {(r["exercise"], r["kind"], r["reps"]): r["value"] for r in data["records"]}
    assert records[("Back Squat", "load", 5)] == 110 and records[("Conventional Deadlift", "load", 1)] == 180
    assert data["records_entered_by_hand"][0]["exercise_name"] == "Conventional Deadlift"
    assert data["maxes"] == [{**data["maxes"][0], "exercise": "Back Squat", "kind": "tm", "value_kg": 100.0}]
    [thread] = data["conversations"]
    assert thread["with"] == "Casey Coach"
    assert [(m["from"], m["text"]) for m in thread["messages"]] == [
        ("Casey Coach", "How did the squats feel?"), ("you", "Heavy but good."),
    ]  # fmt: skip


def test_a_session_beyond_what_the_client_may_see_ahead_is_not_in_their_file(app, gym, as_ada):
    with app.app_context():
        db.session.execute(update(Program).where(Program.id == gym.strength).values(see_ahead_days=7))
        db.session.commit()
    plan(app, gym.ada_sub, gym.today + timedelta(days=20), title="Far ahead")
    plan(app, gym.ada_sub, gym.today + timedelta(days=6), title="Next week")
    titles = [s["title"] for s in download(as_ada)["sessions"]]
    assert "Next week" in titles and "Far ahead" not in titles


def test_download_my_data_runs_the_same_queries_however_much_there_is(app, gym, as_ada, count_queries):
    def queries():
        with count_queries() as counter:
            download(as_ada)
        return counter.count

    day = gym.today - timedelta(days=1)
    log(app, gym.ada, plan(app, gym.ada_sub, day), day=day, today=gym.today)
    few = queries()
    for days in range(2, 22):
        day = gym.today - timedelta(days=days)
        log(app, gym.ada, plan(app, gym.ada_sub, day, title=f"Day {days}"), [("Back Squat", 5, 100), ("Deadlift", 3, 140)],
            day=day, today=gym.today)  # fmt: skip
    assert queries() == few


def deleted_state(app, gym):
    with app.app_context():
        return {
            "user": db.session.get(User, gym.ada),
            "logs": count(app, SessionLog, user_id=gym.ada),
            "sets": count(app, SetLog, user_id=gym.ada),
            "manual": count(app, ManualRecord, user_id=gym.ada),
            "maxes": count(app, TrainingMax, client_id=gym.ada),
            "threads": count(app, Conversation, client_id=gym.ada),
            "messages": count(app, Message),
            "logins": count(app, Login, user_id=gym.ada),
            "emails": count(app, OutboxMessage, to="ada@example.com"),
        }


def test_settings_offers_the_download_before_deleting(gym, as_ada):
    settings = as_ada.get("/my/settings").get_data(as_text=True)
    assert element(settings, "a", "Download my data", href="/my/settings/export") is not None
    assert element(settings, "a", "Delete my account", href="/my/settings/delete") is not None
    page = as_ada.get("/my/settings/delete").get_data(as_text=True)
    assert element(page, "a", "Download my data", href="/my/settings/export") is not None
    assert element(page, "button", "Delete my account") is not None
    assert "Deleted client" in page


def test_a_wrong_or_missing_password_deletes_nothing(app, gym, trained, as_ada):
    before = deleted_state(app, gym)
    wrong = as_ada.post("/my/settings/delete", data={"password": "not my password"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.get_data(as_text=True)
    empty = as_ada.post("/my/settings/delete", data={"password": ""})
    assert empty.status_code == 400 and "Enter your password to delete your account." in empty.get_data(as_text=True)
    after = deleted_state(app, gym)
    assert after["user"] is not None and {k: v for k, v in after.items() if k != "user"} == {
        k: v for k, v in before.items() if k != "user"
    }
    assert as_ada.get("/my").status_code == 200


def test_deleting_my_account_takes_my_data_and_leaves_my_coach_the_programming(app, gym, trained, as_ada, auth):
    response = as_ada.post("/my/settings/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    state = deleted_state(app, gym)
    assert state["user"] is None
    assert {k: v for k, v in state.items() if k != "user"} == {
        "logs": 0, "sets": 0, "manual": 0, "maxes": 0, "threads": 0, "messages": 0, "logins": 0, "emails": 0,
    }  # fmt: skip
    assert count(app, OutboxMessage, to="ben@example.com") == 1  # another person's email stays
    assert count(app, SessionLog, user_id=gym.ben) == 1  # Ben's training is untouched
    with app.app_context():
        subscription = db.session.get(Subscription, gym.ada_sub)
        assert (subscription.status, subscription.client_id, subscription.client_name, subscription.client_email) == (
            ENDED, None, "Deleted client", "",
        )  # fmt: skip
        assert db.session.get(Session, trained) is not None  # the coach's session stays on the calendar
    assert as_ada.get("/my").status_code == 302  # logged out
    assert auth.login("ada@example.com").status_code == 400  # the login form again: no such account
    assert count(app, Login, user_id=gym.ada) == 0
    auth.login("casey@example.com")
    past = auth.client.get(f"/programs/{gym.strength}/clients/past").get_data(as_text=True)
    assert "Deleted client" in past and "Ada" not in past and "ada@example.com" not in past
    overview = auth.client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview")
    assert overview.status_code == 200 and "Deleted client" in overview.get_data(as_text=True)
    everyone = auth.client.get("/clients/past")
    assert everyone.status_code == 200 and "Deleted client" in everyone.get_data(as_text=True)
    assert auth.client.get("/messages").status_code == 200
    calendar = auth.client.get(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today}")
    assert calendar.status_code == 200 and "Heavy squats" in calendar.get_data(as_text=True)


def test_a_coach_with_programs_is_sent_to_the_host(app, gym, auth):
    auth.login("casey@example.com")
    page = auth.client.get("/my/settings/delete").get_data(as_text=True)
    assert "You coach 4 programs" in page and elements(page, "button", "Delete my account") == []
    refused = auth.client.post("/my/settings/delete", data={"password": PASSWORD})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get(User, gym.coach) is not None


def test_a_card_payment_fitr_cannot_stop_keeps_the_account(app, gym, as_ada):
    """Stripe keys removed since Ada paid: fitr cannot cancel her card payment, so it does not
    delete her account (with Stripe on it is cancelled first: tests/test_payments_billing.py)."""
    pay_by_card(app, gym.ada_sub)
    page = as_ada.get("/my/settings/delete").get_data(as_text=True)
    assert "You pay for Strength 1-2-1 by card, and card payments are off on this fitr just now" in page
    assert as_ada.post("/my/settings/delete", data={"password": PASSWORD}).status_code == 409
    with app.app_context():
        assert db.session.get(User, gym.ada) is not None


def test_the_host_exports_and_deletes_an_account(app, gym, trained, runner, tmp_path):
    out = tmp_path / "ada.json"
    result = runner.invoke(args=["export-account", "ADA@example.com", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["account"]["email"] == "ada@example.com" and len(data["logs"]) == 1
    assert runner.invoke(args=["export-account", "nobody@example.com"]).exit_code != 0

    refused = runner.invoke(args=["delete-account", "casey@example.com", "--yes"])
    assert refused.exit_code != 0 and "--with-programs" in refused.output
    kept = runner.invoke(args=["delete-account", "ada@example.com"], input="n\n")
    assert kept.exit_code != 0 and deleted_state(app, gym)["user"] is not None
    done = runner.invoke(args=["delete-account", "ada@example.com", "--yes"])
    assert done.exit_code == 0 and "Deleted ada@example.com." in done.output
    assert deleted_state(app, gym)["user"] is None


def test_the_host_can_delete_a_coach_with_their_programs(app, gym, runner):
    done = runner.invoke(args=["delete-account", "olive@example.com", "--with-programs", "--yes"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        assert db.session.get(User, gym.other_coach) is None
        assert db.session.get(Subscription, gym.zed_sub) is None
        assert db.session.get(User, gym.zed) is not None  # their client keeps their own account


def test_after_deleting_her_account_her_coach_sees_none_of_her_words_in_notices_or_on_home(app, gym, as_ada, auth):
    """A notice quotes what a client wrote (a message, a comment, why she skipped): deleting her
    account takes the notices about her with what they quote; the coach's notices about others stay."""
    squats = plan(app, gym.ada_sub, gym.today, title="Squat day")
    team_day = plan(app, gym.ada_team, gym.today - timedelta(days=1), title="Team lifts")
    assert as_ada.post(f"/messages/{gym.coach}/{gym.ada}", data={"body": "My knee hurts on deep squats"}).status_code == 302
    assert as_ada.post(f"/my/sessions/{squats}/comments", data={"body": "Felt a twinge on set three"}).status_code == 302
    post_log(as_ada, team_day, {}, status="skipped", notes="Hospital appointment", day=gym.today - timedelta(days=1))
    post_log(as_ada, squats, {1: {"exercise_id": exercise_id(app, "Back Squat"), "reps": 5, "load": 200}})  # a record
    ben = app.test_client()
    ben.post("/login", data={"email": "ben@example.com", "password": PASSWORD})
    assert ben.post(f"/messages/{gym.coach}/{gym.ben}", data={"body": "Shall we add a fourth day?"}).status_code == 302
    hers = ("My knee hurts", "twinge on set three", "Hospital appointment", "Ada Athlete")
    coach = app.test_client()
    coach.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    before = coach.get("/notices").get_data(as_text=True)
    assert all(words in before for words in hers)

    assert as_ada.post("/my/settings/delete", data={"password": PASSWORD}).status_code == 302

    for page in ("/notices", "/home"):
        html = coach.get(page).get_data(as_text=True)
        assert not [words for words in hers if words in html], page
    assert "Shall we add a fourth day?" in coach.get("/notices").get_data(as_text=True)  # Ben's stays
