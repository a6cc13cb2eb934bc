"""What a coach sees of a client's training, and Move to program.

Both start from `owned_subscription`: another coach's client is a 404. The overview shows only
what the client did in this coach's programs (and the records the client entered by hand of
starter exercises and this coach's own)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from fitr.athlete import bp, rules
from fitr.athlete.forms import MoveForm
from fitr.athlete.forms import choices as select_choices
from fitr.athlete.rules import AthleteError
from fitr.extensions import db
from fitr.programs.access import owned_subscription
from fitr.programs.models import PENDING, Program, Subscription
from fitr.web import render


@bp.app_template_global()
def client_calendar_link(subscription):
    """The coach's link to a 1-2-1 client's calendar, when the calendar area has that page."""
    if subscription.program.type != "1-2-1" or "calendar.client_calendar" not in current_app.view_functions:
        return None
    return url_for(
        "calendar.client_calendar", program_id=subscription.program_id, subscription_id=subscription.id
    )


def coach_today():
    try:
        return datetime.now(ZoneInfo(current_user.time_zone)).date()
    except (KeyError, ValueError):
        return date.today()


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/overview")
@login_required
def client_overview(program_id, subscription_id):
    """A client's recent logs, adherence over the last 4 weeks and Personal Records, across my
    programs they are in."""
    subscription = owned_subscription(
        program_id, subscription_id, joinedload(Subscription.program), joinedload(Subscription.client)
    )
    today = coach_today()
    context = {"subscription": subscription, "program": subscription.program, "today": today}
    if subscription.client_id is not None and subscription.status != PENDING:
        mine = rules.coach_subscriptions_of(subscription.client_id, current_user.id)
        ids = [s.id for s in mine]
        context.update(
            subscriptions=mine,
            logs=rules.recent_logs(subscription.client_id, ids),
            adherence=rules.adherence(subscription.client_id, current_user.id, today),
            records=rules.personal_records(subscription.client_id, subscription_ids=ids, coach_id=current_user.id),
        )
    return render("athlete/coach_overview.html", **context)


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/move", methods=["GET", "POST"])
@login_required
def move_client(program_id, subscription_id):
    """Move to program: end this subscription (its calendar is kept, read-only) and start the
    client on another of my published programs, with a calendar from its template. Also
    re-subscribes a past client."""
    subscription = owned_subscription(
        program_id, subscription_id, joinedload(Subscription.program), joinedload(Subscription.client)
    )
    programs = rules.movable_programs(current_user.id)
    form = MoveForm()
    form.program.choices = select_choices([("", "Choose a program")] + [(str(p.id), p.name) for p in programs])
    if request.method == "GET":
        form.start_date.data = coach_today()
    status, failed = 200, False
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            target = db.session.get(Program, int(form.program.data)) if form.program.data.isdigit() else None
            try:
                new = rules.move_subscription(subscription, target, form.start_date.data)
            except AthleteError as error:
                failed = True
                field = getattr(form, error.field, None) if error.field else None
                if field is not None:
                    field.errors = [*field.errors, error.message]
                else:
                    form.form_errors.append(error.message)
            else:
                name = subscription.display_name
                db.session.commit()
                start = form.start_date.data
                flash(f"{name} moved to {target.name}, starting {start.day} {start:%b %Y}.", "success")
                return redirect(url_for("athlete.client_overview", program_id=target.id, subscription_id=new.id))
    response = render(
        "athlete/move.html",
        status=status,
        form=form,
        subscription=subscription,
        program=subscription.program,
        has_programs=bool(programs),
    )
    if failed:
        db.session.rollback()  # after rendering from what is loaded: nothing half-saved
    return response
