"""Settings > Reminders by Web Push, against a push service stood in on loopback
(tests/push_stub.py) that checks each push's VAPID signature and decrypts it as the phone would:
turning reminders on for a phone, the training reminder at the client's time on their training
days, the coach's reply and the coach's notices as pushes, a subscription the push service says
is gone, a push service that fails and then takes the push, and email where there is no phone."""

import base64
import json
import os
import stat
from datetime import UTC, date, datetime

import pytest
import time_machine
from conftest import run_twice_at_once, run_worker
from cryptography.hazmat.primitives.asymmetric import ec
from factories import PASSWORD, add_subscription, count, make_program, make_user, plan
from push_stub import PushService

from fitr import create_app
from fitr.extensions import db
from fitr.outbox import QUEUED, SENT
from fitr.programs.models import GROUP
from fitr.push import keys
from fitr.push.models import PushMessage, PushSubscription
from fitr.subscriptions.models import ACTIVE

# The server's VAPID key, as an operator sets it (VAPID_PRIVATE_KEY: the raw key, base64url).
SERVER_KEY = base64.urlsafe_b64encode(
    ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")
).rstrip(b"=").decode()

pytestmark = pytest.mark.config(PUSH_ALLOW_LOOPBACK=True, VAPID_PRIVATE_KEY=SERVER_KEY)

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14: its 11 November starts at 10:00 UTC on the 10th
TRAINING_DAY, REST_DAY = date(2026, 11, 11), date(2026, 11, 12)


@pytest.fixture
def push_service(app):
    service = PushService().start()
    with app.app_context():
        service.server_key = keys.public_key()
    yield service
    service.stop()


def log_in(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def turn_on_phone(client, push_service):
    """What push.js does once the browser has subscribed: post its subscription."""
    browser = push_service.subscribe()
    response = client.post("/my/settings/reminders/browsers", data=browser.subscription())
    assert response.status_code == 201, response.get_json()
    return browser


def choose(client, **chosen):
    data = {name: "y" for name, on in chosen.items() if on is True}
    data["training_at"] = chosen.get("training_at", "07:00")
    response = client.post("/my/settings/reminders", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def worker_minute(app, moment):
    """The worker's every-minute run at `moment` (UTC), then every push it enqueued."""
    with time_machine.travel(moment, tick=False):
        app.extensions["huey"].execute(app.extensions["push_tasks"]["every_minute"].s())
        run_worker(app)


@pytest.fixture
def kiritimati_client(app, coach, starter_exercises):
    """Ada, in Pacific/Kiritimati, active in Casey's 1-2-1 program with Lower body on 11
    November (her day) and nothing on the 12th."""
    ada = make_user(app, "Ada Athlete", "ada@example.com", is_coach=False, time_zone=KIRITIMATI)
    program = make_program(app, coach, status="published", name="Strength 1-2-1")
    subscription = add_subscription(app, program, "ada@example.com", status=ACTIVE, client_id=ada,
                                    start_date=date(2026, 11, 10), with_calendar=True)  # fmt: skip
    plan(app, subscription, TRAINING_DAY, title="Lower body")
    return ada


def test_client_in_kiritimati_is_reminded_at_their_0700_on_training_days_only(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True, training_at="07:00")

    worker_minute(app, datetime(2026, 11, 10, 16, 59, tzinfo=UTC))  # 06:59 on the 11th, hers
    assert phone.pushes == []
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))  # 07:00 on the 11th
    assert phone.pushes == [{"title": "Training today", "body": "Lower body", "url": "/my"}]
    worker_minute(app, datetime(2026, 11, 10, 17, 5, tzinfo=UTC))  # told once
    worker_minute(app, datetime(2026, 11, 11, 17, 0, tzinfo=UTC))  # 07:00 on the 12th: a rest day
    assert len(phone.pushes) == 1
    assert push_service.refused == []


def test_a_reminder_time_of_their_choice(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True, training_at="18:30")
    worker_minute(app, datetime(2026, 11, 11, 4, 29, tzinfo=UTC))  # 18:29 on the 11th
    assert phone.pushes == []
    worker_minute(app, datetime(2026, 11, 11, 4, 30, tzinfo=UTC))
    assert [push["body"] for push in phone.pushes] == ["Lower body"]


def test_no_reminder_for_someone_who_did_not_choose_it(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    assert phone.pushes == []


def test_training_reminder_comes_by_email_without_a_phone(app, kiritimati_client, smtp):
    ada = log_in(app, "ada@example.com")
    choose(ada, training=True)
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    [email] = smtp.wait_for(1)
    assert email["To"] == "ada@example.com"
    assert email["Subject"] == "Training today: Lower body"
    assert "/my" in smtp.text(email)


def test_a_subscription_the_push_service_says_is_gone_is_removed(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True)
    phone.gone = True
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    assert count(app, PushSubscription) == 0
    assert count(app, PushMessage) == 0


def test_worker_tries_again_after_the_push_service_fails(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True)
    phone.failures = 1
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    assert phone.pushes == []
    with app.app_context():
        [push] = db.session.query(PushMessage).all()
        assert (push.status, push.attempts) == (QUEUED, 1)
    worker_minute(app, datetime(2026, 11, 10, 17, 1, tzinfo=UTC))  # the first pause is a minute
    assert [push["title"] for push in phone.pushes] == ["Training today"]
    with app.app_context():
        assert db.session.query(PushMessage).one().status == SENT


def test_push_service_that_does_not_answer_is_tried_again(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True)
    with app.app_context():
        browser = db.session.query(PushSubscription).one()
        browser.endpoint = "http://127.0.0.1:9/push/closed"  # nothing listens there
        db.session.commit()
    worker_minute(app, datetime(2026, 11, 10, 17, 0, tzinfo=UTC))
    with app.app_context():
        push = db.session.query(PushMessage).one()
        assert (push.status, push.attempts) == (QUEUED, 1)
        assert "Connection" in push.last_error
    assert phone.pushes == []


def test_client_hears_that_their_coach_replied(app, coach, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, coach_replied=True)
    casey = log_in(app, "casey@example.com")
    response = casey.post(f"/messages/{coach}/{kiritimati_client}", data={"body": "Deload this week, please"})
    assert response.status_code in (200, 302)
    run_worker(app)
    assert phone.pushes == [{"title": "Your coach replied", "body": "Casey Coach sent you a message",
                             "url": f"/messages/{coach}/{kiritimati_client}"}]  # fmt: skip
    assert "Deload" not in str(phone.pushes)  # no more than a notice would say


def test_coach_who_chose_it_hears_of_a_clients_message(app, coach, kiritimati_client, push_service):
    casey = log_in(app, "casey@example.com")
    phone = turn_on_phone(casey, push_service)
    choose(casey, client_messages=True)
    ada = log_in(app, "ada@example.com")
    assert ada.post(f"/messages/{coach}/{kiritimati_client}", data={"body": "Knee feels fine"}).status_code in (200, 302)
    run_worker(app)
    [push] = phone.pushes
    assert push["title"] == "New message"
    with app.app_context():
        from fitr.notices.models import Notice

        notice = db.session.query(Notice).filter_by(user_id=coach).one()
        assert (push["body"], push["url"]) == (notice.text, notice.link)  # the notice's words, no more


def test_coach_who_did_not_choose_it_hears_nothing(app, coach, kiritimati_client, push_service):
    casey = log_in(app, "casey@example.com")
    phone = turn_on_phone(casey, push_service)
    choose(casey, client_logs=True)
    ada = log_in(app, "ada@example.com")
    ada.post(f"/messages/{coach}/{kiritimati_client}", data={"body": "Knee feels fine"})
    run_worker(app)
    assert phone.pushes == []


# --- turning reminders on for a phone ----------------------------------------------------------


def test_a_phone_taken_over_by_another_person_stops_telling_the_first(app, kiritimati_client, push_service):
    browser = push_service.subscribe()
    ada = log_in(app, "ada@example.com")
    assert ada.post("/my/settings/reminders/browsers", data=browser.subscription()).status_code == 201
    make_user(app, "Ben Athlete", "ben@example.com", is_coach=False)
    ben = log_in(app, "ben@example.com")
    assert ben.post("/my/settings/reminders/browsers", data=browser.subscription()).status_code == 201
    with app.app_context():
        [row] = db.session.query(PushSubscription).all()
        assert row.user_id != kiritimati_client


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"endpoint": "https://10.0.0.5/push/x"}, "not a push service"),
        ({"endpoint": "http://push.example.com/x"}, "not a push service"),
        ({"endpoint": "https://localhost/push"}, "not a push service"),
        ({"p256dh": base64.urlsafe_b64encode(b"\x04" + os.urandom(64)).decode()}, "push key"),
        ({"auth": "short"}, "push secret"),
        ({"endpoint": ""}, "no push endpoint"),
    ],
)
def test_a_subscription_that_is_not_a_browsers_is_refused(app, kiritimati_client, push_service, change, message):
    ada = log_in(app, "ada@example.com")
    response = ada.post("/my/settings/reminders/browsers", data={**push_service.subscribe().subscription(), **change})
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert count(app, PushSubscription) == 0


def test_turning_a_phone_off_and_only_ones_own(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    browser = turn_on_phone(ada, push_service)
    make_user(app, "Ben Athlete", "ben@example.com", is_coach=False)
    ben = log_in(app, "ben@example.com")
    assert ben.post("/my/settings/reminders/browsers/remove", data={"endpoint": browser.endpoint}).status_code == 404
    assert count(app, PushSubscription) == 1
    assert ada.post("/my/settings/reminders/browsers/remove", data={"endpoint": browser.endpoint}).status_code == 200
    assert count(app, PushSubscription) == 0


def test_logged_out_visitor_cannot_turn_reminders_on(app, push_service):
    visitor = app.test_client()
    response = visitor.post("/my/settings/reminders/browsers", data=push_service.subscribe().subscription())
    assert response.status_code in (302, 401)
    assert count(app, PushSubscription) == 0


# --- the choices, without JavaScript -----------------------------------------------------------


def test_reminders_are_chosen_with_a_plain_form(app, coach, kiritimati_client):
    ada = log_in(app, "ada@example.com")
    choose(ada, training=True, training_at="06:15", new_training=True)
    page = ada.get("/my/settings/reminders").get_data(as_text=True)
    assert 'value="06:15"' in page
    assert "My clients" not in page  # a client has no clients
    casey = log_in(app, "casey@example.com")
    assert "My clients&#39; logs" in casey.get("/my/settings/reminders").get_data(as_text=True)


def test_a_time_that_is_not_a_time_is_refused_and_nothing_saved(app, kiritimati_client):
    ada = log_in(app, "ada@example.com")
    response = ada.post("/my/settings/reminders", data={"training": "y", "training_at": "7 in the morning"})
    assert response.status_code == 400
    assert "like 07:00" in response.get_data(as_text=True)
    from fitr.push.models import Reminders

    assert count(app, Reminders) == 0


def test_reminders_page_runs_a_fixed_number_of_queries(app, coach, count_queries, push_service):
    casey = log_in(app, "casey@example.com")
    casey.get("/my/settings/reminders")
    with count_queries() as one:
        casey.get("/my/settings/reminders")
    for _ in range(5):
        turn_on_phone(casey, push_service)
    choose(casey, client_logs=True)
    with count_queries() as many:
        casey.get("/my/settings/reminders")
    assert many.count == one.count


# --- the server's VAPID key --------------------------------------------------------------------


def test_vapid_key_is_generated_once_into_a_fresh_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("FITR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")}  # fmt: skip
    first = create_app(settings)
    with first.app_context():
        public = keys.public_key()
    path = tmp_path / "instance" / "vapid_private_key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = create_app(settings)
    with again.app_context():
        assert keys.public_key() == public  # the same key after a restart


def test_pages_hand_out_the_public_key_never_the_private_one(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    page = ada.get("/my/settings/reminders").get_data(as_text=True)
    assert f'data-key="{push_service.server_key}"' in page
    assert SERVER_KEY not in page


# --- what other people's writes push ------------------------------------------------------------


def coach_adds_session(app, coach_client, subscription_id, day, title="Heavy day"):
    from factories import calendar_id, session_form

    with app.app_context():
        from fitr.subscriptions.models import Subscription

        program_id = db.session.get(Subscription, subscription_id).program_id
    url = f"/programs/{program_id}/calendars/{calendar_id(app, subscription_id)}/sessions"
    response = coach_client.post(url, data=session_form(title, [], day=day), headers={"HX-Request": "true"})
    assert response.status_code == 200, response.get_data(as_text=True)


def ada_subscription(app):
    with app.app_context():
        from fitr.subscriptions.models import Subscription

        return db.session.query(Subscription).one().id


def test_client_hears_of_new_training_on_their_calendar(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, new_training=True)
    coach_adds_session(app, log_in(app, "casey@example.com"), ada_subscription(app), date(2026, 11, 20))
    run_worker(app)
    assert phone.pushes == [{"title": "New training on your calendar",
                             "body": "Your coach added training to your calendar", "url": "/my"}]  # fmt: skip
    assert "Heavy day" not in str(phone.pushes)  # it may be beyond what the client can see yet


def test_new_training_comes_by_email_without_a_phone(app, kiritimati_client, smtp):
    choose(log_in(app, "ada@example.com"), new_training=True)
    coach_adds_session(app, log_in(app, "casey@example.com"), ada_subscription(app), date(2026, 11, 20))
    [email] = smtp.wait_for(1)
    assert (email["To"], email["Subject"]) == ("ada@example.com", "New training on your calendar")


def test_coach_who_chose_it_hears_of_a_clients_log(app, coach, kiritimati_client, push_service):
    from factories import post_log

    casey = log_in(app, "casey@example.com")
    phone = turn_on_phone(casey, push_service)
    choose(casey, client_logs=True)
    with app.app_context():
        from fitr.calendars.models import Session

        session_id = db.session.query(Session).one().id
    ada = log_in(app, "ada@example.com")
    with time_machine.travel(datetime(2026, 11, 10, 20, 0, tzinfo=UTC)):  # her 11th, the session's day
        response, _ = post_log(ada, session_id, {}, status="skipped", notes="Travelling")
        assert response.status_code == 302
        run_worker(app)
    assert [(push["title"], push["body"]) for push in phone.pushes] == [
        ("A client logged", "Ada Athlete skipped Lower body (Strength 1-2-1): Travelling")
    ]


def test_download_my_data_has_my_reminders(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    turn_on_phone(ada, push_service)
    choose(ada, training=True, training_at="06:45")
    reminders = json.loads(ada.get("/my/settings/export").get_data())["reminders"]
    assert (reminders["training"], reminders["training_at"], len(reminders["phones_turned_on"])) == (True, "06:45", 1)
    assert push_service.url not in json.dumps(reminders)  # not the phone's push address: it is the phone's


def test_logging_out_turns_reminders_off_on_this_phone(app, kiritimati_client, push_service):
    ada = log_in(app, "ada@example.com")
    turn_on_phone(ada, push_service)
    elsewhere = log_in(app, "ada@example.com")
    other_phone = turn_on_phone(elsewhere, push_service)
    assert ada.post("/logout").status_code == 302
    with app.app_context():
        # A shared phone tells the next person nothing of hers; her other phone keeps reminding her.
        assert [row.endpoint for row in db.session.query(PushSubscription)] == [other_phone.endpoint]


def test_two_workers_at_once_remind_once(app, kiritimati_client, push_service):
    from fitr.push.reminders import send_training_reminders

    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, training=True)
    with time_machine.travel(datetime(2026, 11, 10, 17, 0, tzinfo=UTC), tick=False):
        done = run_twice_at_once(app, send_training_reminders)
        assert sorted(done) == [0, 1], done
        run_worker(app)
    assert len(phone.pushes) == 1


def test_group_clients_hear_of_new_training_on_the_shared_calendar(app, coach, push_service):
    program = make_program(app, coach, status="published", name="Team Barbell", type=GROUP)
    clients = {}
    for name in ("Ada", "Ben"):
        email = f"{name.lower()}@example.com"
        user = make_user(app, f"{name} Athlete", email, is_coach=False)
        clients[name] = add_subscription(app, program, email, status=ACTIVE, client_id=user, start_date=date(2026, 11, 10),
                                         with_calendar=True)  # fmt: skip
    ada = log_in(app, "ada@example.com")
    phone = turn_on_phone(ada, push_service)
    choose(ada, new_training=True)
    coach_adds_session(app, log_in(app, "casey@example.com"), clients["Ada"], date(2026, 11, 20))
    run_worker(app)
    assert [push["title"] for push in phone.pushes] == ["New training on your calendar"]  # Ben chose none


def test_deleting_my_account_takes_my_phones_and_reminders(app, kiritimati_client, push_service):
    from fitr.push.models import Reminders

    ada = log_in(app, "ada@example.com")
    turn_on_phone(ada, push_service)
    choose(ada, training=True)
    assert ada.post("/my/settings/delete", data={"password": PASSWORD}).status_code == 302
    assert (count(app, PushSubscription), count(app, Reminders)) == (0, 0)
