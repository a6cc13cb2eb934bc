"""One client, as their coach sees them: the overview (recent logs, adherence, Personal Records
in this coach's programs), Move to program (or Re-subscribe a past client), and End
subscription. Each starts from the programs area's ownership loaders: another coach's client
is a 404."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from fitr.clients import bp
from fitr.clients.forms import MaxForm, MoveForm
from fitr.clients.overview import adherence, coach_subscriptions_of, recent_logs
from fitr.clock import today_for
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import ActionForm, attach, choices, row_id
from fitr.history.records import personal_records
from fitr.library.exercises import exercise_names
from fitr.lifecycle import rules as lifecycle
from fitr.lifecycle.paying import CANCEL, KEEP
from fitr.maxes.rules import maxes_of
from fitr.programs.access import coach_subscription, owned_subscription
from fitr.programs.models import Program
from fitr.programs.rules import published_programs
from fitr.subscriptions.models import ACTIVE, PENDING, Subscription
from fitr.web import refused, render, safe_next

PAYMENT_TOLD = {CANCEL: " Their card payment is cancelled.", KEEP: " Their card payment carries on for the new program."}


def loaded_subscription(program_id, subscription_id):
    return owned_subscription(program_id, subscription_id, joinedload(Subscription.program), joinedload(Subscription.client))


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/overview")
@login_required
def overview(program_id, subscription_id):
    """A client's recent logs, adherence over the last 4 weeks, Personal Records and training
    maxes, across my programs they are in."""
    return overview_page(loaded_subscription(program_id, subscription_id))


def overview_page(subscription, max_form=None, status=200):
    """The overview; `max_form`: the training max form as sent, with its messages."""
    today = today_for(current_user)
    context = {"subscription": subscription, "program": subscription.program, "today": today}
    if subscription.client_id is not None and subscription.status != PENDING:
        mine = coach_subscriptions_of(subscription.client_id, current_user.id)
        ids = [s.id for s in mine]
        if max_form is None:
            max_form = MaxForm(formdata=None, data={"unit": current_user.units})
        max_form.value.label.text = f"Max ({max_form.typed_unit(current_user.units)})"
        context.update(
            subscriptions=mine,
            logs=recent_logs(subscription.client_id, ids),
            adherence=adherence(subscription.client_id, current_user.id, today),
            records=personal_records(subscription.client_id, subscription_ids=ids, coach_id=current_user.id),
            maxes=maxes_of(current_user.id, subscription.client_id),
            max_form=max_form,
            remove_form=ActionForm(),
            exercise_names=exercise_names(current_user.id, measure="load_reps"),
        )
    return render("clients/overview.html", status=status, **context)


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/move", methods=["GET", "POST"])
@login_required
def move(program_id, subscription_id):
    """Move to program: end this subscription (its calendar is kept, read-only) and start the
    client on another of my published programs, with a calendar from its template. Also
    re-subscribes a past client."""
    subscription = loaded_subscription(program_id, subscription_id)
    programs = published_programs(current_user.id)
    form = MoveForm()
    form.program.choices = choices([("", "Choose a program")] + [(str(p.id), p.name) for p in programs])
    if request.method == "GET":
        form.start_date.data = today_for(current_user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            target = db.session.get(Program, target_id) if (target_id := row_id(form.program.data)) else None
            card = subscription.card_renews  # what the flash says of their payment
            try:
                new = lifecycle.move(subscription, target, form.start_date.data, form.payment.data)
            except RuleError as error:
                db.session.rollback()  # nothing half-saved; the page shows the client as they are
                subscription = loaded_subscription(program_id, subscription_id)
                attach(form, error)
            else:
                name = subscription.display_name
                db.session.commit()
                start = form.start_date.data
                told = PAYMENT_TOLD[form.payment.data] if card else ""
                flash(f"{name} moved to {target.name}, starting {start.day} {start:%b %Y}.{told}", "success")
                return redirect(url_for("clients.overview", program_id=target.id, subscription_id=new.id))
    return render(
        "clients/move.html",
        status=status,
        form=form,
        subscription=subscription,
        program=subscription.program,
        has_programs=bool(programs),
        card=subscription.card_renews,
    )


@bp.route("/subscriptions/<int:subscription_id>/end", methods=["GET", "POST"])
@login_required
def end_subscription(subscription_id):
    """End subscription, after a confirmation page (one tap on a phone must not end it): the
    client moves to Past clients and keeps their history."""
    subscription = coach_subscription(subscription_id, joinedload(Subscription.client))
    program = subscription.program
    asked_from = request.values.get("next")
    back = safe_next(asked_from) if asked_from else url_for("clients.program_tab", program_id=program.id, tab="active")
    if request.method != "POST":
        if subscription.status != ACTIVE:
            return refused("This subscription is not active.", back=back)
        return render(
            "clients/end.html",
            subscription=subscription,
            program=program,
            next=safe_next(asked_from) if asked_from else None,
            back=back,
        )
    name = subscription.display_name
    try:
        lifecycle.end(subscription)  # a card payment is cancelled in Stripe first, without a refund
    except RuleError as error:
        return refused(error.message, back=back)
    db.session.commit()
    flash(f"Subscription ended: {name} is now under Past clients.", "success")
    if asked_from:
        return redirect(safe_next(asked_from, "clients.index"))
    return redirect(url_for("clients.program_tab", program_id=program.id, tab="past"))
