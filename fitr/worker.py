"""The worker that delivers the outbox (Huey). The queue is SQLite (a file in instance/) by
default, Redis when HUEY_REDIS_URL or REDIS_URL is set (several app servers share it).

Tasks: `deliver(message_id)`, enqueued after the transaction that wrote the email commits;
`sweep`, every minute, which enqueues every outbox row that is due (retries after their pause,
and any whose enqueue was lost); and `jobs`, every 5 minutes, the areas' periodic jobs
(register_job: the notices and digests that are due, ending lapsed subscriptions). Run it with
`flask worker`; `flask run` runs it in a thread of its own process, so `make run` stays one
command. While Redis is away the worker waits for it, with one log line per retry.
"""

import logging
import os
import threading
import time

import click
import redis
from flask import current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey import consumer as huey_consumer
from huey.storage import RedisStorage

from fitr import config, mail, outbox
from fitr.extensions import db

log = logging.getLogger(__name__)

REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)


class RedisOutage:
    """Redis away, as the worker's threads see it. Huey alone logs a traceback every second and
    its threads spin on the refused connection; here every thread waits for the same retry
    (1 s, 2 s, 4 s, ... at most LONGEST apart) and the first to reach it logs one line."""

    LONGEST = 10  # seconds between retries, at most

    def __init__(self, where):
        self.where = where
        self._lock = threading.Lock()
        self._wait = 0  # this retry's wait in seconds; 0 while Redis answers
        self._retry_at = 0.0  # time.monotonic() of the next retry

    def wait(self, error):
        """Sleep until the next retry; say so once per retry."""
        with self._lock:
            now = time.monotonic()
            if now >= self._retry_at:
                self._wait = min(self._wait * 2, self.LONGEST) if self._wait else 1
                self._retry_at = now + self._wait
                log.warning("Redis at %s is unreachable: retrying in %d s (%s)", self.where, self._wait, error)
            pause = self._retry_at - now
        time.sleep(pause)

    def over(self):
        """Redis answered: say so once if it was away."""
        if self._wait:
            with self._lock:
                if self._wait:
                    log.info("Redis at %s answers again.", self.where)
                    self._wait, self._retry_at = 0, 0.0


class PatientRedisStorage(RedisStorage):
    """Huey's Redis queue, whose reads (the worker's alone: requests only enqueue) wait out an
    outage instead of failing. A failed enqueue still raises: the caller decides."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        settings = self.pool.connection_kwargs
        self.outage = RedisOutage(settings.get("path") or f"{settings.get('host')}:{settings.get('port')}")

    def dequeue(self):
        try:
            popped = self.conn.brpop(self.queue_key, timeout=self.read_timeout)
        except REDIS_DOWN as error:
            self.outage.wait(error)
            return None
        self.outage.over()
        return None if popped is None else popped[1]

    def read_schedule(self, ts):
        try:
            return super().read_schedule(ts)
        except REDIS_DOWN as error:
            self.outage.wait(error)
            return []


class Scheduler(huey_consumer.Scheduler):
    """Huey's scheduler, which waits out a Redis outage when enqueueing a periodic task (that
    minute's is skipped: the sweep and the jobs run again at their next turn) instead of dying
    with a traceback and being restarted 10 s later."""

    def loop(self, now=None):
        try:
            super().loop(now)
        except REDIS_DOWN as error:
            self.huey.storage.outage.wait(error)


class Consumer(huey_consumer.Consumer):
    scheduler_class = Scheduler


def create_consumer(app, workers):
    """The worker: `workers` threads delivering what is queued, and the scheduler of the
    periodic tasks."""
    return Consumer(app.extensions["huey"], workers=workers, worker_type="thread", periodic=True)


def make_queue(app):
    """The app's Huey, with its two tasks."""
    url = app.config.get("HUEY_REDIS_URL") or app.config.get("REDIS_URL")
    if url:
        # Timeouts: a Redis that hangs must not hold a request after its commit (the sweep
        # enqueues what was missed); longer than the worker's 1 s blocking read.
        pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        huey = RedisHuey("fitr", connection_pool=pool, results=False, storage_class=PatientRedisStorage)
    else:
        path = app.config.get("HUEY_SQLITE_PATH") or str(config.instance_path() / "huey.sqlite3")
        huey = SqliteHuey("fitr", filename=path, results=False)

    @huey.task(name="deliver")
    def deliver(message_id):
        with app.app_context():
            try:
                return outbox.deliver(message_id, mail.deliver)
            finally:
                db.session.remove()

    @huey.periodic_task(crontab(minute="*"), name="sweep")
    def sweep():
        with app.app_context():
            try:
                due = outbox.due_ids()
            finally:
                db.session.remove()
        for message_id in due:
            deliver(message_id)
        return len(due)

    @huey.periodic_task(crontab(minute="*/5"), name="jobs")
    def jobs():
        """The areas' periodic jobs (register_job), each in its own app context: one failing
        is logged and the others still run."""
        done = {}
        for name, job in app.extensions.get("worker_jobs", {}).items():
            with outside_request(app):
                try:
                    done[name] = job()
                except Exception:  # noqa: BLE001 (the next run tries again)
                    db.session.rollback()
                    log.exception("The periodic job %s failed; it runs again in 5 minutes.", name)
                finally:
                    db.session.remove()
        return done

    def enqueue(ids):
        try:
            for message_id in ids:
                deliver(message_id)
        except REDIS_DOWN as error:  # an outage, not a bug: one line, and the sweep finds these rows later
            log.warning("Could not enqueue emails %s (%s); the next sweep will.", ids, error)
        except Exception:  # the queue is broken: the sweep finds these rows later
            log.exception("Could not enqueue emails %s; the next sweep will.", ids)

    app.extensions["huey"] = huey
    app.extensions["outbox_tasks"] = {"deliver": deliver, "sweep": sweep, "jobs": jobs}
    app.extensions["outbox_enqueue"] = enqueue
    return huey


def register_job(app, name, job):
    """Have the worker run `job()` every 5 minutes, in outside_request() (an area's periodic
    work, e.g. ending subscriptions unpaid past their grace period)."""
    app.extensions.setdefault("worker_jobs", {})[name] = job


def outside_request(app):
    """The context of work no request causes (the worker's jobs, `flask notify`): links in what
    it sends start with BASE_URL, or else config.outside_request_base_url()."""
    return app.test_request_context(base_url=config.outside_request_base_url(app.config))


def start_in_thread(app, workers=1):
    """Run the consumer inside this process (the development server): its worker and scheduler
    threads, without the signal handlers a consumer of its own would set. Returns the consumer."""
    consumer = create_consumer(app, workers)
    consumer.scheduler.start()
    for _, thread in consumer.worker_threads:
        thread.start()
    return consumer


def dev_server_wants_worker(app):
    """`flask run` (the dev server) runs the worker in-process: in the process that serves, which
    with the reloader is the child (WERKZEUG_RUN_MAIN), not the watcher. Never under gunicorn,
    `flask worker` or tests, unless WORKER_IN_PROCESS says so."""
    setting = app.config.get("WORKER_IN_PROCESS")
    if setting is not None:
        return bool(setting)
    command = click.get_current_context(silent=True)
    if command is None or command.info_name != "run" or app.testing:
        return False
    reload = command.params.get("reload")
    if reload is None:
        reload = app.debug
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


_started = threading.Lock()


def init_app(app):
    make_queue(app)

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Threads delivering email.")
    def worker_command(workers):
        """Deliver the outbox: the worker process to run beside gunicorn (`make serve`)."""
        warning = config.base_url_warning(current_app.config)
        if warning:
            log.warning(warning)
        create_consumer(current_app, workers).run()

    if dev_server_wants_worker(app) and _started.acquire(blocking=False):
        start_in_thread(app)
        log.info("The outbox worker runs inside this process (flask run).")
