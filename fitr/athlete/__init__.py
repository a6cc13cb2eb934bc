"""The client's side: today's training, logging, history and Personal Records."""

from flask import Blueprint

bp = Blueprint("athlete", __name__)

from fitr.athlete import routes  # noqa: E402,F401
