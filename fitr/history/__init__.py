"""Training history: what clients logged, kept apart from what was planned (wger's lesson), and
what it adds up to (completion, Personal Records). Logs belong to the client: deleting a plan,
a subscription or a program never removes them. This area has no pages of its own; the
client's side (training) and the coach's views (calendars, clients) show it."""

from flask import Blueprint

# No pages: the blueprint only lends templates the ways a logged result is written out.
bp = Blueprint("history", __name__)

from fitr.history import formats  # noqa: E402,F401
