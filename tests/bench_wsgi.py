"""The app `make bench` serves through gunicorn: fitr as deployed, plus one bare route that,
after the same session cookie and user load as a real page, returns a response's own status and
bytes captured beforehand (BENCH_BODIES: a JSON file {name: [status, body]}). Its clock is the
load generator's (bench_calendar.start_bench_clock, from BENCH_SINCE), so "yesterday" and "ahead" are
the same every run. Never used outside the bench."""

import json
import os

from bench_calendar import start_bench_clock
from flask import request
from flask_login import current_user

from fitr import create_app

start_bench_clock(float(os.environ["BENCH_SINCE"]))

app = create_app()
with open(os.environ["BENCH_BODIES"], encoding="utf-8") as file:
    BODIES = json.load(file)


@app.route("/_bench/bare/<name>", methods=["GET", "POST"])
def bare(name):
    """The floor: the framework, the session cookie and loading the user; no query of its own,
    no template."""
    request.form  # noqa: B018 (a POST's body is read, as a real write's is)
    if not current_user.is_authenticated:
        return "Log in", 401
    status, body = BODIES[name]
    return body, status
