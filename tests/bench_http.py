"""`make bench`, through a real server: fitr on gunicorn (2 workers, loopback, SQLite) driven by
a load generator in another process (this one), at 20, 200 and 1,000 clients.

For each page or action a coach or client uses most (the calendar page, switching client, Programs,
Clients, the program page, the client's Today, saving a session, logging a session) it times the
real request and, interleaved with it in the same run, a bare Flask route that returns the same
bytes after the same session cookie and user load (tests/bench_wsgi.py): the floor the framework
itself sets on this machine. Query counts come from the same requests made in-process. The
in-process timings of tests/bench_calendar.py are run at each size too, and everything is
written to docs/benchmarks.md with the machine and the date.

    python tests/bench_http.py [--clients 20,200,1000] [--requests 100] [--out docs/benchmarks.md]
"""

import argparse
import http.client
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("SECRET_KEY", "bench")

from bench_calendar import NOW, PASSWORD, bench_clock, build_cached  # noqa: E402
from sqlalchemy import event, select, update  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.clock import utcnow  # noqa: E402
from fitr.extensions import db  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HIDDEN = r'name="{}"[^>]*value="([^"]*)"'
MONTH = "2026-06-15"  # the month bench_calendar's measured client logged up to
EXERCISES = ["Back Squat", "Bench Press", "Romanian Deadlift", "Pull-Up", "Overhead Press", "Plank"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Visitor:
    """One person's browser, without a browser: a cookie jar, a CSRF token and one keep-alive
    connection that every request of theirs goes over, the real ones and the bare route's alike.
    gunicorn's sync workers (as `make serve` runs them) close it after each response, as they
    would behind a proxy; it is opened again before the next request's clock starts, so no
    figure includes connecting (a browser's connection to the proxy stays open)."""

    def __init__(self, port):
        self.port, self.cookies, self.token = port, {}, ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connections = 0  # how many times it was opened
        self.etag_seen = None
        self.sent = []  # (method, path) of each request, in order

    def request(self, method, path, form=None, headers=None):
        body = urlencode(form, doseq=True).encode() if form is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "keep-alive", **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.sent.append((method, path))
        try:
            if self.connection.sock is None:
                self.connection.connect()
                self.connections += 1
            started = time.perf_counter()
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
            elapsed = (time.perf_counter() - started) * 1000
        except (OSError, http.client.HTTPException):
            self.connection.close()  # a worker killed mid-request (make loadtest): start afresh
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        self.etag_seen = response.getheader("ETag")
        return response.status, data, elapsed

    def etag(self, path, headers):
        """The ETag of the page at `path`, as this browser would keep it."""
        self.request("GET", path, None, headers)
        return self.etag_seen

    def log_in(self, email, password=PASSWORD):
        status, page, _ = self.request("GET", "/login")
        self.token = CSRF.search(page.decode()).group(1)
        status, page, _ = self.request("POST", "/login", {"email": email, "password": password, "csrf_token": self.token})
        assert status == 302, f"logging in {email}: {status} {page[-3000:]}"
        status, page, _ = self.request("GET", "/my/settings")
        self.token = CSRF.search(page.decode()).group(1)


def prepare(url, clients, cache=None):
    """Build the database (or copy the one `cache` keeps); returns what the measured requests need."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    program_id, subscription_id = build_cached(app, url, clients, cache)
    from fitr.accounts.models import User
    from fitr.calendars.models import Calendar, Session
    from fitr.history.models import SessionLog
    from fitr.subscriptions.models import Subscription

    with app.app_context():
        db.session.execute(update(User).values(email_confirmed_at=datetime(2026, 1, 1)))
        subscriptions = db.session.scalars(select(Subscription).order_by(Subscription.id).limit(2)).all()
        calendar_id = db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == subscription_id))
        save_id = db.session.scalar(select(Session.id).where(Session.calendar_id == calendar_id, Session.date == date(2026, 6, 16)))
        logger = subscriptions[0]
        logger_email = db.session.get(User, logger.client_id).email
        logger_calendar = db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == logger.id))
        to_log = db.session.scalars(
            select(Session.id)
            .where(Session.calendar_id == logger_calendar, Session.date <= utcnow().date(),
                   Session.id.not_in(select(SessionLog.session_id).where(SessionLog.session_id.is_not(None))))
            .order_by(Session.date.desc())
        ).all()  # fmt: skip
        other = subscriptions[1].id
        db.session.commit()
    return {"program": program_id, "measured": subscription_id, "other": other, "save": save_id,
            "logger": logger_email, "to_log": to_log}  # fmt: skip


def save_form():
    form = {"title": "Benchmark save", "date": "2026-06-16", "action": "save"}
    for i, name in enumerate(EXERCISES):
        form |= {f"prescriptions-{i}-exercise": name, f"prescriptions-{i}-sets": "4", f"prescriptions-{i}-reps": "6-8",
                 f"prescriptions-{i}-load": "80", f"prescriptions-{i}-load_unit": "kg", f"prescriptions-{i}-rpe": "8"}  # fmt: skip
    return form


def log_form(page):
    """The session page's log form, filled as Done as prescribed would send it."""
    text = page.decode()
    form = {name: re.search(HIDDEN.format(name), text).group(1) for name in ("submission_key", "based_on", "unit")}
    form |= {"status": "done", "date": re.search(r'name="date"[^>]*value="([^"]*)"', text).group(1), "rpe": "8", "notes": ""}
    for position in range(len(EXERCISES)):
        exercise = re.search(HIDDEN.format(f"sets-{position * 100 + 1}-exercise_id"), text)
        if exercise:
            form |= {f"sets-{position * 100 + 1}-exercise_id": exercise.group(1), f"sets-{position * 100 + 1}-reps": "7",
                     f"sets-{position * 100 + 1}-load": "80"}  # fmt: skip
    return form


ETAG = "{etag}"  # in a header: the ETag this visitor's browser holds for the calendar fragment


def as_prescribed_form(page):
    """The session page's Done as prescribed form: one tap."""
    text = page.decode()
    return {name: re.search(HIDDEN.format(name), text).group(1) for name in ("submission_key", "based_on")} | {"as_prescribed": "1"}


LOGS = {"Log a session": log_form, "Done as prescribed (24 sets)": as_prescribed_form}  # each logs an unlogged past session


def measured(ids):
    """(name, who, method, path, headers): what is timed."""
    p, htmx = ids["program"], {"HX-Request": "true"}
    calendar = f"/programs/{p}/clients/{ids['measured']}/calendar?view=month&date={MONTH}"
    switch = f"/programs/{p}/clients/{ids['other']}/calendar?view=month&date={MONTH}"
    return [
        ("Home", "coach", "GET", "/home", {}),
        ("Calendar page (coach, month)", "coach", "GET", calendar, {}),
        ("Switch client (calendar fragment)", "coach", "GET", switch, htmx | {"HX-Target": "calendar"}),
        ("Calendar fragment unchanged (304)", "coach", "GET", switch, htmx | {"HX-Target": "calendar", "If-None-Match": ETAG}),
        ("Client switcher search", "coach", "GET", f"/programs/{p}/calendar/clients?q=client+1", htmx),
        ("Programs", "coach", "GET", "/programs/", {}),
        ("Clients", "coach", "GET", "/clients/", {}),
        ("Program page", "coach", "GET", f"/programs/{p}", {}),
        ("Client's Today", "client", "GET", "/my", {}),
        ("Save a session (6 rows)", "coach", "POST", f"/programs/{p}/sessions/{ids['save']}",
         htmx | {"HX-Current-URL": f"http://127.0.0.1{calendar}"}),
        ("Log a session", "client", "POST", "/my/sessions/{session}", {}),
        ("Done as prescribed (24 sets)", "client", "POST", "/my/sessions/{session}", {}),
    ]  # fmt: skip


def with_etag(headers, fetch):
    """The headers, with the ETag placeholder replaced by the one `fetch(headers without it)`'s
    response carries (the browser's copy of the fragment)."""
    if headers.get("If-None-Match") != ETAG:
        return headers
    plain = {k: v for k, v in headers.items() if k != "If-None-Match"}
    return plain | {"If-None-Match": fetch(plain)}


def in_process(url, ids):
    """Each request once through the test client: its SQL statements and its body (the bytes
    the bare route returns)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "WTF_CSRF_ENABLED": False,
                      "LOGIN_RATE_LIMIT": "100000 per minute"})  # fmt: skip
    people = {"coach": app.test_client(), "client": app.test_client()}
    for who, email in (("coach", "coach@bench.test"), ("client", ids["logger"])):
        assert people[who].post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    with app.app_context():
        engine = db.engine
    counts, bodies = {}, {}
    for name, who, method, path, headers in measured(ids):
        client = people[who]
        headers = with_etag(headers, lambda plain, client=client, path=path: client.get(path, headers=plain).headers["ETag"])
        form = None
        if name in LOGS:
            path = path.format(session=ids["to_log"].pop())
            form = LOGS[name](client.get(path).get_data())
        elif method == "POST":
            form = save_form()
        statements = []

        def listener(*_, statements=statements):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        response = client.open(path, method=method, data=form, headers=headers)
        event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code in (200, 302, 304), (name, response.status_code)
        counts[name], bodies[name] = len(statements), (response.status_code, response.get_data(as_text=True))
    return counts, bodies


def percentile(times, share):
    times = sorted(times)
    return times[max(0, int(len(times) * share) - 1)]


def over_http(url, ids, bodies, requests, workdir, since, only=None):
    """Start gunicorn (2 workers) on the database and time each request against its floor,
    interleaved (real, bare, real, bare...) over each visitor's one connection. Returns ({name:
    (median, p95, bare median, bare p95, bytes, runs)}, {who: Visitor})."""
    port = free_port()
    bodies_file = Path(workdir) / "bodies.json"
    bodies_file.write_text(json.dumps(bodies))
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "bench", "BENCH_BODIES": str(bodies_file),
                        "LOGIN_RATE_LIMIT": "100000 per minute", "FITR_INSTANCE_PATH": str(workdir), "FITR_ENV": "development",
                        "BENCH_SINCE": repr(since)}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--pythonpath", str(ROOT / "tests"), "--log-level", "warning", "bench_wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/login")
                break
            except OSError:
                time.sleep(0.1)
        people = {"coach": Visitor(port), "client": Visitor(port)}
        people["coach"].log_in("coach@bench.test")
        people["client"].log_in(ids["logger"])
        results = {}
        log_runs = min(requests, len(ids["to_log"]) // len(LOGS) - 5)  # the logger's unlogged sessions, shared
        for name, who, method, path, headers in measured(ids):
            if only and name not in only:
                continue
            visitor = people[who]
            headers = with_etag(headers, lambda plain, visitor=visitor, path=path: visitor.etag(path, plain))
            bare_path = "/_bench/bare/" + quote(name)
            runs = log_runs if name in LOGS else requests
            real, floor = [], []
            for i in range(runs + 5):
                form, target = None, path
                if name in LOGS:
                    target = path.format(session=ids["to_log"].pop())
                    form = LOGS[name](visitor.request("GET", target)[1]) | {"csrf_token": visitor.token}
                elif method == "POST":
                    form = save_form() | {"csrf_token": visitor.token}
                status, body, elapsed = visitor.request(method, target, form, headers)
                assert status == bodies[name][0], (name, status, body[:300])
                bare_status, _, bare_elapsed = visitor.request(method, bare_path, form, headers)
                assert bare_status == status, (name, bare_status)
                if i >= 5:  # the first few warm both up
                    real.append(elapsed)
                    floor.append(bare_elapsed)
            results[name] = (statistics.median(real), percentile(real, 0.95), statistics.median(floor),
                             percentile(floor, 0.95), len(bodies[name][1].encode()), runs)  # fmt: skip
        return results, people
    finally:
        server.terminate()
        server.wait(timeout=30)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")  # fmt: skip


def table(results, counts):
    lines = ["| page or action | fitr median | fitr p95 | bare median | bare p95 | × median | queries | bytes |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, (median, p95, floor_median, floor_p95, size, _runs) in results.items():
        lines.append(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {floor_median:.1f} ms | {floor_p95:.1f} ms | "
                     f"{median / floor_median:.1f} | {counts[name]} | {size:,} |")  # fmt: skip
    return "\n".join(lines)


# The targets at 1,000 clients (issue 23): each page's median within so many times its bare
# route's, through gunicorn: (page or action through gunicorn, in process, ratio).
RATIOS = [
    ("Home", "Home", 8),
    ("Clients", "Clients (Active clients)", 8),
    ("Program page", "program page (Active clients)", 8),
    ("Switch client (calendar fragment)", "calendar month fragment", 3),
    ("Calendar fragment unchanged (304)", "calendar fragment unchanged (304)", 1.5),
]
# and issue 16's: a median under so many ms.
TIMES = [("Client switcher search", "client switcher search", 5)]


def targets(results, inside):
    """The targets' table: each ratio to the bare route (and its median) through gunicorn and
    in process, and whether it is met (through gunicorn, where users meet it)."""
    lines = ["| target | through gunicorn | in process | met |", "|---|---|---|---|"]
    for http_name, inside_name, limit in RATIOS:
        median, floor = results[http_name][0], results[http_name][2]
        own = inside.get(inside_name)
        own_text = f"{own['median'] / own['floor']:.1f} × ({own['median']:.1f} ms)" if own else "not run"
        lines.append(f"| {http_name} within {limit:g} × the bare route | {median / floor:.1f} × ({median:.1f} ms) | "
                     f"{own_text} | {'yes' if median / floor <= limit else 'NO'} |")  # fmt: skip
    for http_name, inside_name, limit in TIMES:
        median = results[http_name][0]
        own = f"{inside[inside_name]['median']:.1f} ms" if inside_name in inside else "not run"
        lines.append(f"| {http_name} under {limit} ms | {median:.1f} ms | {own} | {'yes' if median < limit else 'NO'} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="20,200,1000", help="sizes, comma-separated")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page and size")
    parser.add_argument("--in-process-runs", type=int, default=100, help="bench_calendar.py's --runs (0: skip it)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--cache", metavar="DIR", help="keep each built database in DIR and start from a copy of it next time")
    parser.add_argument("--only", metavar="PAGE", action="append", help="time only the pages named so (repeatable); writes nothing")
    args = parser.parse_args(argv)
    since = time.time()
    with bench_clock(since):  # the server's clock too (BENCH_SINCE)
        return run(args, since)


def load():
    """The machine's 1-minute load average now (other work sharing its cores slows the bare route
    and the page alike, but not by the same factor): written beside the figures."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def run(args, since):
    sizes = [int(size) for size in args.clients.split(",")]
    started = datetime.fromtimestamp(since)  # the real date: the clock of the run is the bench's
    load_at_start = load()
    sections, goals = [], ""
    for clients in sizes:
        workdir = tempfile.mkdtemp(prefix="fitr-bench-http-")
        url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        built = time.perf_counter()
        ids = prepare(url, clients, args.cache)
        print(f"{clients} clients: built in {time.perf_counter() - built:.0f} s", flush=True)
        counts, bodies = in_process(url, ids)
        results, _ = over_http(url, ids, bodies, args.requests, workdir, since, args.only)
        if args.only:
            print(table(results, counts), flush=True)
            continue
        text = table(results, counts)
        print(text, flush=True)
        section = f"### {clients:,} clients\n\nThrough gunicorn ({args.requests} timed requests each, interleaved with the bare route):\n\n{text}\n"
        medians = {}
        if args.in_process_runs:
            summary = Path(workdir) / "in-process.json"
            inside = subprocess.run(
                [sys.executable, str(ROOT / "tests" / "bench_calendar.py"), "--clients", str(clients), "--runs", str(args.in_process_runs),
                 "--summary", str(summary), *(["--cache", args.cache] if args.cache else [])],
                cwd=ROOT, capture_output=True, text=True, env=os.environ | {"SECRET_KEY": "bench"},
            )  # fmt: skip
            print(inside.stdout, flush=True)
            section += f"\nIn process (`tests/bench_calendar.py --clients {clients}`, Flask's test client):\n\n```\n{inside.stdout.strip()}\n```\n"
            medians = json.loads(summary.read_text()) if summary.exists() else {}
        if clients == max(sizes):
            goals = f"## Targets at {clients:,} clients\n\n{targets(results, medians)}\n"
        sections.append(section)
    if args.only:
        return 0
    document = f"""# fitr's benchmarks

Written by `make bench` (`tests/bench_http.py`) on {started:%Y-%m-%d} at {started:%H:%M}.

- **Machine:** {machine()}; load average {load_at_start} when the run started, {load()} when it ended.
- **Server:** gunicorn, 2 sync workers, on loopback; SQLite in a file; `FITR_ENV=development`.
- **Data:** one coach's 1-2-1 program of N clients, each with a year of sessions (5 a week,
  6 exercises each); the measured client logged half a year of them.
- **Clock:** {NOW:%A %-d %B %Y, %H:%M} UTC when each run starts (server and load generator alike),
  so every run sees the same day: every client but one missed yesterday's session (Home).
- **Load generator:** this script, in its own process: one request at a time, the real request
  and the bare route taking turns (real, bare, real...) over the same keep-alive connection.
  gunicorn's sync workers close it after each response (as behind a proxy); it is opened
  again before the next request's clock starts, so neither figure includes connecting.
- **Bare route:** `tests/bench_wsgi.py`, the same session cookie and user load, then the real
  response's own status and bytes (captured in process): the framework's floor here.
  "× median" is fitr's median over the floor's; the targets are such ratios.
- **Queries:** SQL statements of the same request made in process.

{goals}
## Results

{chr(10).join(sections)}"""
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and "\n## Load test" in out.read_text():  # make loadtest's last run stays
        document = document.rstrip() + "\n\n## Load test" + out.read_text().split("\n## Load test", 1)[1]
    out.write_text(document)
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
