"""The worker that delivers the outbox (Huey). The queue is SQLite (a file in instance/) by
default, Redis when HUEY_REDIS_URL or REDIS_URL is set (several app servers share it).

Tasks: `deliver(message_id)`, enqueued after the transaction that wrote the email commits;
`sweep`, every minute, which enqueues every outbox row that is due (retries after their pause,
and any whose enqueue was lost); and `jobs`, every 5 minutes, the areas' periodic jobs
(register_job). Run it with `flask worker`; `flask run` runs it in a thread of
its own process, so `make run` stays one command.
"""

import logging
import os
import threading

import click
import redis
from flask import current_app
from huey import RedisHuey, SqliteHuey, crontab

from fitr import config, mail, outbox
from fitr.extensions import db

log = logging.getLogger(__name__)


def make_queue(app):
    """The app's Huey, with its two tasks."""
    url = app.config.get("HUEY_REDIS_URL") or app.config.get("REDIS_URL")
    if url:
        # Timeouts: a Redis that hangs must not hold a request after its commit (the sweep
        # enqueues what was missed); longer than the worker's 1 s blocking read.
        pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        huey = RedisHuey("fitr", connection_pool=pool, results=False)
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
            with app.app_context():
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
        except Exception:  # the queue is down: the sweep finds these rows later
            log.exception("Could not enqueue emails %s; the next sweep will.", ids)

    app.extensions["huey"] = huey
    app.extensions["outbox_tasks"] = {"deliver": deliver, "sweep": sweep, "jobs": jobs}
    app.extensions["outbox_enqueue"] = enqueue
    return huey


def register_job(app, name, job):
    """Have the worker run `job()` every 5 minutes, in an app context (an area's periodic work,
    e.g. ending subscriptions unpaid past their grace period)."""
    app.extensions.setdefault("worker_jobs", {})[name] = job


def start_in_thread(app, workers=1):
    """Run the consumer inside this process (the development server): its worker and scheduler
    threads, without the signal handlers a consumer of its own would set. Returns the consumer."""
    consumer = app.extensions["huey"].create_consumer(workers=workers, worker_type="thread", periodic=True)
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
        consumer = current_app.extensions["huey"].create_consumer(workers=workers, worker_type="thread", periodic=True)
        consumer.run()

    if dev_server_wants_worker(app) and _started.acquire(blocking=False):
        start_in_thread(app)
        log.info("The outbox worker runs inside this process (flask run).")
