"""After joining a paid program: the client's Cancel subscription / Keep subscription and their
way to Stripe's customer portal (update card, invoices); the coach's Cancel payment; and
`flask payments end-lapsed`, which ends subscriptions unpaid past their grace period."""

import click
from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fitr.cards import stripe_api
from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.forms import ActionForm, attach
from fitr.lifecycle.rules import end_lapsed
from fitr.payments import bp
from fitr.payments.access import own_payment
from fitr.payments.billing import (
    NOW,
    PERIOD_END,
    cancel_at_period_end,
    cancel_by_coach,
    recurring,
)
from fitr.payments.forms import CancelPaymentForm
from fitr.programs.access import owned_subscription
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription
from fitr.web import absolute_url, refused, render, rolled_back

# --- the client's side -------------------------------------------------------------------------


@bp.route("/my/payments/<int:subscription_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_subscription(subscription_id):
    """Cancel subscription, after a confirmation: it stops renewing; the client keeps access
    until the end of the period they paid for."""
    subscription = own_payment(subscription_id)
    program = db.session.get(Program, subscription.program_id)
    back = url_for("training.my_programs")
    if not subscription.paid_by_card or not recurring(subscription):
        return refused("This subscription is not renewed by card: there is nothing to cancel.", back=back)
    if request.method != "POST":
        return render("payments/cancel.html", subscription=subscription, program=program, form=ActionForm(), back=back)
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=back)
    try:
        cancel_at_period_end(subscription, True)
    except RuleError as error:
        return refused(error.message, back=back)
    db.session.commit()
    flash(f"Your subscription to {program.name} is cancelled. You keep access until it ends.", "success")
    return redirect(back)


@bp.route("/my/payments/<int:subscription_id>/keep", methods=["POST"])
@login_required
def keep_subscription(subscription_id):
    """Keep subscription: a cancellation at the period end is undone; it renews as before."""
    subscription = own_payment(subscription_id)
    back = url_for("training.my_programs")
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=back)
    if not subscription.paid_by_card or not recurring(subscription):
        return refused("This subscription is not renewed by card: there is nothing to keep.", back=back)
    try:
        cancel_at_period_end(subscription, False)
    except RuleError as error:
        return refused(error.message, back=back)
    db.session.commit()
    flash("Your subscription renews as before.", "success")
    return redirect(back)


def go_to_portal(customer_id, back):
    """Stripe's customer portal for this customer, returning to Settings."""
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=back)
    if not stripe_api.configured():
        return refused("Card payments are off on this fitr: ask your coach.", back=back)
    try:
        url = stripe_api.portal_url(customer_id, absolute_url("accounts.settings"))
    except RuleError as error:
        return refused(error.message, 503, back=back)
    return redirect(url, 303)


def stripe_customer(user_id):
    """The Stripe customer of the user's newest card-paid subscription, or None."""
    return db.session.scalar(
        select(Subscription.stripe_customer_id)
        .where(Subscription.client_id == user_id, Subscription.stripe_customer_id.is_not(None))
        .order_by(Subscription.id.desc())
        .limit(1)
    )


@bp.app_template_global("stripe_customer_of_current_user")
def stripe_customer_of_current_user():
    """For Settings: whether to offer Manage payments and invoices (one query, when asked)."""
    return current_user.is_authenticated and stripe_customer(current_user.id) is not None


@bp.route("/my/payments/portal", methods=["POST"])
@login_required
def portal():
    """Manage payments and invoices (Settings): the client's card and invoices on Stripe."""
    customer_id = stripe_customer(current_user.id)
    if customer_id is None:
        abort(404)
    return go_to_portal(customer_id, url_for("accounts.settings"))


@bp.route("/my/payments/<int:subscription_id>/portal", methods=["POST"])
@login_required
def update_card(subscription_id):
    """Update card (Payment failed): the portal of the customer who pays this subscription."""
    subscription = own_payment(subscription_id)
    if not subscription.stripe_customer_id:
        abort(404)
    return go_to_portal(subscription.stripe_customer_id, url_for("training.my_programs"))


# --- the coach's side --------------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/cancel-payment", methods=["GET", "POST"])
@login_required
def cancel_payment(program_id, subscription_id):
    """Cancel payment: now (with or without a refund of the last payment) or at the period end
    (a subscription that renews); a one-off payment only ends now."""
    subscription = owned_subscription(program_id, subscription_id, joinedload(Subscription.client))
    program = db.session.get(Program, program_id)
    back = url_for("clients.program_tab", program_id=program_id, tab="active")
    if not subscription.paid_by_card:
        return refused("This client does not pay by card through fitr: there is no payment to cancel.", back=back)
    form = CancelPaymentForm(recurring=recurring(subscription))
    if request.method == "POST" and form.validate_on_submit():
        name = subscription.display_name
        try:
            cancel_by_coach(subscription, form.when.data, form.refund.data)
        except RuleError as error:
            attach(form, error)  # rolled back once the page is rendered (it shows the loaded client)
        else:
            db.session.commit()
            told = {PERIOD_END: f"{name}'s subscription ends at the end of the period they paid for.",
                    NOW: f"{name}'s payment is cancelled{' and refunded' if form.refund.data else ''}: they are now under Past clients."}  # fmt: skip
            flash(told[form.when.data], "success")
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return rolled_back(render("payments/cancel_payment.html", status=status, subscription=subscription,
                              program=program, form=form, back=back))  # fmt: skip


# --- the job -----------------------------------------------------------------------------------


@bp.cli.command("end-lapsed")
def end_lapsed_command():
    """End the subscriptions whose payment failed and whose grace period has passed (Past
    clients), and cancel them in Stripe. Safe to run as often as you like."""
    ended = end_lapsed(utcnow())
    click.echo(f"Ended {len(ended)} unpaid subscription{'s' if len(ended) != 1 else ''}.")
