"""A person's own data: a copy of everything fitr keeps about them (JSON), and deleting their
account. Their coaches keep the programming they wrote, under Past clients, as "Deleted client"."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, cli_group=None)

from fitr.privacy import my_data_pages  # noqa: E402, F401
