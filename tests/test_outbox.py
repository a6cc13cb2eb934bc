"""The outbox: no request talks to SMTP. An invite made while the SMTP server hangs is saved and
answered at once, shown Sending…, and goes out when SMTP answers again; a failing email is tried
again after longer and longer pauses, then shown Failed with Resend; an email enqueued twice
goes out once; and one whose enqueue was lost is found by the sweep."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from conftest import Mailbox, free_port, run_worker
from factories import element, one
from sqlalchemy import select, update

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.outbox import BACKOFF, STALE_CLAIM, OutboxMessage

STALLED_PORT = free_port()
CLOSED_PORT = free_port()


@pytest.fixture
def stalled_smtp():
    """A loopback socket that accepts connections and never says a word (an SMTP server that
    hangs). `answer()` closes it and starts a real SMTP server on the same port;
    `answer.connections()`: how many connections it took so far."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", STALLED_PORT))
    listener.listen(16)
    listener.setblocking(False)
    controllers, accepted = [], []

    def connections():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except BlockingIOError:
                return len(accepted)

    def answer():
        listener.close()
        mailbox = Mailbox("127.0.0.1", STALLED_PORT)
        controller = Controller(mailbox, hostname="127.0.0.1", port=STALLED_PORT)
        controller.start()
        controllers.append(controller)
        return mailbox

    answer.connections = connections
    yield answer
    for connection in accepted:
        connection.close()
    listener.close()
    for controller in controllers:
        controller.stop()


def invite_ada(logged_in, program_id):
    return logged_in.post(f"/programs/{program_id}/clients/new", data={"emails": "ada@example.com"})



@pytest.mark.config(MAIL_SERVER="127.0.0.1", MAIL_PORT=STALLED_PORT, MAIL_TIMEOUT=1)
def test_an_invite_with_smtp_hanging_is_answered_at_once_and_sent_when_smtp_answers(
    app, logged_in, published_program, stalled_smtp, time_machine
):
    time_machine.move_to(utcnow(), tick=False)
    response = invite_ada(logged_in, published_program)
    assert response.status_code == 302
    assert stalled_smtp.connections() == 0  # the request never called the mail server
    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    shown = element(pending, "li", id=f"invite-{one(app, Invite).id}")
    assert element(shown.html, "span", class_="chip chip-neutral").text == "Sending…"

    run_worker(app)  # the worker waits MAIL_TIMEOUT, then gives up on this try
    assert stalled_smtp.connections() == 1
    row = one(app, OutboxMessage)
    assert row.status == "queued" and row.attempts == 1 and "timed out" in row.last_error.lower()
    assert one(app, Invite).delivery_status == "sending"

    mailbox = stalled_smtp()  # SMTP answers again
    time_machine.shift(BACKOFF[0])
    run_worker(app, sweep=True)
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ada@example.com" and "invited you to" in message["Subject"]
    assert one(app, Invite).delivery_status == "sent"
    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    assert element(pending, "span", class_="chip chip-success").text == "Sent"


@pytest.mark.config(MAIL_SERVER="127.0.0.1", MAIL_PORT=CLOSED_PORT)
def test_a_failing_email_is_retried_with_growing_pauses_then_shown_failed_with_resend(
    app, logged_in, published_program, time_machine
):
    time_machine.move_to(utcnow(), tick=False)
    invite_ada(logged_in, published_program)
    run_worker(app)
    for attempt, pause in enumerate(BACKOFF, start=1):
        row = one(app, OutboxMessage)
        assert (row.status, row.attempts) == ("queued", attempt)
        assert row.next_attempt_at - utcnow() == pause
        assert one(app, Invite).delivery_status == "sending"
        run_worker(app, sweep=True)  # not due yet: nothing is tried
        assert one(app, OutboxMessage).attempts == attempt
        time_machine.shift(pause)
        run_worker(app, sweep=True)

    row = one(app, OutboxMessage)
    assert (row.status, row.attempts) == ("failed", len(BACKOFF) + 1)
    invite = one(app, Invite)
    assert invite.delivery_status == "failed"
    assert invite.delivery_error == "The email could not be delivered: the mail server refused it or could not be reached."
    assert "refused" in row.last_error.lower()  # the mail server's own words stay in the outbox, for the host
    time_machine.shift(timedelta(days=1))
    run_worker(app, sweep=True)
    assert one(app, OutboxMessage).attempts == len(BACKOFF) + 1  # failed for good

    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    shown = element(pending, "li", id=f"invite-{invite.id}").html
    assert element(shown, "span", class_="chip chip-danger").text == "Failed"
    assert element(shown, "button", text="Resend to ada@example.com")


def test_an_email_enqueued_twice_goes_out_once(app, smtp, logged_in, published_program):
    invite_ada(logged_in, published_program)
    message_id = one(app, OutboxMessage).id
    app.extensions["outbox_tasks"]["deliver"](message_id)  # a second enqueue of the same email
    huey = app.extensions["huey"]
    assert huey.pending_count() == 2
    start, errors = threading.Barrier(2), []

    def worker():
        try:
            task = huey.dequeue()
            start.wait(5)
            huey.execute(task)
        except Exception as error:  # noqa: BLE001 (the assertion below shows it)
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    time.sleep(0.3)
    assert len(smtp.wait_for(2, timeout=1)) == 1
    row = one(app, OutboxMessage)
    assert row.status == "sent" and row.attempts == 1


def test_an_email_whose_enqueue_was_lost_is_sent_by_the_sweep(app, smtp, logged_in, published_program):
    invite_ada(logged_in, published_program)
    app.extensions["huey"].flush()  # the queue lost it (a crash, a Redis restart)
    assert run_worker(app) == 0 and smtp.messages == []
    run_worker(app, sweep=True)
    [message] = smtp.wait_for(1)
    assert message["To"] == "ada@example.com"
    assert one(app, Invite).delivery_status == "sent"


def test_resend_drops_the_waiting_email_whose_link_no_longer_works(app, smtp, logged_in, published_program):
    invite_ada(logged_in, published_program)
    invite = one(app, Invite)
    logged_in.post(f"/invites/{invite.id}/resend")
    run_worker(app)
    assert len(smtp.wait_for(2, timeout=0.5)) == 1  # only the newest link goes out
    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)).all()
    assert statuses == ["failed", "sent"]
    assert one(app, Invite).delivery_status == "sent"


def test_an_email_left_claimed_by_a_worker_that_died_is_sent_by_the_next_sweep(
    app, smtp, logged_in, published_program, time_machine
):
    time_machine.move_to(utcnow(), tick=False)
    invite_ada(logged_in, published_program)
    app.extensions["huey"].flush()
    with app.app_context():  # a worker claimed it, then died before sending
        db.session.execute(update(OutboxMessage).values(status="sending", claimed_at=utcnow(), attempts=1))
        db.session.commit()
    run_worker(app, sweep=True)
    assert smtp.messages == []  # another worker may still be sending it
    time_machine.shift(STALE_CLAIM)
    run_worker(app, sweep=True)
    assert [m["To"] for m in smtp.wait_for(1)] == ["ada@example.com"]
    assert one(app, OutboxMessage).status == "sent"
