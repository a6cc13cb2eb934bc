"""One mail function: it sends through SMTP, logs when unconfigured, and never raises."""

import logging
import socket

import pytest

from fitr import mail


class Person:
    name = "Casey"


def send_reset(app):
    with app.test_request_context():
        return mail.send(
            "casey@example.com", "Reset your fitr password", "password_reset",
            user=Person(), link="http://fitr.test/reset-password/abc", hours=2,
        )


def test_mail_goes_through_smtp_with_text_and_html_parts(app, smtp):
    result = send_reset(app)
    assert result.sent and result.error is None
    [message] = smtp.wait_for(1)
    assert message["To"] == "casey@example.com"
    assert message["From"] == "fitr <coach-mail@fitr.test>"
    assert message["Subject"] == "Reset your fitr password"
    assert "http://fitr.test/reset-password/abc" in smtp.text(message)
    assert 'href="http://fitr.test/reset-password/abc"' in smtp.html(message)


def test_without_mail_server_the_message_is_logged_not_sent(app, caplog):
    with caplog.at_level(logging.WARNING, logger="fitr.mail"):
        result = send_reset(app)
    assert result.status == mail.NOT_CONFIGURED and not result.sent
    assert "MAIL_SERVER" in result.error
    assert "http://fitr.test/reset-password/abc" in caplog.text


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.config(MAIL_SERVER="127.0.0.1")
def test_smtp_failure_is_returned_not_raised(app):
    app.config["MAIL_PORT"] = closed_port()
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    result = send_reset(app)
    assert result.status == mail.FAILED
    assert "refused" in result.error.lower() or "connect" in result.error.lower()


def test_a_header_with_a_line_break_is_a_failed_send_not_an_error(app, smtp):
    """A subject built from a name that holds a line break (an account made before names refused
    them) once made inviting a 500."""
    with app.test_request_context():
        result = mail.send("casey@example.com", "Casey\nBcc: everyone@example.com invited you", "password_reset",
                           user=Person(), link="http://fitr.test/x", hours=2)  # fmt: skip
    assert result.status == mail.FAILED and "BadHeaderError" in result.error
    assert smtp.messages == []
