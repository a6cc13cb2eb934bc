"""`flask notify`: do what is due. Run it every few minutes from cron or a systemd timer (the
README shows both); running it again, or twice at once, tells and sends nothing twice."""

import os

import click
from flask import current_app

from fitr.extensions import db
from fitr.notify import bp
from fitr.notify.digest import send_digests
from fitr.notify.notices import tell_expiring, tell_missed
from fitr.notify.threads import send_thread_emails


def run_due():
    """Missed and expiring-invite notices, then the digests and the comment and message emails
    that are due. {what: how many}."""
    missed = tell_missed()
    expiring = tell_expiring()
    db.session.commit()
    return {"missed": missed, "expiring": expiring, "digests": send_digests(), "emails": send_thread_emails()}


@bp.cli.command("notify")
def notify_command():
    """Tell what is due: missed sessions, invites about to expire, daily digests, and comments
    and messages by email."""
    base = current_app.config.get("BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    with current_app.test_request_context(base_url=base):
        done = run_due()
    click.echo(
        f"Notices: {done['missed']} missed, {done['expiring']} invites expiring. Digests sent: {done['digests']}. "
        f"Comment and message emails sent: {done['emails']}."
    )
