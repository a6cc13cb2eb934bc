"""What fitr tells people without being asked: notices of missed sessions and of invites about
to expire, the coach's daily digest, and comments and messages by email (batched). The worker
does what is due every 5 minutes; `flask notify` does it now. Both are safe to run twice at
once."""

from flask import Blueprint

# cli_group=None: the command is `flask notify`.
bp = Blueprint("scheduled", __name__, cli_group=None)


@bp.record_once
def notify_every_few_minutes(state):
    """The worker does what is due every 5 minutes, as `flask notify` does."""
    from fitr.scheduled.command import run_due
    from fitr.worker import register_job

    register_job(state.app, "notify", run_due)

from fitr.scheduled import command  # noqa: E402,F401
