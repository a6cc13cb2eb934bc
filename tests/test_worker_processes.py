"""The email worker as it runs for real: inside `flask run` (so `make run` is one command), and
as a process of its own beside gunicorn (`make serve`), which alone sends nothing."""

import http.cookiejar
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from conftest import free_port
from factories import PASSWORD
from test_serve import form_token, start_gunicorn, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"


def environment(app, tmp_path, smtp, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "FITR_", "WORKER_"))}
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], FITR_INSTANCE_PATH=str(tmp_path / "instance"),
        SECRET_KEY="a-long-random-production-secret", MAIL_SERVER=smtp.host, MAIL_PORT=str(smtp.port),
        MAIL_DEFAULT_SENDER="fitr <coach-mail@fitr.test>", **extra,
    )  # fmt: skip
    return env


def start(command, env):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Output:
    """A process's output lines as they come (a thread reads them), for a test to wait on."""

    def __init__(self, process):
        self.lines = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process):
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text, timeout=60):
        """True once a line holding `text` has come."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def finish(self):
        """Every line, once the process has ended."""
        self._thread.join(timeout=20)
        return self.lines


def sign_up(url, email):
    """A visitor signs up through the real form; the page they land on."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(url + "/signup").read().decode()
    form = {"csrf_token": form_token(page), "name": "Gia Gym", "email": email, "password": PASSWORD}
    return browser.open(url + "/signup", data=urllib.parse.urlencode(form).encode(), timeout=10).read().decode()


def arrived(smtp, count=1, timeout=20):
    """What the loopback SMTP server received within `timeout` (no draining from this side)."""
    deadline = time.monotonic() + timeout
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return smtp.messages


def test_flask_run_delivers_email_from_its_own_process(app, smtp, tmp_path):
    port = free_port()
    env = environment(app, tmp_path, smtp, FLASK_APP="fitr")
    server = start([str(FLASK), "run", "--port", str(port)], env)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_serving(server, url), server.communicate(timeout=10)[0]
        assert "Check your email" in sign_up(url, "gia@example.com")
        [message] = arrived(smtp)
        assert message["To"] == "gia@example.com" and message["Subject"] == "Confirm your email address for fitr"
    finally:
        stop(server)


def test_under_gunicorn_the_worker_process_sends_what_the_web_processes_wrote(app, smtp, tmp_path):
    env = environment(app, tmp_path, smtp)
    web, url = start_gunicorn(env["DATABASE_URL"], tmp_path, workers=2, extra_env=env)
    worker = None
    try:
        assert wait_until_serving(web, url), web.communicate(timeout=10)[0]
        assert "Check your email" in sign_up(url, "gia@example.com")
        assert arrived(smtp, timeout=3) == []  # gunicorn alone never talks to SMTP

        worker = start([str(FLASK), "--app", "wsgi", "worker", "--workers", "1"], env)
        [message] = arrived(smtp)
        assert message["To"] == "gia@example.com" and message["Subject"] == "Confirm your email address for fitr"
    finally:
        stop(web, *([worker] if worker else []))


def test_the_worker_warns_at_start_where_links_go_without_base_url(app, smtp, tmp_path):
    env = environment(app, tmp_path, smtp)  # production (wsgi), and no BASE_URL
    env.pop("BASE_URL", None)
    env.pop("PORT", None)
    worker = start([str(FLASK), "--app", "wsgi", "worker", "--workers", "1"], env)
    output = Output(worker)
    try:
        assert output.wait_for("Huey consumer started"), output.lines
    finally:
        stop(worker)
    warnings = [line for line in output.finish() if "BASE_URL is not set" in line]
    assert len(warnings) == 1, output.lines
    assert "emails sent outside a request (the daily digest, comment and message emails) will link to http://127.0.0.1:5000" in warnings[0]
