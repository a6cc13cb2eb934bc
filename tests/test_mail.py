"""One mail function: it writes the email to the outbox in the caller's transaction, the worker
sends it through SMTP, and nothing raises; without a mail server the email goes to the log."""

import logging
import socket

import pytest
from conftest import run_worker
from sqlalchemy import select

from fitr import mail
from fitr.extensions import db
from fitr.outbox import OutboxMessage


class Person:
    name = "Casey"


def write_reset(app, subject="Reset your fitr password", commit=True):
    with app.test_request_context():
        result = mail.send("casey@example.com", subject, "password_reset",
                           user=Person(), link="http://fitr.test/reset-password/abc", hours=2)  # fmt: skip
        if commit:
            db.session.commit()
        else:
            db.session.rollback()
        return result


def outbox_rows(app):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_mail_is_written_to_the_outbox_and_the_worker_sends_it_with_text_and_html(app, smtp):
    result = write_reset(app)
    assert result.queued and not result.sent
    [row] = outbox_rows(app)
    assert row.status == "queued" and row.to == "casey@example.com" and row.about == "password_reset"
    assert smtp.messages == []  # nothing went to SMTP from the caller

    assert run_worker(app) == 1
    [message] = smtp.wait_for(1)
    assert message["To"] == "casey@example.com"
    assert message["From"] == "fitr <coach-mail@fitr.test>"
    assert message["Subject"] == "Reset your fitr password"
    assert "http://fitr.test/reset-password/abc" in smtp.text(message)
    assert 'href="http://fitr.test/reset-password/abc"' in smtp.html(message)
    [row] = outbox_rows(app)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None


def test_an_email_whose_transaction_rolls_back_is_never_sent(app, smtp):
    write_reset(app, commit=False)
    assert outbox_rows(app) == []
    assert run_worker(app, sweep=True) == 0
    assert smtp.delivered() == []


def test_without_mail_server_the_message_is_logged_not_queued(app, caplog):
    with caplog.at_level(logging.WARNING, logger="fitr.mail"):
        result = write_reset(app)
    assert result.status == mail.NOT_CONFIGURED and not result.sent
    assert "MAIL_SERVER" in result.error
    assert "http://fitr.test/reset-password/abc" in caplog.text
    assert outbox_rows(app) == []


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.config(MAIL_SERVER="127.0.0.1")
def test_an_smtp_failure_is_recorded_on_the_row_and_tried_again_later(app):
    app.config["MAIL_PORT"] = closed_port()
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    write_reset(app)
    run_worker(app)
    [row] = outbox_rows(app)
    assert row.status == "queued" and row.attempts == 1
    assert "refused" in row.last_error.lower() or "connect" in row.last_error.lower()
    assert row.next_attempt_at > row.created_at


def test_a_header_with_a_line_break_fails_for_good_without_retrying(app, smtp):
    """A subject built from a name that holds a line break (an account made before names refused
    them) once made inviting a 500; the same email would fail the same way every time."""
    write_reset(app, subject="Casey\nBcc: everyone@example.com invited you")
    run_worker(app)
    [row] = outbox_rows(app)
    assert row.status == "failed" and row.attempts == 1 and "BadHeaderError" in row.last_error
    assert smtp.delivered() == []
