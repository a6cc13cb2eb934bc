"""The production server: `gunicorn wsgi:app` with several worker processes sharing one
database (SQLite here, PostgreSQL in the second run of `make test`), as a gym would host it."""

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port
from factories import PASSWORD, element

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def start_gunicorn(database_url, tmp_path, secret_key="a-long-random-production-secret", workers=3, extra_env=None):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "FITR_"))}
    env.update(DATABASE_URL=database_url, FITR_INSTANCE_PATH=str(tmp_path / "instance"), RATELIMIT_STORAGE_URI="memory://")
    env.update(extra_env or {})
    env.pop("SECRET_KEY", None)
    if secret_key:
        env["SECRET_KEY"] = secret_key
    process = subprocess.Popen(
        [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return process, f"http://127.0.0.1:{port}"


def wait_until_serving(process, url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url + "/login", timeout=2)
            return True
        except OSError:  # refused, reset, or a timeout on a busy machine (URLError is one too)
            time.sleep(0.2)
    return False


@pytest.fixture
def gunicorn(app, tmp_path):
    """gunicorn serving wsgi:app in production mode with three workers on the test database."""
    process, url = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    try:
        assert wait_until_serving(process, url), process.communicate(timeout=10)[0]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def form_token(html):
    return element(html, "input", name="csrf_token")["value"]


def test_coach_signs_up_and_works_across_several_gunicorn_workers(gunicorn):
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(gunicorn + "/signup").read().decode()
    form = {"csrf_token": form_token(page), "name": "Gia Gym", "email": "gia@example.com", "password": PASSWORD}
    landed = browser.open(gunicorn + "/signup", data=urllib.parse.urlencode(form).encode())
    assert landed.url.endswith("/home")
    # Each request may land on another worker: the session and the data are shared by all.
    for _ in range(12):
        programs = browser.open(gunicorn + "/programs/").read().decode()
        assert "No programs yet" in programs and "Gia Gym" in programs
    headers = browser.open(gunicorn + "/programs/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_gunicorn_refuses_to_start_in_production_without_a_secret_key(app, tmp_path):
    process, _ = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, secret_key=None, workers=1)
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "SECRET_KEY is not set" in output
