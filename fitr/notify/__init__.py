"""What fitr tells people without being asked: notices of missed sessions and of invites about
to expire, the coach's daily digest, and comments and messages by email (batched). `flask notify` does what is due; it is safe to
run every few minutes, and twice at once."""

from flask import Blueprint

# cli_group=None: the command is `flask notify`.
bp = Blueprint("notify", __name__, cli_group=None)

from fitr.notify import command  # noqa: E402,F401
