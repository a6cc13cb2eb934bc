"""The client's side: today's training, logging, history and Personal Records; and what the
coach sees of it (a client's overview, Move to program)."""

from flask import Blueprint

bp = Blueprint("athlete", __name__)

from fitr.athlete import coach_routes, routes  # noqa: E402,F401
