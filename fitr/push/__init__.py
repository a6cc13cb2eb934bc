"""Reminders by Web Push: each person's browsers (push subscriptions), what they chose in
Settings > Reminders, the training reminder at their time on their training days, and the pushes
other areas' writes cause (fitr.push.triggers), delivered by the worker like email."""

import logging

from flask import Blueprint

log = logging.getLogger(__name__)
bp = Blueprint("push", __name__)


@bp.record_once
def deliver_with_the_worker(state):
    """The worker delivers each push once its transaction commits; every minute it sends the
    training reminders that are due and retries the pushes whose pause is over."""
    from huey import crontab

    from fitr.extensions import db
    from fitr.push import reminders, sending
    from fitr.worker import outside_request

    app = state.app
    huey = app.extensions["huey"]

    @huey.task(name="push")
    def deliver(push_id):
        with app.app_context():
            try:
                return sending.deliver(push_id)
            finally:
                db.session.remove()

    @huey.periodic_task(crontab(minute="*"), name="push_due")
    def every_minute():
        reminded = None
        with outside_request(app):
            try:
                reminded = reminders.send_training_reminders()
            except Exception:  # noqa: BLE001 (the next minute tries again; the pushes due still go)
                db.session.rollback()
                log.exception("The training reminders failed; the next minute tries again.")
            try:
                due = sending.due_ids()
            finally:
                db.session.remove()
        for push_id in due:
            deliver(push_id)
        return {"reminded": reminded, "due": len(due)}

    app.extensions["push_tasks"] = {"deliver": deliver, "every_minute": every_minute}


from fitr.push import reminders_page, triggers  # noqa: E402,F401
