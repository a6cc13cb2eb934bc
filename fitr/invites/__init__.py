"""Invites: bring a client into a program and let them accept."""

from flask import Blueprint

bp = Blueprint("invites", __name__)

from fitr.invites import joining, routes  # noqa: E402,F401
