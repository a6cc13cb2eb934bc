"""Invites: bring a client into a program and let them accept."""

from flask import Blueprint

bp = Blueprint("invites", __name__)

from fitr.invites import add_client_pages, joining, public_join  # noqa: E402,F401
