"""Invites: bring a client into a program and let them accept."""

from flask import Blueprint

bp = Blueprint("invites", __name__)

from fitr.invites import joining, public_join, routes  # noqa: E402,F401
