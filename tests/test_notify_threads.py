"""Comments and messages by email, batched by `flask notify`: at most one email per thread per
person every 15 minutes, saying how many are new, never about what was read in fitr, never to
someone who turned it off in Settings, and never twice when two copies run at once."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import free_port, run_notify_twice_at_once, run_worker
from factories import PASSWORD, element, one, plan, update_user

from fitr.outbox import OutboxMessage


@pytest.fixture(autouse=True)
def no_digests(app, gym):
    """Only the emails these tests are about: both coaches turned their daily digest off."""
    update_user(app, gym.coach, email_digest=False)
    update_user(app, gym.other_coach, email_digest=False)


def logged_in_as(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def later(time_machine, delta):
    """Move the pinned clock on by `delta`."""
    time_machine.move_to(datetime.now(UTC) + delta)


def notify(runner):
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 0, result.output
    return result.output


def comment(client, session_id, body):
    assert client.post(f"/my/sessions/{session_id}/comments", data={"body": body}).status_code == 302


def message(client, coach_id, client_id, body):
    assert client.post(f"/messages/{coach_id}/{client_id}", data={"body": body}).status_code == 302


def to(smtp, email):
    return [m for m in smtp.delivered() if m["To"] == email]


def test_the_coach_gets_one_email_per_thread_every_15_minutes_saying_how_many_are_new(
    app, gym, as_ada, smtp, runner, time_machine
):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    comment(as_ada, session_id, "Knee felt odd on set 3")
    assert "emails sent: 0" in notify(runner)  # written a moment ago: the coach may be reading it
    later(time_machine, timedelta(minutes=3))
    assert "emails sent: 1" in notify(runner)
    [email] = to(smtp, "casey@example.com")
    assert email["Subject"] == "Ada Athlete: 1 new comment on Squat day"
    body = smtp.text(email)
    assert "Knee felt odd on set 3" in body
    link = f"http://127.0.0.1:5000/programs/{gym.strength}/sessions/{session_id}/edit?client={gym.ada}"
    assert f"Read and answer in fitr: {link}" in body
    assert element(smtp.html(email), "a", "Read and answer in fitr")["href"] == link

    comment(as_ada, session_id, "Also my grip")
    comment(as_ada, session_id, "And <b>this</b>")
    later(time_machine, timedelta(minutes=5))
    assert "emails sent: 0" in notify(runner)  # 5 minutes after the last email
    later(time_machine, timedelta(minutes=11))  # 16
    assert "emails sent: 1" in notify(runner)
    second = to(smtp, "casey@example.com")[1]
    assert second["Subject"] == "Ada Athlete: 3 new comments on Squat day"  # none read yet
    assert "And <b>this</b>" in smtp.text(second) and "&lt;b&gt;this&lt;/b&gt;" in smtp.html(second)
    later(time_machine, timedelta(minutes=20))
    assert "emails sent: 0" in notify(runner)  # nothing newer than the last email


def test_what_was_read_in_fitr_is_not_emailed(app, gym, as_ada, smtp, runner, time_machine):
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    comment(as_ada, session_id, "Knee felt odd on set 3")
    coach = logged_in_as(app, "casey@example.com")
    coach.get(f"/programs/{gym.strength}/sessions/{session_id}/edit?client={gym.ada}")  # reads it
    later(time_machine, timedelta(minutes=3))
    assert "emails sent: 0" in notify(runner)
    assert smtp.delivered() == []


def test_the_client_gets_her_coachs_messages_by_email_unless_she_turned_it_off(
    app, gym, as_ada, smtp, runner, time_machine
):
    coach = logged_in_as(app, "casey@example.com")
    message(coach, gym.coach, gym.ada, "How did the squats feel?")
    later(time_machine, timedelta(minutes=3))
    notify(runner)
    [email] = to(smtp, "ada@example.com")
    assert email["Subject"] == "Casey Coach: 1 new message"
    assert f"http://127.0.0.1:5000/messages/{gym.coach}/{gym.ada}" in smtp.text(email)

    as_ada.post("/my/settings/email", data={"email_comments": "y"})  # messages: off
    message(coach, gym.coach, gym.ada, "Ada?")
    later(time_machine, timedelta(minutes=20))
    assert "emails sent: 0" in notify(runner)
    assert len(to(smtp, "ada@example.com")) == 1


def test_comments_can_be_turned_off_separately(app, gym, as_ada, smtp, runner, time_machine):
    update_user(app, gym.coach, email_comments=False)
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    comment(as_ada, session_id, "Knee felt odd")
    message(as_ada, gym.coach, gym.ada, "And a question")
    later(time_machine, timedelta(minutes=3))
    notify(runner)
    assert [m["Subject"] for m in to(smtp, "casey@example.com")] == ["Ada Athlete: 1 new message"]


def test_two_copies_at_once_send_one_email_per_thread(app, gym, as_ada, smtp, time_machine):
    message(as_ada, gym.coach, gym.ada, "Can we move Friday?")
    later(time_machine, timedelta(minutes=3))
    done = run_notify_twice_at_once(app)
    assert sorted(d["emails"] for d in done) == [0, 1]
    assert len(smtp.wait_for(1)) == 1


def test_an_email_that_could_not_be_sent_is_tried_again_by_the_worker_and_written_once(
    app, gym, as_ada, smtp, runner, time_machine
):
    message(as_ada, gym.coach, gym.ada, "Can we move Friday?")
    later(time_machine, timedelta(minutes=3))
    up = app.extensions["mail"].port
    app.extensions["mail"].port = free_port()  # the SMTP server is down: nothing listens there
    assert "emails sent: 1" in notify(runner)  # written to the outbox with its claim
    run_worker(app)
    assert smtp.messages == [] and one(app, OutboxMessage).status == "queued"
    later(time_machine, timedelta(minutes=20))
    assert "emails sent: 0" in notify(runner)  # the claim holds: the worker has the email

    app.extensions["mail"].port = up  # back up
    run_worker(app, sweep=True)
    assert [m["Subject"] for m in to(smtp, "casey@example.com")] == ["Ada Athlete: 1 new message"]
