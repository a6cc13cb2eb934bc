"""Conversations between a coach and a client: Messages (one direct thread per coach and client,
across programs) and comments (one thread per session and client). Both are threads of the same
kind, read and answered the same way; read markers say what each person has seen."""

from flask import Blueprint

bp = Blueprint("conversations", __name__)

from fitr.conversations import messages_page, threads  # noqa: E402,F401
