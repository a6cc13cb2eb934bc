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
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("SECRET_KEY", "bench")

from bench_calendar import PASSWORD, build  # noqa: E402
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
    """One person's browser, without a browser: a cookie jar and a CSRF token, one connection
    per request (gunicorn's sync workers close it after each)."""

    def __init__(self, port):
        self.port, self.cookies, self.token = port, {}, ""

    def request(self, method, path, form=None, headers=None):
        body = urlencode(form, doseq=True).encode() if form is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data, elapsed

    def log_in(self, email, password=PASSWORD):
        status, page, _ = self.request("GET", "/login")
        self.token = CSRF.search(page.decode()).group(1)
        status, page, _ = self.request("POST", "/login", {"email": email, "password": password, "csrf_token": self.token})
        assert status == 302, f"logging in {email}: {status} {page[-3000:]}"
        status, page, _ = self.request("GET", "/my/settings")
        self.token = CSRF.search(page.decode()).group(1)


def prepare(url, clients):
    """Build the database; returns what the measured requests need."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    program_id, subscription_id = build(app, clients)
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


def measured(ids):
    """(name, who, method, path, headers): what is timed."""
    p, htmx = ids["program"], {"HX-Request": "true"}
    calendar = f"/programs/{p}/clients/{ids['measured']}/calendar?view=month&date={MONTH}"
    return [
        ("Calendar page (coach, month)", "coach", "GET", calendar, {}),
        ("Switch client (calendar fragment)", "coach", "GET", f"/programs/{p}/clients/{ids['other']}/calendar?view=month&date={MONTH}",
         htmx | {"HX-Target": "calendar"}),
        ("Client switcher search", "coach", "GET", f"/programs/{p}/calendar/clients?q=client+1", htmx),
        ("Programs", "coach", "GET", "/programs/", {}),
        ("Clients", "coach", "GET", "/clients/", {}),
        ("Program page", "coach", "GET", f"/programs/{p}", {}),
        ("Client's Today", "client", "GET", "/my", {}),
        ("Save a session (6 rows)", "coach", "POST", f"/programs/{p}/sessions/{ids['save']}",
         htmx | {"HX-Current-URL": f"http://127.0.0.1{calendar}"}),
        ("Log a session", "client", "POST", "/my/sessions/{session}", {}),
    ]  # fmt: skip


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
        form = None
        if name == "Log a session":
            path = path.format(session=ids["to_log"].pop())
            form = log_form(client.get(path).get_data())
        elif method == "POST":
            form = save_form()
        statements = []

        def listener(*_, statements=statements):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        response = client.open(path, method=method, data=form, headers=headers)
        event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code in (200, 302), (name, response.status_code)
        counts[name], bodies[name] = len(statements), response.get_data(as_text=True)
    return counts, bodies


def percentile(times, share):
    times = sorted(times)
    return times[max(0, int(len(times) * share) - 1)]


def over_http(url, ids, bodies, requests, workdir):
    """Start gunicorn (2 workers) on the database and time each request against its floor,
    interleaved. Returns {name: (median, p95, bare median, bare p95, bytes)}."""
    port = free_port()
    bodies_file = Path(workdir) / "bodies.json"
    bodies_file.write_text(json.dumps(bodies))
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "bench", "BENCH_BODIES": str(bodies_file),
                        "LOGIN_RATE_LIMIT": "100000 per minute", "FITR_INSTANCE_PATH": str(workdir), "FITR_ENV": "development"}  # fmt: skip
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
        for name, who, method, path, headers in measured(ids):
            visitor = people[who]
            bare_path = "/_bench/bare/" + name.replace(" ", "%20").replace("'", "%27")
            runs = min(requests, len(ids["to_log"]) - 5) if name == "Log a session" else requests
            real, floor = [], []
            for i in range(runs + 5):
                form, target = None, path
                if name == "Log a session":
                    target = path.format(session=ids["to_log"].pop())
                    form = log_form(visitor.request("GET", target)[1]) | {"csrf_token": visitor.token}
                elif method == "POST":
                    form = save_form() | {"csrf_token": visitor.token}
                status, body, elapsed = visitor.request(method, target, form, headers)
                assert status in (200, 302), (name, status, body[:300])
                bare_status, _, bare_elapsed = visitor.request(method, bare_path, form, headers)
                assert bare_status == 200, (name, bare_status)
                if i >= 5:  # the first few warm both up
                    real.append(elapsed)
                    floor.append(bare_elapsed)
            results[name] = (statistics.median(real), percentile(real, 0.95), statistics.median(floor),
                             percentile(floor, 0.95), len(bodies[name].encode()), runs)  # fmt: skip
        return results
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


# Issue 16's targets at 1,000 clients: (what, page or action, through gunicorn, in process).
TARGETS = [
    ("Program page under 15 ms", "Program page", "program page (Active clients)", 15),
    ("Clients under 15 ms", "Clients", "Clients (Active clients)", 15),
    ("Client switcher search under 5 ms", "Client switcher search", "client switcher search", 5),
]
FRAGMENT = ("Switch client (calendar fragment)", "calendar month fragment")
FRAGMENT_RATIO = 5


def targets(results, inside):
    """The targets' table: each median (and the fragment's ratio to its bare route) through
    gunicorn and in process, and whether it is met (through gunicorn, where users meet it)."""
    lines = ["| target | through gunicorn | in process | met |", "|---|---|---|---|"]
    for what, http_name, inside_name, limit in TARGETS:
        median = results[http_name][0]
        own = f"{inside[inside_name]['median']:.1f} ms" if inside_name in inside else "not run"
        lines.append(f"| {what} | {median:.1f} ms | {own} | {'yes' if median < limit else 'NO'} |")
    median, floor = results[FRAGMENT[0]][0], results[FRAGMENT[0]][2]
    own = inside.get(FRAGMENT[1])
    own_text = f"{own['median'] / own['floor']:.1f} × ({own['median']:.1f} ms)" if own else "not run"
    lines.append(f"| Calendar fragment within {FRAGMENT_RATIO} × the bare route | {median / floor:.1f} × ({median:.1f} ms) | "
                 f"{own_text} | {'yes' if median / floor <= FRAGMENT_RATIO else 'NO'} |")  # fmt: skip
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="20,200,1000", help="sizes, comma-separated")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page and size")
    parser.add_argument("--in-process-runs", type=int, default=100, help="bench_calendar.py's --runs (0: skip it)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.clients.split(",")]
    started = datetime.now()
    sections, goals = [], ""
    for clients in sizes:
        workdir = tempfile.mkdtemp(prefix="fitr-bench-http-")
        url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        built = time.perf_counter()
        ids = prepare(url, clients)
        print(f"{clients} clients: built in {time.perf_counter() - built:.0f} s", flush=True)
        counts, bodies = in_process(url, ids)
        results = over_http(url, ids, bodies, args.requests, workdir)
        text = table(results, counts)
        print(text, flush=True)
        section = f"### {clients:,} clients\n\nThrough gunicorn ({args.requests} timed requests each, interleaved with the bare route):\n\n{text}\n"
        medians = {}
        if args.in_process_runs:
            summary = Path(workdir) / "in-process.json"
            inside = subprocess.run(
                [sys.executable, str(ROOT / "tests" / "bench_calendar.py"), "--clients", str(clients), "--runs", str(args.in_process_runs),
                 "--summary", str(summary)],
                cwd=ROOT, capture_output=True, text=True, env=os.environ | {"SECRET_KEY": "bench"},
            )  # fmt: skip
            print(inside.stdout, flush=True)
            section += f"\nIn process (`tests/bench_calendar.py --clients {clients}`, Flask's test client):\n\n```\n{inside.stdout.strip()}\n```\n"
            medians = json.loads(summary.read_text()) if summary.exists() else {}
        if clients == max(sizes):
            goals = f"## Targets at {clients:,} clients\n\n{targets(results, medians)}\n"
        sections.append(section)
    document = f"""# fitr's benchmarks

Written by `make bench` (`tests/bench_http.py`) on {started:%Y-%m-%d} at {started:%H:%M}.

- **Machine:** {machine()}.
- **Server:** gunicorn, 2 sync workers, on loopback; SQLite in a file; `FITR_ENV=development`.
- **Data:** one coach's 1-2-1 program of N clients, each with a year of sessions (5 a week,
  6 exercises each); the measured client logged half a year of them.
- **Load generator:** this script, in its own process: one request at a time, a new
  connection each, the real request and the bare route taking turns.
- **Bare route:** `tests/bench_wsgi.py`, the same session cookie and user load, then the real
  response's own bytes (captured in process): the framework's floor here. "× median" is
  fitr's median over the floor's.
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
