"""`make loadtest`: fitr on gunicorn (4 workers) under coaches and clients at once, on SQLite and
on PostgreSQL, from outside, as a gym would load it.

For `--seconds` (60) 50 clients log their sessions (open the session page, send Done with every
exercise) and 5 coaches edit their clients' calendars (add a 3-exercise session, rename one),
each a thread with its own login, as fast as the server answers. Then, with the server stopped,
it reads the database and prints the 5xx answers, the "database is locked" errors, and the
writes the server acknowledged against the rows found (a log with all its sets, a session with
all its exercises, each renamed session with its last acknowledged title): 0, 0 and equal, or
the run fails.

Fault runs (`--faults`): a gunicorn worker killed (SIGKILL) every few seconds mid-load; and, on
PostgreSQL, the database stopped for 5 s mid-load. After each: nothing half-written, every
acknowledged write found, and the app answers again without a restart.

    python tests/loadtest.py [--seconds 60] [--clients 50] [--coaches 5] [--database sqlite,postgresql] [--faults]
"""

import argparse
import glob
import http.client
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("SECRET_KEY", "loadtest")

from bench_http import Visitor, free_port, log_form  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from fitr import create_app  # noqa: E402
from fitr.clock import utcnow  # noqa: E402
from fitr.extensions import db  # noqa: E402

PASSWORD = "load test password"
DAYS_BACK = 150  # each client has a session a day for this long: more than a minute of logging
EXERCISES = ["Back Squat", "Bench Press", "Romanian Deadlift"]


class Postgres:
    """A throwaway PostgreSQL server on loopback that this run can stop and start again."""

    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:]
        if not self.bin:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql).")
        self.bin = Path(self.bin[0])
        self.dir = Path(tempfile.mkdtemp(prefix="fitr-load-pg-"))
        self.as_owner = []
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(self.dir)], check=True)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.run("initdb", "-D", f"{self.dir}/data", "-U", "fitr", "-A", "trust", "-E", "UTF8")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "fitr", "fitr_load")
        self.url = f"postgresql+psycopg://fitr@127.0.0.1:{self.port}/fitr_load"

    def run(self, tool, *args):
        subprocess.run([*self.as_owner, str(self.bin / tool), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w", "-t", "60", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")  # fmt: skip

    def stop(self):
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")

    def remove(self):
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", f"{self.dir}/data", "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        subprocess.run(["rm", "-rf", str(self.dir)])


def build(url, clients, coaches):
    """Migrate an empty database and write the gym: `coaches` coaches with a 1-2-1 program each,
    the clients shared among them, each with a session a day for DAYS_BACK days up to today."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from fitr.accounts.models import User
    from fitr.calendars.models import Calendar, Prescription, Session
    from fitr.library import workouts
    from fitr.library.models import Exercise
    from fitr.programs.models import PUBLISHED, Program
    from fitr.subscriptions.models import ACTIVE, Subscription

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        today = utcnow().date()
        hash_ = generate_password_hash(PASSWORD)
        people = [{"name": f"Coach {c}", "email": f"coach{c}@load.test", "password_hash": hash_, "is_coach": True,
                   "email_confirmed_at": datetime(2026, 1, 1)} for c in range(coaches)]  # fmt: skip
        people += [{"name": f"Client {i}", "email": f"client{i}@load.test", "password_hash": hash_, "is_coach": False,
                    "email_confirmed_at": datetime(2026, 1, 1)} for i in range(clients)]  # fmt: skip
        db.session.execute(insert(User), people)
        ids = dict(db.session.execute(select(User.email, User.id)).all())
        exercises = [db.session.scalar(select(Exercise.id).where(Exercise.name == name, Exercise.coach_id.is_(None)))
                     for name in EXERCISES]  # fmt: skip
        gym = {"coaches": [], "clients": []}
        for c in range(coaches):
            program = Program(coach_id=ids[f"coach{c}@load.test"], name=f"Strength {c}", status=PUBLISHED, public_slug=f"load{c}")
            db.session.add(program)
            db.session.flush()
            gym["coaches"].append({"email": f"coach{c}@load.test", "program": program.id, "calendars": []})
        for i in range(clients):
            coach = gym["coaches"][i % coaches]
            subscription = Subscription(program_id=coach["program"], client_id=ids[f"client{i}@load.test"],
                                        client_email=f"client{i}@load.test", status=ACTIVE,
                                        start_date=today - timedelta(days=DAYS_BACK))  # fmt: skip
            db.session.add(subscription)
            db.session.flush()
            calendar = Calendar(kind="client", program_id=coach["program"], subscription_id=subscription.id)
            db.session.add(calendar)
            db.session.flush()
            coach["calendars"].append(calendar.id)
            sessions = [Session(calendar_id=calendar.id, date=today - timedelta(days=d), position=0, title=f"Day {d}", notes="")
                        for d in range(DAYS_BACK)]  # fmt: skip
            db.session.add_all(sessions)
            db.session.flush()
            db.session.execute(insert(Prescription), [
                {**workouts.ITEM_DEFAULTS, "session_id": s.id, "position": n, "exercise_id": exercise, "sets": 1,
                 "reps_min": 5, "reps_max": 5, "load_value": 100.0, "load_unit": "kg"}
                for s in sessions for n, exercise in enumerate(exercises)
            ])  # fmt: skip
            gym["clients"].append({"email": f"client{i}@load.test", "sessions": [s.id for s in sessions]})
        db.session.commit()
    return gym


class Tally:
    """What the server answered, and which writes it acknowledged."""

    def __init__(self):
        self.run = os.urandom(3).hex()  # in the titles the coaches write: each run's are its own
        self.lock = threading.Lock()
        self.statuses, self.errors = Counter(), Counter()
        self.locked = 0
        self.logs, self.added, self.renamed = [], [], {}  # submission keys; titles; {session id: last title}

    def answer(self, status, body):
        with self.lock:
            self.statuses[503 if status == 503 else status // 100 * 100] += 1
            if b"database is locked" in body:
                self.locked += 1


def request(tally, visitor, method, path, form=None, headers=None):
    """One request; (status, body), or (None, b"") when the connection failed (a killed worker)."""
    try:
        status, body, _ = visitor.request(method, path, form, headers)
    except (OSError, http.client.HTTPException) as error:
        with tally.lock:
            tally.errors[type(error).__name__] += 1
        return None, b""
    tally.answer(status, body)
    if status == 503:
        time.sleep(1)  # "try again in a minute": a person waits a moment
    return status, body


def client_loop(visitor, person, deadline, tally):
    sessions = list(person["sessions"])
    random.shuffle(sessions)
    while time.monotonic() < deadline and sessions:
        session_id = sessions.pop()
        status, page = request(tally, visitor, "GET", f"/my/sessions/{session_id}")
        if status != 200:
            continue
        form = log_form(page) | {"csrf_token": visitor.token}
        status, _ = request(tally, visitor, "POST", f"/my/sessions/{session_id}", form)
        if status == 302:
            with tally.lock:
                tally.logs.append(form["submission_key"])


def logged_in(port, email, deadline):
    """A Visitor logged in as `email`, trying again while a killed worker cuts the connection."""
    while True:
        visitor = Visitor(port)
        try:
            visitor.log_in(email, PASSWORD)
            return visitor
        except (OSError, http.client.HTTPException, AssertionError):  # cut, or refused (503)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def coach_loop(visitor, coach, deadline, tally, number):
    htmx = {"HX-Request": "true"}
    today = utcnow().date()
    n = 0
    while time.monotonic() < deadline:
        n += 1
        calendar = random.choice(coach["calendars"])
        title = f"Load {tally.run}.{number}.{n}"
        form = {"title": title, "date": (today + timedelta(days=random.randint(1, 120))).isoformat(), "action": "save",
                "csrf_token": visitor.token}  # fmt: skip
        for i, name in enumerate(EXERCISES):
            form |= {f"prescriptions-{i}-exercise": name, f"prescriptions-{i}-sets": "3", f"prescriptions-{i}-reps": "5",
                     f"prescriptions-{i}-load": "100", f"prescriptions-{i}-load_unit": "kg"}  # fmt: skip
        if n % 2:
            status, _ = request(tally, visitor, "POST", f"/programs/{coach['program']}/calendars/{calendar}/sessions", form, htmx)
            if status == 200:
                with tally.lock:
                    tally.added.append(title)
        else:
            session_id = coach["sessions"][n % len(coach["sessions"])]
            status, _ = request(tally, visitor, "POST", f"/programs/{coach['program']}/sessions/{session_id}", form, htmx)
            if status == 200:
                with tally.lock:
                    tally.renamed[session_id] = title


def workers(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def answers(port, visitor, timeout=30):
    """Seconds until the app answers a logged-in page again (None: it did not within `timeout`)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            status, _, _ = visitor.request("GET", "/my")
            if status == 200:
                return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    return None


def check(url, tally, clients_count):
    """Acknowledged writes against what is in the database; half-written rows."""
    from fitr.calendars.models import Prescription, Session
    from fitr.history.models import SessionLog, SetLog

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        logs = db.session.execute(
            select(SessionLog.submission_key, func.count(SetLog.id))
            .outerjoin(SetLog, SetLog.session_log_id == SessionLog.id)
            .group_by(SessionLog.id)
        ).all()
        sessions = db.session.execute(
            select(Session.id, Session.title, func.count(Prescription.id))
            .outerjoin(Prescription, Prescription.session_id == Session.id)
            .group_by(Session.id)
        ).all()
    sets_of = dict(logs)
    titles = {sid: title for sid, title, _ in sessions}
    half = sum(1 for _, n in logs if n != len(EXERCISES)) + sum(1 for _, _, n in sessions if n != len(EXERCISES))
    found = sum(1 for key in tally.logs if key in sets_of)
    added = Counter(title for _, title, _ in sessions if title.startswith("Load "))
    found += sum(1 for title in tally.added if added[title] == 1)
    found += sum(1 for sid, title in tally.renamed.items() if titles.get(sid) == title)
    acknowledged = len(tally.logs) + len(tally.added) + len(tally.renamed)
    return acknowledged, found, half


def run(name, url, gym, seconds, fault=None, postgres=None):
    """One run: gunicorn with 4 workers, the people, the fault if any; its summary line and
    whether it passed."""
    workdir = tempfile.mkdtemp(prefix="fitr-load-")
    port, log_path = free_port(), Path(workdir) / "gunicorn.log"
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "loadtest", "LOGIN_RATE_LIMIT": "100000 per minute",
                        "FITR_INSTANCE_PATH": workdir, "FITR_ENV": "development"}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(log_path), "--timeout", "30", "wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    tally = Tally()
    probe = Visitor(port)
    try:
        for _ in range(300):
            try:
                probe.log_in(gym["clients"][0]["email"], PASSWORD)
                break
            except (OSError, http.client.HTTPException, AttributeError):
                time.sleep(0.1)
        # Everyone logs in first (a password check is slow on purpose), then the clock starts.
        people = gym["clients"] + gym["coaches"]
        visitors = [None] * len(people)

        def log_in(i):
            visitors[i] = logged_in(port, people[i]["email"], time.monotonic() + 120)

        logins = [threading.Thread(target=log_in, args=(i,)) for i in range(len(people))]
        for thread in logins:
            thread.start()
        for thread in logins:
            thread.join()
        deadline = time.monotonic() + seconds
        clients = len(gym["clients"])
        threads = [threading.Thread(target=client_loop, args=(visitors[i], person, deadline, tally))
                   for i, person in enumerate(gym["clients"])]  # fmt: skip
        threads += [threading.Thread(target=coach_loop, args=(visitors[clients + n], coach, deadline, tally, n))
                    for n, coach in enumerate(gym["coaches"])]  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        fault_note, recovered = "", None
        if fault == "kill":
            killed = 0
            while time.monotonic() < deadline - 2:
                time.sleep(min(3, seconds / 4))
                alive = workers(server.pid)
                if alive:
                    os.kill(random.choice(alive), signal.SIGKILL)
                    killed += 1
            fault_note = f", {killed} workers killed mid-load"
        elif fault == "database":
            time.sleep(min(3, seconds / 4))
            postgres.stop()
            time.sleep(5)
            postgres.start()
            fault_note = ", the database stopped for 5 s mid-load"
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if fault:
            recovered = answers(port, probe)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    locked = tally.locked + log_path.read_text(errors="replace").count("database is locked")
    acknowledged, found, half = check(url, tally, len(gym["clients"]))
    total = sum(tally.statuses.values())
    five, busy = tally.statuses[500], tally.statuses[503]
    dropped = sum(tally.errors.values())
    line = (f"{name}{fault_note}: {total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s); 5xx: {five + busy}"
            f"{' (all 503 try again: the database was down)' if busy and not five else ''}; "
            f"database is locked: {locked}; acknowledged writes: {acknowledged}, rows found: {found}; "
            f"half-written: {half}")  # fmt: skip
    if dropped:
        line += f"; connections cut: {dropped}"
    if fault:
        line += f"; answers again: yes, after {recovered:.1f} s" if recovered is not None else "; answers again: NO"
    # While the database is down the app answers 503 (try again in a minute): those are expected.
    passed = five == 0 and (busy == 0 or fault == "database") and locked == 0 and 0 < acknowledged == found and half == 0
    passed = passed and (not fault or recovered is not None)
    if not passed:  # what the server said about it: its errors other than the expected 503s
        errors = [entry for entry in log_path.read_text(errors="replace").split("\n[") if "Database unavailable" not in entry]
        line += "\n  server log, without its 'Database unavailable' lines:\n  " + "\n[".join(errors)[-6000:].replace("\n", "\n  ")
    return line, passed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--coaches", type=int, default=5)
    parser.add_argument("--database", default="sqlite,postgresql")
    parser.add_argument("--faults", action="store_true", help="also the fault runs (20 s each)")
    parser.add_argument("--fault-seconds", type=int, default=20)
    parser.add_argument("--out", default="", help="also record the run in this file (make loadtest: docs/benchmarks.md)")
    args = parser.parse_args(argv)
    results = []
    for database in args.database.split(","):
        postgres = Postgres() if database == "postgresql" else None
        try:
            url = postgres.url if postgres else f"sqlite:///{Path(tempfile.mkdtemp(prefix='fitr-load-db-')) / 'fitr.sqlite3'}"
            gym = build(url, args.clients, args.coaches)
            for coach in gym["coaches"]:
                coach["sessions"] = [s for person in gym["clients"][gym["coaches"].index(coach)::args.coaches] for s in person["sessions"][-10:]]
            label = "PostgreSQL" if postgres else "SQLite"
            who = f"{args.clients} clients logging, {args.coaches} coaches editing, gunicorn 4 workers"
            results.append(run(f"{label}, {who}", url, gym, args.seconds))
            print(results[-1][0], flush=True)
            if args.faults:
                results.append(run(f"{label}, fault run", url, gym, args.fault_seconds, fault="kill"))
                print(results[-1][0], flush=True)
                if postgres:
                    results.append(run(f"{label}, fault run", url, gym, args.fault_seconds, fault="database", postgres=postgres))
                    print(results[-1][0], flush=True)
                else:
                    print(f"{label}: the database-stopped run is for PostgreSQL (SQLite is a file inside fitr's own processes).")
        finally:
            if postgres:
                postgres.remove()
    failed = [line for line, passed in results if not passed]
    verdict = ("FAILED:\n" + "\n".join(failed) if failed
               else "All runs: no 5xx (but 503 'try again' while the database was down), no 'database is locked', every acknowledged write found, nothing half-written.")  # fmt: skip
    print("\n" + verdict)
    if args.out:
        record(Path(args.out), args, [line for line, _ in results], verdict)
    return 1 if failed else 0


LOAD_HEADING = "## Load test"


def record(path, args, lines, verdict):
    """Put this run in `path` (docs/benchmarks.md) under LOAD_HEADING, replacing the last one;
    `make bench` keeps that section when it rewrites the file."""
    from bench_http import machine

    text = path.read_text() if path.exists() else "# fitr's benchmarks\n"
    text = text.split("\n" + LOAD_HEADING)[0].rstrip() + "\n"
    when = datetime.now()
    section = [f"\n{LOAD_HEADING}\n", f"`make loadtest` (`tests/loadtest.py`) on {when:%Y-%m-%d} at {when:%H:%M}, on {machine()}: "
               f"{args.seconds} s of {args.clients} clients logging sessions and {args.coaches} coaches editing calendars, "
               f"each a thread of its own, on gunicorn with 4 workers; then the fault runs ({args.fault_seconds} s each).\n"]  # fmt: skip
    section += [f"- {line}" for line in lines] + ["", verdict, ""]
    path.write_text(text + "\n".join(section))


if __name__ == "__main__":
    raise SystemExit(main())
