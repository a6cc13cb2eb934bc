"""What is due, done by the worker every 5 minutes (a job of its own, registered in
fitr/scheduled/__init__.py) and by `flask notify` when run by hand; running it again, or twice at
once, tells and sends nothing twice."""

import click
from flask import current_app

from fitr.extensions import db
from fitr.scheduled import bp
from fitr.scheduled.digest import send_digests
from fitr.scheduled.missed import tell_expiring, tell_missed
from fitr.scheduled.thread_emails import send_thread_emails
from fitr.worker import outside_request


def run_due():
    """Missed and expiring-invite notices, then the digests and the comment and message emails
    that are due. {what: how many}."""
    missed = tell_missed()
    expiring = tell_expiring()
    db.session.commit()
    return {"missed": missed, "expiring": expiring, "digests": send_digests(), "emails": send_thread_emails()}


@bp.cli.command("notify")
def notify_command():
    """Tell what is due now, as the worker does every 5 minutes: missed sessions, invites about
    to expire, daily digests, and comments and messages by email."""
    with outside_request(current_app._get_current_object()):
        done = run_due()
    click.echo(
        f"Notices: {done['missed']} missed, {done['expiring']} invites expiring. Digests sent: {done['digests']}. "
        f"Comment and message emails sent: {done['emails']}."
    )
