"""Clients: everyone across the coach's programs."""

from flask import Blueprint

bp = Blueprint("clients", __name__, url_prefix="/clients")

from fitr.clients import routes  # noqa: E402,F401
