"""The app `make bench` serves through gunicorn: fitr as deployed, plus one bare route that,
after the same session cookie and user load as a real page, returns a response's own bytes
captured beforehand (BENCH_BODIES: a JSON file {name: body}). Never used outside the bench."""

import json
import os

from flask import request
from flask_login import current_user

from fitr import create_app

app = create_app()
with open(os.environ["BENCH_BODIES"], encoding="utf-8") as file:
    BODIES = json.load(file)


@app.route("/_bench/bare/<name>", methods=["GET", "POST"])
def bare(name):
    """The floor: the framework, the session cookie and loading the user; no query of its own,
    no template."""
    request.form  # noqa: B018 (a POST's body is read, as a real write's is)
    return BODIES[name] if current_user.is_authenticated else ("Log in", 401)
