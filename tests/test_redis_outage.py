"""Redis stops while fitr runs: people still log in (the login limits fall back to each process's
own count, and the log says so in one line), and the email worker waits for Redis with one short
line per retry instead of a traceback a second."""

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import free_port
from factories import PASSWORD, make_user
from test_serve import form_token, start_gunicorn, wait_until_serving
from test_several_servers import start_redis, stop_redis
from test_worker_processes import FLASK, Output, environment, sign_up, start, stop


def log_in(url, password, email="casey@example.com"):
    """One login through the real form, in a browser of its own; the final answer's status."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = form_token(browser.open(url + "/login", timeout=10).read().decode())
    form = {"csrf_token": token, "email": email, "password": password}
    try:
        response = browser.open(url + "/login", data=urllib.parse.urlencode(form).encode(), timeout=10)
        return response.status, response.url
    except urllib.error.HTTPError as error:
        return error.code, error.url


def test_with_redis_stopped_people_still_log_in_and_the_limit_counts_per_process(app, tmp_path):
    make_user(app, "Casey Coach", "casey@example.com")
    redis_server, redis_url = start_redis(tmp_path / "redis")
    env = {"RATELIMIT_STORAGE_URI": f"{redis_url}/1", "LOGIN_RATE_LIMIT": "10 per minute"}
    web, url = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, workers=1, extra_env=env)
    try:
        assert wait_until_serving(web, url), web.communicate(timeout=10)[0]
        status, landed = log_in(url, PASSWORD)
        assert status == 200 and not landed.endswith("/login")  # counted on Redis

        stop_redis(redis_server)
        status, landed = log_in(url, PASSWORD)
        assert status == 200 and not landed.endswith("/login")  # not a 500
        assert log_in(url, "not the password")[0] == 400
        assert "Check your email" in sign_up(url, "gia@example.com")  # the same limiter, not a 500
        # The process's own count: 10 logins in a minute from this address, then refused.
        guesses = [log_in(url, "not the password", email=f"guess{n}@example.com")[0] for n in range(8)]
        assert guesses == [400] * 8
        assert log_in(url, PASSWORD)[0] == 429
    finally:
        stop(web)
        if redis_server.poll() is None:
            stop_redis(redis_server)
    output = web.communicate(timeout=10)[0]
    assert "Traceback" not in output and " 500 " not in output, output
    about_redis = [line for line in output.splitlines() if "storage unreachable" in line]
    assert len(about_redis) == 1, output
    assert "falling back to in-memory storage" in about_redis[0]


def test_the_worker_waits_for_a_stopped_redis_with_one_line_per_retry(app, smtp, tmp_path):
    port = free_port()  # nothing listens there yet: Redis is down
    env = environment(app, tmp_path, smtp, REDIS_URL=f"redis://127.0.0.1:{port}/0", BASE_URL="https://coach.example.com")
    worker = start([str(FLASK), "--app", "wsgi", "worker", "--workers", "2"], env)
    output = Output(worker)
    unreachable = f"Redis at 127.0.0.1:{port} is unreachable: retrying in "
    redis_server = None
    try:
        assert output.wait_for(unreachable), output.lines
        time.sleep(5)  # the retries after 1 s and 2 s more; the next waits 4 s
        redis_server, _ = start_redis(tmp_path / "redis", port)
        assert output.wait_for(f"Redis at 127.0.0.1:{port} answers again."), output.lines
    finally:
        stop(worker)
        if redis_server is not None:
            stop_redis(redis_server)
    lines = output.finish()
    assert not any("Traceback" in line or "ERROR" in line for line in lines), "\n".join(lines)
    # One line per retry, whichever of the two threads and the scheduler meets Redis away first;
    # each wait twice the last.
    waits = [int(line.split(unreachable)[1].split(" s ")[0]) for line in lines if unreachable in line]
    assert len(waits) >= 2 and waits == [1, 2, 4, 8][: len(waits)], "\n".join(lines)
