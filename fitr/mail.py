"""The one way fitr sends email. `send` renders the email and writes it to the outbox in the
caller's transaction (fitr.outbox); the worker (fitr.worker) hands it to the SMTP server with
`deliver`, which has a timeout and never raises. No request talks to SMTP.

With no MAIL_SERVER configured, `send` writes the email to the log at once and says so
(NOT_CONFIGURED), so the coach can copy an invite link instead.
"""

import logging
import smtplib

from flask import current_app, render_template
from flask_mail import BadHeaderError, Connection, Message

from fitr import outbox

log = logging.getLogger(__name__)

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"
NOT_CONFIGURED = "not_configured"


class MailResult:
    """What happened to an email: queued (in the outbox), sent, failed (`permanent` when trying
    again cannot help), or not configured."""

    def __init__(self, status, error=None, permanent=False, message=None):
        self.status, self.error, self.permanent, self.message = status, error, permanent, message

    @property
    def sent(self):
        return self.status == SENT

    @property
    def queued(self):
        return self.status == QUEUED


def configured():
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to, subject, template, reply_to=None, about=None, about_id=None, **context):
    """Write templates/email/<template>.txt and .html to `to` into the outbox (the caller
    commits). `about`/`about_id` say what it is about (default: the template's name)."""
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    if not configured():
        log.warning("MAIL_SERVER is not set; this email was not sent.\nTo: %s\nSubject: %s\n\n%s", to, subject, text)
        return MailResult(NOT_CONFIGURED, "Email is not configured on this server (MAIL_SERVER is not set).")
    message = outbox.write(to, subject, text, html, reply_to, about or template, about_id)
    return MailResult(QUEUED, message=message)


class TimedConnection(Connection):
    """Flask-Mail's SMTP connection, with a timeout (MAIL_TIMEOUT seconds) on every step: a
    server that accepts and never answers costs the worker that long, then a retry."""

    def configure_host(self):
        timeout = current_app.config.get("MAIL_TIMEOUT", 10)
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


PERMANENT = (BadHeaderError, UnicodeError, ValueError)  # the same email would fail the same way


def deliver(message):
    """Hand an outbox row to the SMTP server (or, without one, to the log). Never raises."""
    to, subject = message.to, message.subject
    if not configured():
        log.warning("MAIL_SERVER is not set; this email was not sent.\nTo: %s\nSubject: %s\n\n%s", to, subject, message.text)
        return MailResult(FAILED, "Email is not configured on this server (MAIL_SERVER is not set).")
    state = current_app.extensions["mail"]
    try:
        email = Message(subject=subject, recipients=[to], body=message.text, html=message.html,
                        reply_to=message.reply_to)  # fmt: skip
        with TimedConnection(state) as connection:
            connection.send(email)
    except PERMANENT as error:
        log.warning("Sending %r to %s failed: %s", subject, to, error)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500], permanent=True)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        log.warning("Sending %r to %s failed: %s", subject, to, error)
        return MailResult(FAILED, f"The mail server refused {to}: {error.recipients}"[:500],
                          permanent=all(code >= 500 for code in codes))  # fmt: skip
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Sending %r to %s failed: %s", subject, to, error)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500] or type(error).__name__)
    except Exception as error:  # never into the worker's loop: the row records what happened
        log.exception("Sending %r to %s failed unexpectedly", subject, to)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500])
    return MailResult(SENT)
