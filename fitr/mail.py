"""The one way fitr sends email. It never raises into a route: it returns what happened (a bad
header, an SMTP server that refuses or is unreachable: FAILED with the reason)."""

import logging
import smtplib
import threading
from dataclasses import dataclass

from flask import current_app, render_template
from flask_mail import BadHeaderError, Message

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
    return deliver(to, subject, text, html, reply_to)


def send_later(to, subject, template, reply_to=None, **context):
    """Send as `send` does, without making the request wait for the SMTP server: the email is
    written now and delivered from a thread of its own. For an answer that must take as long
    whatever happens (Forgot password)."""
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    app = current_app._get_current_object()

    def deliver_in_thread():
        with app.app_context():
            deliver(to, subject, text, html, reply_to)

    threading.Thread(target=deliver_in_thread, daemon=True).start()


def deliver(to, subject, text, html, reply_to=None):
    """Hand a written email to the SMTP server (or, without one, to the log)."""
    if not current_app.config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER is not set; this email was not sent.\nTo: %s\nSubject: %s\n\n%s", to, subject, text)
        return MailResult(NOT_CONFIGURED, "Email is not configured on this server (MAIL_SERVER is not set).")
    try:
        mail.send(Message(subject=subject, recipients=[to], body=text, html=html, reply_to=reply_to))
    except (smtplib.SMTPException, OSError, UnicodeError, ValueError, BadHeaderError) as error:
        log.warning("Sending %r to %s failed: %s", subject, to, error)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500])
    except Exception as error:  # never into a route: the caller records what happened
        log.exception("Sending %r to %s failed unexpectedly", subject, to)
        return MailResult(FAILED, f"{type(error).__name__}: {error}"[:500])
    return MailResult(SENT)
