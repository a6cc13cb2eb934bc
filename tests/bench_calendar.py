"""`make bench`: how fast is the coach's loop on a big database?

Builds a throwaway database with 200 clients in one 1-2-1 program, each with a year of
sessions (5 a week, 6 prescriptions each), then times through the real app (test client, logged
in, htmx headers):
  - one client's month calendar fragment,
  - saving a session with 6 prescriptions,
  - the session editor's actions: opening Add session, opening a session, adding a session
    (6 rows with a superset), and the exercise type-ahead,
  - the coach's Home, the program page and Clients,
and, for each, a bare Flask route returning that response's own HTML (same size, no database,
no template: the framework's own floor), the two taking turns. Prints the median and p95 times,
the SQL statements per request, and the ratios of median to median and p95 to p95 over the
floor. The clock is pinned (NOW), so "yesterday" and "ahead" are the same every run.

The measured client logged their sessions up to the month on screen (most done, some skipped),
so the fragment shows Done, Skipped and Missed as a coach sees it.

SQLite in a temporary file by default; set BENCH_DATABASE_URL to try PostgreSQL.
    python tests/bench_calendar.py [--clients 200] [--runs 200]
"""

import argparse
import hashlib
import inspect
import json
import os
import secrets
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import time_machine
from flask_login import current_user, login_required
from sqlalchemy import event, insert, select, text

os.environ.setdefault("SECRET_KEY", "bench")
from fitr import create_app  # noqa: E402  (the app first: it imports the areas in a working order)
from fitr.extensions import db  # noqa: E402

CLIENTS, WEEKS, PER_WEEK, PRESCRIPTIONS = 200, 52, 5, 6
FIRST_MONDAY = date(2026, 1, 5)
LOGGED_UNTIL = date(2026, 6, 20)  # the fragment shows June 2026: logged days, then days to come
# The bench's clock starts here every run (a Wednesday): yesterday's sessions passed unlogged
# for every client but the measured one (Home's Missed yesterday), and days ahead are planned.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PASSWORD = "benchmark password"


def start_bench_clock(since):
    """Run this process on the bench's clock: NOW plus the real seconds since `since` (a
    time.time() taken before any travel), moving on. Every process of a run (the load
    generator, gunicorn's workers) passes the same `since`, so their clocks agree: a session
    cookie signed by one worker is not "from the future" for the other. Returns the traveller."""
    traveller = time_machine.travel(NOW + timedelta(seconds=time.time() - since), tick=True)
    traveller.start()
    time.time()  # time-machine starts ticking at the first reading: now, not at a first request
    return traveller


@contextmanager
def bench_clock(since):
    """The bench's clock (start_bench_clock) for the block."""
    traveller = start_bench_clock(since)
    try:
        yield
    finally:
        traveller.stop()


def build(app, clients):
    """The big database, written with bulk inserts (a few seconds)."""
    from werkzeug.security import generate_password_hash

    from fitr.accounts.models import User
    from fitr.calendars.models import Calendar, Prescription, Session
    from fitr.library import exercises as library_exercises
    from fitr.library import workouts as library_workouts
    from fitr.library.models import Exercise
    from fitr.programs.models import PUBLISHED, Program
    from fitr.subscriptions.models import ACTIVE, Subscription

    with app.app_context():
        db.create_all()
        library_exercises.load_starter_exercises()
        coach = User(name="Bench Coach", email="coach@bench.test", password_hash=generate_password_hash(PASSWORD),
                     email_confirmed_at=datetime(2026, 1, 1))  # fmt: skip
        db.session.add(coach)
        db.session.flush()
        program = Program(coach_id=coach.id, name="Bench 1-2-1", status=PUBLISHED, public_slug=secrets.token_hex(8))
        db.session.add(program)
        db.session.flush()
        hash_ = coach.password_hash
        db.session.execute(
            insert(User), [{"name": f"Client {i}", "email": f"client{i}@bench.test", "password_hash": hash_} for i in range(clients)]
        )
        user_ids = db.session.scalars(select(User.id).where(User.id != coach.id).order_by(User.id)).all()
        db.session.execute(
            insert(Subscription),
            [
                {"program_id": program.id, "client_id": uid, "client_email": f"client{i}@bench.test", "status": ACTIVE, "start_date": FIRST_MONDAY}
                for i, uid in enumerate(user_ids)
            ],
        )
        subscription_ids = db.session.scalars(select(Subscription.id).order_by(Subscription.id)).all()
        db.session.execute(
            insert(Calendar), [{"kind": "client", "program_id": program.id, "subscription_id": sid} for sid in subscription_ids]
        )
        calendar_ids = db.session.scalars(select(Calendar.id).order_by(Calendar.id)).all()
        exercise_ids = db.session.scalars(select(Exercise.id).order_by(Exercise.id).limit(40)).all()
        session_id = 0
        for calendar_id in calendar_ids:
            sessions, prescriptions = [], []
            for week in range(WEEKS):
                for weekday in range(PER_WEEK):
                    session_id += 1
                    sessions.append(
                        {"id": session_id, "calendar_id": calendar_id, "date": FIRST_MONDAY + timedelta(days=7 * week + weekday),
                         "position": 0, "title": f"Session {week + 1}.{weekday + 1}", "notes": ""}
                    )  # fmt: skip
                    for position in range(PRESCRIPTIONS):
                        prescriptions.append(
                            {**library_workouts.ITEM_DEFAULTS, "session_id": session_id, "position": position,
                             "exercise_id": exercise_ids[(session_id + position) % len(exercise_ids)],
                             "sets": 4, "reps_min": 6, "reps_max": 8, "load_value": 80.0, "load_unit": "kg", "rpe": 8.0}
                        )  # fmt: skip
            db.session.execute(insert(Session), sessions)
            db.session.execute(insert(Prescription), prescriptions)
        log_sessions(calendar_ids[len(calendar_ids) // 2])
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('calendar_session', 'id'), :n)"), {"n": session_id})
        db.session.commit()
        return program.id, subscription_ids[len(subscription_ids) // 2]


def build_cached(app, url, clients, cache=None):
    """`build`, or (SQLite) a copy of the database an earlier run kept in the folder `cache`:
    the program and the measured subscription."""
    cached = Path(cache) / f"bench-{clients}-{_shape()}.sqlite3" if cache and url.startswith("sqlite") else None
    if cached and cached.exists():
        shutil.copy(cached, url.removeprefix("sqlite:///"))
        return built(app)
    found = build(app, clients)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(url.removeprefix("sqlite:///"), cached)
    return found


def _shape():
    """A short hash of the tables and of the code that fills them: a cached database of another
    shape is never reused."""
    from sqlalchemy.schema import CreateTable

    shape = [str(CreateTable(table)) for table in db.metadata.sorted_tables]
    shape += [inspect.getsource(build), inspect.getsource(log_sessions)]
    return hashlib.sha1("".join(shape).encode()).hexdigest()[:10]


def built(app):
    """The program and the measured subscription of a database `build` made."""
    from fitr.subscriptions.models import Subscription

    with app.app_context():
        ids = db.session.scalars(select(Subscription.id).order_by(Subscription.id)).all()
        program_id = db.session.scalar(select(Subscription.program_id).where(Subscription.id == ids[0]))
        return program_id, ids[len(ids) // 2]


def log_sessions(calendar_id):
    """The client of `calendar_id` logged their sessions before LOGGED_UNTIL: each fifth
    skipped, every fourth missed, the rest done with their prescriptions' sets."""
    from fitr.calendars.models import Calendar, Prescription, Session
    from fitr.history.models import SessionLog, SetLog
    from fitr.subscriptions.models import Subscription

    client_id = db.session.scalar(
        select(Subscription.client_id).join(Calendar, Calendar.subscription_id == Subscription.id).where(Calendar.id == calendar_id)
    )
    sessions = db.session.execute(
        select(Session.id, Session.date).where(Session.calendar_id == calendar_id, Session.date < LOGGED_UNTIL).order_by(Session.date)
    ).all()
    logs, done = [], []
    for i, (session_id, day) in enumerate(sessions):
        if i % 4 == 3:
            continue
        status = "skipped" if i % 5 == 4 else "done"
        logs.append({"user_id": client_id, "session_id": session_id, "date": day, "status": status, "rpe": 8.0,
                     "notes": "", "submission_key": secrets.token_hex(16), "program_name": "Bench 1-2-1", "session_title": ""})  # fmt: skip
        if status == "done":
            done.append(session_id)
    db.session.execute(insert(SessionLog), logs)
    log_ids = dict(db.session.execute(select(SessionLog.session_id, SessionLog.id).where(SessionLog.user_id == client_id)).all())
    prescriptions = db.session.execute(
        select(Prescription.session_id, Prescription.position, Prescription.exercise_id, Prescription.sets).where(Prescription.session_id.in_(done))
    ).all()
    dates = dict(sessions)
    sets = [
        {"session_log_id": log_ids[p.session_id], "user_id": client_id, "exercise_id": p.exercise_id, "exercise_name": "Exercise",
         "measure": "load_reps", "position": p.position, "set_number": n, "reps": 7, "load_kg": 80.0, "date": dates[p.session_id]}
        for p in prescriptions
        for n in range(1, p.sets + 1)
    ]  # fmt: skip
    db.session.execute(insert(SetLog), sets)


def timed(runs, call, floor):
    """(median, p95) in ms of `call` and of `floor`, taking turns (call, floor, call...), so a
    busier moment of the machine weighs on both alike."""
    times, floor_times = [], []
    for _ in range(runs):
        for each, kept in ((call, times), (floor, floor_times)):
            start = time.perf_counter()
            each()
            kept.append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), sorted(t)[max(0, int(len(t) * 0.95) - 1)]) for t in (times, floor_times)]


def profile(call, runs):
    """Where an action's time goes: cProfile over `runs` calls, top functions by own and total time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25).sort_stats("cumulative").print_stats(40)


def queries(engine, call):
    statements = []

    def count(*_):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def bench_copy_weeks(app, client, program_id, subscription_id, engine):
    """Copy 4 weeks of the measured client's calendar onto the same weeks of 20 other clients
    (fewer when the database has fewer; once: it writes). Returns (ms for the copy request, its
    queries, sessions made, calendars copied onto)."""
    from fitr.subscriptions.models import Subscription

    with app.app_context():
        others = db.session.scalars(
            select(Subscription.id).where(Subscription.program_id == program_id, Subscription.id != subscription_id).limit(20)
        ).all()
        from fitr.calendars.models import Calendar

        calendar_id = db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == subscription_id))
    data = {"weeks-first-date": "2026-09-07", "weeks-last-date": "2026-09-28", "weeks-to-date": "2026-10-05",
            "weeks-clients": [str(s) for s in others], "weeks-progression": "kg", "weeks-amount": "2.5"}  # fmt: skip
    base = f"/programs/{program_id}/calendars/{calendar_id}/copy-weeks"
    preview = client.post(base + "/preview", data=data, headers={"HX-Request": "true"})
    assert preview.status_code == 200, preview.status_code
    previewed = preview.get_data(as_text=True).split('name="previewed" value="')[1].split('"')[0]
    start = time.perf_counter()
    response = None

    def copy():
        nonlocal response
        response = client.post(base, data=data | {"previewed": previewed}, headers={"HX-Request": "true"})

    count = queries(engine, copy)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    made = int(response.get_data(as_text=True).split(" sessions.")[0].rsplit(": ", 1)[1])
    return elapsed, count, made, len(others)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cache", metavar="DIR", help="keep the built SQLite database in DIR and start from a copy of it next time")
    parser.add_argument("--profile", metavar="ACTION", help="print cProfile's top functions for the action named so")
    parser.add_argument("--summary", metavar="FILE", help="write each action's median and its floor's (ms) to FILE as JSON")
    parser.add_argument("--only", metavar="ACTION", action="append", help="time only the actions named so (repeatable); no verdicts")
    args = parser.parse_args(argv)
    with bench_clock(time.time()):
        return run(args)


def run(args):
    workdir = tempfile.mkdtemp(prefix="fitr-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "TESTING": False, "LOGIN_RATE_LIMIT": "10000 per minute"})
    floors = {}  # the floor of each measured response: its own HTML, returned as a string

    @login_required
    def floor_route(name):
        """The framework's floor: the same session cookie read and the same user loaded as the
        app's pages, then the measured response's bytes as they are."""
        assert current_user.id
        return floors[name]

    app.add_url_rule("/_bench/floor/<name>", "bench_floor", floor_route)

    started = time.perf_counter()
    if url.startswith("postgresql"):
        with app.app_context():
            db.drop_all()
    program_id, subscription_id = build_cached(app, url, args.clients, args.cache)
    print(f"Built {args.clients} clients x {WEEKS} weeks x {PER_WEEK} sessions x {PRESCRIPTIONS} prescriptions "
          f"on {url.split(':')[0]} in {time.perf_counter() - started:.1f} s")  # fmt: skip

    client = app.test_client()
    assert client.post("/login", data={"email": "coach@bench.test", "password": PASSWORD}).status_code == 302
    htmx = {"HX-Request": "true"}
    fragment_url = f"/programs/{program_id}/clients/{subscription_id}/calendar?view=month&date=2026-06-15"

    with app.app_context():
        from fitr.calendars.models import Calendar, Session

        calendar_id = db.session.scalar(select(Calendar.id).where(Calendar.subscription_id == subscription_id))
        session_id = db.session.scalar(select(Session.id).where(Session.calendar_id == calendar_id, Session.date == date(2026, 6, 16)))
        engine = db.engine
    save_url = f"/programs/{program_id}/sessions/{session_id}"
    names = ["Back Squat", "Bench Press", "Romanian Deadlift", "Pull-Up", "Overhead Press", "Plank"]
    save_data = {"title": "Benchmark save", "date": "2026-06-16", "action": "save"}
    for i, name in enumerate(names):
        save_data |= {f"prescriptions-{i}-exercise": name, f"prescriptions-{i}-sets": "4", f"prescriptions-{i}-reps": "6-8",
                      f"prescriptions-{i}-load": "80", f"prescriptions-{i}-load_unit": "kg", f"prescriptions-{i}-rpe": "8"}  # fmt: skip

    def fragment():
        response = client.get(fragment_url, headers=htmx)
        assert response.status_code == 200, response.status_code
        return response

    validator = {}

    def unchanged():
        """Switching back to the same calendar: the browser sends the ETag it holds."""
        if "etag" not in validator:
            validator["etag"] = fragment().headers["ETag"]
        response = client.get(fragment_url, headers=htmx | {"If-None-Match": validator["etag"]})
        assert response.status_code == 304, response.status_code
        return response

    def save():
        response = client.post(save_url, data=save_data, headers=htmx | {"HX-Current-URL": "http://localhost" + fragment_url})
        assert response.status_code == 200, response.status_code
        return response

    new_url = f"/programs/{program_id}/calendars/{calendar_id}/sessions"
    create_data = save_data | {"title": "Benchmark add", "prescriptions-1-joined": "y", "prescriptions-0-rounds": "3"}
    empty_days = iter(date(2027, 2, 1) + timedelta(days=i) for i in range(10_000))  # after the year of sessions

    def open_new():
        response = client.get(f"{new_url}/new?date=2026-06-20", headers=htmx)
        assert response.status_code == 200, response.status_code
        return response

    def open_session():
        response = client.get(f"/programs/{program_id}/sessions/{session_id}/edit", headers=htmx)
        assert response.status_code == 200, response.status_code
        return response

    def add_session():
        response = client.post(new_url, data=create_data | {"date": next(empty_days).isoformat()}, headers=htmx)
        assert response.status_code == 200, response.status_code
        return response

    def type_ahead():
        response = client.get("/exercises/matches?prescriptions-0-exercise=dead", headers=htmx)
        assert response.status_code == 200, response.status_code
        return response

    def floor_of(name):
        def floor():
            response = client.get(f"/_bench/floor/{name}")
            assert response.status_code == 200, response.status_code
            return response

        return floor

    def page_of(url, headers=None):
        def page():
            response = client.get(url, headers=headers)
            assert response.status_code == 200, response.status_code
            return response

        return page

    home, program_page, clients_page = page_of("/home"), page_of(f"/programs/{program_id}"), page_of("/clients/")
    switcher_search = page_of(f"/programs/{program_id}/calendar/clients?q=client 1", htmx)

    writes = max(args.runs // 2, 10)
    measured = [
        ("calendar month fragment", fragment, args.runs),
        ("calendar fragment unchanged (304)", unchanged, args.runs),
        ("session save (6 prescriptions)", save, writes),
        ("editor: Add session (open)", open_new, args.runs),
        ("editor: open a session", open_session, args.runs),
        ("editor: add a session (6 rows, superset)", add_session, writes),
        ("editor: exercise type-ahead", type_ahead, args.runs),
        ("Home", home, args.runs),
        ("program page (Active clients)", program_page, args.runs),
        ("Clients (Active clients)", clients_page, args.runs),
        ("client switcher search", switcher_search, args.runs),
    ]
    editor_actions = [name for name, *_ in measured[2:7]]
    goals = {"calendar month fragment": 30, "program page (Active clients)": 15, "Clients (Active clients)": 15,
               "client switcher search": 5} | {name: 30 for name in editor_actions}  # fmt: skip
    print(f"{'':40}{'median':>10}{'p95':>10}{'queries':>9}{'bytes':>9}{'median x':>10}{'p95 x':>8}")
    results, summary = {}, {}
    for name, call, runs in measured:
        if args.only and name not in args.only:
            continue
        body = call().get_data()
        floors[name] = body.decode()
        floor = floor_of(name)
        assert floor().get_data() == body
        for _ in range(10):
            call()  # warm up
            floor()
        if args.profile == name:
            profile(call, runs)
        (median, p95), (floor_median, floor_p95) = timed(runs, call, floor)
        count, floor_count = queries(engine, call), queries(engine, floor)
        results[name] = median
        summary[name] = {"median": median, "floor": floor_median, "queries": count}
        print(f"{name:40}{median:8.2f}ms{p95:8.2f}ms{count:9d}{len(body):9d}{median / floor_median:10.1f}{p95 / floor_p95:8.1f}")
        print(f"{'  bare Flask route, same size':40}{floor_median:8.2f}ms{floor_p95:8.2f}ms{floor_count:9d}{len(body):9d}")
        if call is fragment:
            text = body.decode()
            shown = f"{text.count('data-session-id=')} sessions, {text.count('data-completion=')} completion badges"
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=1))
    if args.only:
        return 0
    print(f"\nOn screen: {shown}")
    copy_ms, copy_count, made, targets = bench_copy_weeks(app, client, program_id, subscription_id, engine)
    print(f"Copy weeks, 4 weeks onto {targets} calendars (+2.5 kg a week, preview then copy, one transaction): "
          f"{copy_ms:.0f} ms for the copy, {copy_count} queries, {made} sessions made")  # fmt: skip
    verdict = "OK" if results["calendar month fragment"] < 30 else "TOO SLOW"
    print(f"Month fragment median {results['calendar month fragment']:.1f} ms (goal: under 30 ms): {verdict}")
    fragment = summary["calendar month fragment"]
    print(f"Month fragment: {fragment['median'] / fragment['floor']:.1f} times the bare route in process "
          f"(make bench compares them through gunicorn too)")  # fmt: skip
    slowest = max(editor_actions, key=results.get)
    editor_verdict = "OK" if results[slowest] < 30 else "TOO SLOW"
    print(f"Slowest editor action: {slowest}, median {results[slowest]:.1f} ms (goal: under 30 ms): {editor_verdict}")
    verdicts = [verdict, editor_verdict]
    for name in ("program page (Active clients)", "Clients (Active clients)", "client switcher search"):
        verdicts.append("OK" if results[name] < goals[name] else "TOO SLOW")
        print(f"{name}: median {results[name]:.1f} ms at {args.clients} clients (goal: under {goals[name]} ms): {verdicts[-1]}")
    return 0 if set(verdicts) == {"OK"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
