"""The one way fitr sends email. It never raises into a route: it returns what happened."""

import logging
import smtplib
from dataclasses import dataclass

from flask import current_app, render_template
from flask_mail import Message

from fitr.extensions import mail

log = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class MailResult:
    status: str
    error: str | None = None

    @property
    def sent(self):
        return self.status == SENT


def send(to, subject, template, reply_to=None, **context):
    """Send templates/email/<template>.txt and .html to `to`.

    With no MAIL_SERVER configured the message is written to the log instead.
    """
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    if not current_app.config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER is not set; this email was not sent.\nTo: %s\nSubject: %s\n\n%s", to, subject, text)
        return MailResult(NOT_CONFIGURED, "Email is not configured on this server (MAIL_SERVER is not set).")
    message = Message(subject=subject, recipients=[to], body=text, html=html, reply_to=reply_to)
    try:
        mail.send(message)
    except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as error:
        log.warning("Sending %r to %s failed: %s", subject, to, error)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500])
    return MailResult(SENT)
