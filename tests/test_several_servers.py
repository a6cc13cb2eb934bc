"""Several app servers: two fitr instances (gunicorn, on two ports, each with an instance/ of its
own) and one email worker, sharing a database and a Redis server (Debian's redis-server on
loopback). Failed logins on one count on the other, and an email written on either is delivered
once by the worker, through the queue on Redis."""

import http.cookiejar
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis
from conftest import free_port
from test_serve import form_token, start_gunicorn, wait_until_serving
from test_worker_processes import FLASK, arrived, environment, sign_up, start, stop

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def start_redis(directory, port=None):
    """A throwaway redis-server on loopback (a free port unless told), its files in `directory`;
    (process, url) once it answers."""
    port = port or free_port()
    directory.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
            time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}"


def stop_redis(process):
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on a free loopback port, its files in a temp dir."""
    process, url = start_redis(tmp_path / "redis")
    yield url
    stop_redis(process)


@pytest.fixture
def two_servers(app, smtp, tmp_path, redis_url):
    """Two fitr servers on the same database, Redis and SMTP server; (env, url_a, url_b)."""
    shared = {"REDIS_URL": f"{redis_url}/0", "RATELIMIT_STORAGE_URI": f"{redis_url}/1", "LOGIN_RATE_LIMIT": "3 per minute"}
    servers = []
    for name in ("a", "b"):
        env = environment(app, tmp_path / name, smtp, **shared)
        servers.append(start_gunicorn(env["DATABASE_URL"], tmp_path / name, workers=1, extra_env=env))
    try:
        for process, url in servers:
            assert wait_until_serving(process, url, timeout=90), process.communicate(timeout=10)[0]
        yield environment(app, tmp_path / "worker", smtp, **shared), servers[0][1], servers[1][1]
    finally:
        stop(*(process for process, _ in servers))


def failed_login(url):
    """One wrong password through the real form; the answer's status."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = form_token(browser.open(url + "/login").read().decode())
    form = {"csrf_token": token, "email": "casey@example.com", "password": "not the password"}
    try:
        return browser.open(url + "/login", data=urllib.parse.urlencode(form).encode(), timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_failed_logins_on_one_server_count_on_the_other(two_servers):
    _, a, b = two_servers
    assert [failed_login(a), failed_login(b), failed_login(a)] == [400, 400, 400]
    assert failed_login(b) == 429  # the fourth in a minute, wherever it lands
    assert failed_login(a) == 429


def test_emails_written_on_either_server_are_delivered_once_by_one_worker(two_servers, smtp):
    env, a, b = two_servers
    assert "Check your email" in sign_up(a, "gia@example.com")
    assert "Check your email" in sign_up(b, "hal@example.com")
    assert arrived(smtp, timeout=2) == []  # the web servers never talk to SMTP
    worker = start([str(FLASK), "--app", "wsgi", "worker", "--workers", "2"], env)
    try:
        arrived(smtp, count=2)
        time.sleep(2)  # time for a second copy, were there one
        assert sorted(m["To"] for m in smtp.messages) == ["gia@example.com", "hal@example.com"]
    finally:
        stop(worker)
