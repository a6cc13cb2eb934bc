"""What is due, done by the worker every 5 minutes (and by `flask notify` when run by hand): a
planned day that passed in the client's time zone with no log tells the coach "missed"; an invite
about to expire tells them so; at 07:00 where the coach is, the daily digest goes out by email.
Run again, or twice at once, it tells and sends nothing twice."""

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from conftest import free_port, run_notify_twice_at_once, run_worker
from factories import (
    PASSWORD,
    TIME_ZONE,
    add_subscription,
    element,
    log,
    make_invite,
    make_program,
    make_user,
    plan,
    rows,
)
from sqlalchemy import update

from fitr.accounts.models import User
from fitr.clock import today_for
from fitr.conversations import rules as conversations
from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.notices.models import INVITE_EXPIRING, MISSED, Notice
from fitr.programs.models import PUBLISHED
from fitr.scheduled.models import Digest
from fitr.subscriptions.models import ACTIVE

pytestmark = pytest.mark.dates


def notify(runner):
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 0, result.output
    return result.output


def texts(app, user_id, kind):
    return [n.text for n in rows(app, Notice, user_id=user_id, kind=kind)]


def at(day, hour, minute=0, time_zone=None):
    """That wall-clock time on that day where the test accounts are (or in `time_zone`)."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(time_zone or TIME_ZONE))


def day_words(day):
    return f"{day:%a} {day.day} {day:%b}"


def test_a_session_that_passed_with_no_log_tells_the_coach_once(app, gym, runner):
    yesterday = gym.today - timedelta(days=1)
    plan(app, gym.ada_sub, yesterday, title="Squat day")
    logged = plan(app, gym.ben_sub, yesterday, title="Bench day")
    log(app, gym.ben, logged, today=gym.today, day=yesterday)
    plan(app, gym.ada_team, yesterday, title="Team lift")
    plan(app, gym.ada_sub, gym.today, title="Today's session")  # today has not passed yet
    assert "Notices: 2 missed" in notify(runner)
    assert sorted(texts(app, gym.coach, MISSED)) == [
        f"Ada Athlete missed Squat day (Strength 1-2-1) on {day_words(yesterday)}",
        f"Ada Athlete missed Team lift (Team Barbell) on {day_words(yesterday)}",
    ]
    [one_to_one] = rows(app, Notice, user_id=gym.coach, kind=MISSED, program_id=gym.strength)
    assert one_to_one.link == f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={yesterday.isoformat()}"
    [group] = rows(app, Notice, user_id=gym.coach, kind=MISSED, program_id=gym.team)
    assert group.link == f"/programs/{gym.team}/shared-calendar?date={yesterday.isoformat()}"
    assert "Notices: 0 missed" in notify(runner)  # run again: nothing new
    assert len(texts(app, gym.coach, MISSED)) == 2
    assert texts(app, gym.other_coach, MISSED) == []


@pytest.mark.parametrize("time_zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_missed_is_told_when_the_day_has_passed_where_the_client_is(app, coach, starter_exercises, runner, time_zone):
    program = make_program(app, coach, status=PUBLISHED, name="Far away")
    client = make_user(app, "Tao Far", "tao@example.com", is_coach=False, time_zone=time_zone)
    local = today_for(SimpleNamespace(time_zone=time_zone))
    sub = add_subscription(app, program, "tao@example.com", ACTIVE, client_id=client, start_date=local - timedelta(days=7),
                           with_calendar=True)  # fmt: skip
    plan(app, sub, local, title="Their today")
    plan(app, sub, local - timedelta(days=1), title="Their yesterday")
    notify(runner)
    assert texts(app, coach, MISSED) == [f"Tao Far missed Their yesterday (Far away) on {day_words(local - timedelta(days=1))}"]


def test_an_invite_about_to_expire_tells_the_coach_once(app, gym, runner):
    soon = make_invite(app, gym.strength, "eve@example.com")
    make_invite(app, gym.strength, "fay@example.com")  # expires in days, not hours
    expiry = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + timedelta(hours=20)
    with app.app_context():
        db.session.execute(update(Invite).where(Invite.id == soon.id).values(expires_at=expiry))
        db.session.commit()
    assert "1 invites expiring" in notify(runner)
    [notice] = rows(app, Notice, user_id=gym.coach, kind=INVITE_EXPIRING)
    there = expiry.replace(tzinfo=UTC).astimezone(ZoneInfo(TIME_ZONE))  # where the coach is
    assert notice.text == f"The invite to eve@example.com (Strength 1-2-1) expires on {day_words(there)} at {there:%H:%M}"
    assert notice.link == f"/programs/{gym.strength}/clients/pending"
    notify(runner)
    assert len(rows(app, Notice, user_id=gym.coach, kind=INVITE_EXPIRING)) == 1


def digests(smtp, count=1):
    """The digests the SMTP server received (Ada's messages may also be emailed to the coach)."""
    return [m for m in smtp.wait_for(count) if m["Subject"].startswith("Your fitr day")]


def digest_world(app, gym):
    """Ben trained today, Ada missed yesterday and wrote twice; Olive (the other coach) wants no
    digest."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == gym.other_coach).values(email_digest=False))
        db.session.commit()
    yesterday = gym.today - timedelta(days=1)
    trained = plan(app, gym.ben_sub, gym.today, title="Bench day")
    log(app, gym.ben, trained, today=gym.today)
    plan(app, gym.ada_sub, yesterday, title="Squat day")
    for day in (gym.today + timedelta(days=n) for n in range(3)):
        plan(app, gym.ada_team, day)
    with app.app_context():
        ada = db.session.get(User, gym.ada)
        for body in ("Can we move Friday?", "Or Saturday?"):
            conversations.post(conversations.direct_thread(gym.coach, gym.ada), ada, body)
        db.session.commit()
    return yesterday


def test_the_daily_digest_says_who_trained_missed_and_needs_training(app, gym, smtp, runner, time_machine):
    time_machine.move_to(at(gym.today, 7, 2))
    yesterday = digest_world(app, gym)
    assert "Digests sent: 1" in notify(runner)
    [email] = smtp.wait_for(1)
    assert email["To"] == "casey@example.com"
    assert email["Subject"] == "Your fitr day: 1 trained, 1 missed, 2 need training"
    body = smtp.text(email)
    assert "- Ben Athlete: Bench day (Strength 1-2-1)" in body
    assert (f"- Ada Athlete: Squat day (Strength 1-2-1) http://127.0.0.1:5000/programs/{gym.strength}/clients/"
            f"{gym.ada_sub}/calendar?date={yesterday.isoformat()}") in body  # fmt: skip
    assert "- Ada Athlete (Strength 1-2-1): 0 days scheduled ahead" in body
    assert "- Ben Athlete (Strength 1-2-1): 1 day scheduled ahead" in body
    assert "Team Barbell): " not in body  # Ada has three days ahead there
    assert "Unread messages and comments: 2" in body
    html = smtp.html(email)
    assert element(html, "a", "Open your Home")["href"] == "http://127.0.0.1:5000/home"
    assert "Digests sent: 0" in notify(runner)  # the same day: never twice
    time_machine.move_to(at(gym.today + timedelta(days=1), 7))
    assert "Digests sent: 1" in notify(runner)  # the next day's
    assert len(digests(smtp, 2)) == 2


def test_the_digest_waits_for_7_where_the_coach_is_and_can_be_turned_off(app, gym, smtp, runner, time_machine, client):
    with app.app_context():
        db.session.execute(update(User).where(User.id == gym.coach).values(time_zone="America/New_York"))
        db.session.commit()
    digest_world(app, gym)
    time_machine.move_to(at(gym.today, 6, 30, "America/New_York"))
    assert "Digests sent: 0" in notify(runner)
    time_machine.move_to(at(gym.today, 7, 5, "America/New_York"))
    assert "Digests sent: 1" in notify(runner)
    assert smtp.wait_for(1)[0]["To"] == "casey@example.com"
    assert rows(app, Digest)[0].day == gym.today

    # Settings: untick the digest, and none comes the next day.
    client.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    response = client.post("/my/settings/email", data={"email_comments": "y", "email_messages": "y"})
    assert response.status_code == 302
    time_machine.move_to(at(gym.today + timedelta(days=1), 7, 5, "America/New_York"))
    assert "Digests sent: 0" in notify(runner)
    assert len(digests(smtp)) == 1


def test_the_worker_sends_the_digest_as_one_of_its_every_5_minutes_jobs_once_a_day(app, gym, smtp, time_machine):
    time_machine.move_to(at(gym.today, 7, 4))
    digest_world(app, gym)
    huey = app.extensions["huey"]

    def worker_at(minute):
        """The worker's scheduler at that minute of the hour, then its threads: run whatever is
        queued (the periodic tasks, then the emails they wrote)."""
        periodic = huey.read_periodic(datetime.combine(gym.today, time(7, minute)))
        for task in periodic:
            huey.enqueue(task)
        run_worker(app)
        return {task.name for task in periodic}

    assert worker_at(4) == {"sweep", "push_due"}  # every minute: the outbox's sweep, and the pushes due
    assert digests(smtp, 0) == []
    time_machine.move_to(at(gym.today, 7, 5))
    assert worker_at(5) == {"sweep", "push_due", "jobs"}  # every 5 minutes: the areas' jobs, notify among them
    [email] = digests(smtp)
    assert email["To"] == "casey@example.com"
    assert element(smtp.html(email), "a", "Open your Home")["href"] == "http://127.0.0.1:5000/home"
    assert len(texts(app, gym.coach, MISSED)) == 1  # Ada's Squat day, told by the same job
    time_machine.move_to(at(gym.today, 7, 10))
    assert worker_at(10) == {"sweep", "push_due", "jobs"}
    assert len(digests(smtp, 2)) == 1 and len(rows(app, Digest)) == 1  # once a day


def test_two_copies_running_at_once_send_one_digest(app, gym, smtp, time_machine):
    time_machine.move_to(at(gym.today, 8))
    digest_world(app, gym)
    done = run_notify_twice_at_once(app)
    assert sorted(d["digests"] for d in done) == [0, 1]
    assert sum(d["missed"] for d in done) == 1  # Ada's Squat day, told once
    assert len(digests(smtp)) == 1
    assert len(texts(app, gym.coach, MISSED)) == 1


def test_a_digest_that_could_not_be_sent_is_tried_again_by_the_worker(app, gym, smtp, runner, time_machine):
    time_machine.move_to(at(gym.today, 9))
    digest_world(app, gym)
    up = app.extensions["mail"].port
    app.extensions["mail"].port = free_port()  # the SMTP server is down: nothing listens there
    assert "Digests sent: 1" in notify(runner)  # claimed and written to the outbox together
    run_worker(app)
    assert smtp.messages == [] and len(rows(app, Digest)) == 1
    assert "Digests sent: 0" in notify(runner)  # never a second digest for the day

    app.extensions["mail"].port = up
    time_machine.move_to(at(gym.today, 9, 2))
    run_worker(app, sweep=True)
    assert len(digests(smtp)) == 1


def test_email_settings_are_saved_and_shown(app, gym, client):
    client.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    page = client.get("/my/settings").get_data(as_text=True)
    for label in ("New comments on my sessions", "New messages", "A daily digest at 07:00"):
        assert label in page
    assert "checked" in element(page, "input", name="email_digest")
    response = client.post("/my/settings/email", data={"email_messages": "y"})
    assert response.status_code == 302
    page = client.get("/my/settings").get_data(as_text=True)
    assert "checked" not in element(page, "input", name="email_comments")
    assert "checked" in element(page, "input", name="email_messages")
    with app.app_context():
        coach = db.session.get(User, gym.coach)
        assert (coach.email_comments, coach.email_messages, coach.email_digest) == (False, True, False)


def test_a_client_has_no_digest_to_turn_on(app, coach):
    make_user(app, "Cal Client", "cal@example.com", is_coach=False)
    client = app.test_client()
    client.post("/login", data={"email": "cal@example.com", "password": PASSWORD})
    page = client.get("/my/settings").get_data(as_text=True)
    assert "New messages" in page and "daily digest" not in page
