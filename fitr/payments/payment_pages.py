"""Payments: Stripe's webhook; the client's Finish paying, the page they return to from
Checkout, and leaving it; the coach marking a client Paid outside fitr or Complimentary."""

import logging

import stripe
from flask import current_app, flash, g, redirect, request, url_for
from flask_login import login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitr.cards import events
from fitr.extensions import csrf, db, limiter
from fitr.forms import ActionForm
from fitr.payments import bp, webhooks
from fitr.payments.access import own_payment
from fitr.payments.checkout import go_to_checkout
from fitr.payments.rules import MarkError, mark
from fitr.programs.access import owned_subscription
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription
from fitr.web import is_htmx, refused, render, safe_next

log = logging.getLogger(__name__)


NOT_CONFIGURED = "not configured"


def signature_problem():
    """Why the post is not signed by Stripe (NOT_CONFIGURED, or the verification's error), or
    None when it is. Checked once per request: the rate limit and the webhook both ask."""
    if "stripe_signature_problem" not in g:
        secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
        problem = NOT_CONFIGURED if not secret else None
        if secret:
            try:
                events.verify(request.get_data(), request.headers.get("Stripe-Signature", ""), secret)
            except (ValueError, stripe.SignatureVerificationError) as error:
                problem = type(error).__name__
        g.stripe_signature_problem = problem
    return g.stripe_signature_problem


def signed_by_stripe():
    """The post carries a valid Stripe signature: it is never rate-limited."""
    return signature_problem() is None


def webhook_failure_limit():
    return current_app.config["WEBHOOK_FAILURE_LIMIT"]


@bp.route("/stripe/webhook", methods=["POST"])
@csrf.exempt
# Only failed signatures count (a 400), per address: after WEBHOOK_FAILURE_LIMIT of them its
# posts get 429 until the window passes; a correctly signed event is never limited.
@limiter.limit(webhook_failure_limit, exempt_when=signed_by_stripe, deduct_when=lambda response: response.status_code == 400)
def webhook():
    """Stripe's events, signed with STRIPE_WEBHOOK_SECRET: a forged or unsigned post, or one
    signed more than five minutes before or after now, is refused (400) and changes nothing, and
    so is a signed one fitr cannot read (not an event, or a time that is not one), with one log
    line; each event is applied once, with its effect, in one transaction; any other failure
    answers 500 so that Stripe sends it again."""
    problem = signature_problem()
    if problem == NOT_CONFIGURED:
        log.warning("stripe webhook: refused, STRIPE_WEBHOOK_SECRET is not set")
        return "Webhooks are not configured.", 400
    if problem:
        log.warning("stripe webhook: refused from %s: %s", request.remote_addr, problem)
        return "Invalid signature.", 400
    try:
        event = events.read(request.get_data())
    except events.BadEvent as error:
        return unreadable(error)
    event_id, event_type = event["id"], event["type"]
    if webhooks.already_handled(event_id):
        log.info("stripe webhook: %s %s: already handled", event_type, event_id)
        return "Already handled.", 200
    try:
        outcome = webhooks.handle(event)
        db.session.commit()
    except events.BadEvent as error:
        db.session.rollback()
        return unreadable(error, event_type, event_id)
    except IntegrityError:
        db.session.rollback()
        if webhooks.already_handled(event_id):  # the same event, delivered twice at once
            return "Already handled.", 200
        log.exception("stripe webhook: %s %s failed; Stripe will retry", event_type, event_id)
        return "Not handled; retry.", 500
    except Exception:  # noqa: BLE001 (any failure: nothing stays written and Stripe retries)
        db.session.rollback()
        log.exception("stripe webhook: %s %s failed; Stripe will retry", event_type, event_id)
        return "Not handled; retry.", 500
    log.info("stripe webhook: %s %s: %s", event_type, event_id, outcome)
    return outcome, 200


def unreadable(error, event_type="", event_id=""):
    """A signed post fitr cannot read: sending it again would not help, so it is refused (400)
    with one line in the log, and nothing changes."""
    what = f"{event_type} {event_id}".strip()[:120] or "a signed post"
    log.warning("stripe webhook: refused %r: %s", what, error)  # repr: one line, whatever the event's id holds
    return "Not an event fitr can read.", 400


@bp.route("/my/payments/<int:subscription_id>/pay", methods=["POST"])
@login_required
def finish_paying(subscription_id):
    """Finish paying: back to Stripe Checkout for a subscription Awaiting payment."""
    subscription = own_payment(subscription_id)
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=url_for("training.my_programs"))
    if not subscription.awaiting_payment:
        flash("There is nothing left to pay for this program.", "info")
        return redirect(url_for("training.my_programs"))
    program = db.session.get(Program, subscription.program_id)
    if not program.is_published:
        return refused("This program is not taking new clients right now.", back=url_for("training.my_programs"))
    return go_to_checkout(subscription)


@bp.route("/my/payments/<int:subscription_id>/confirming")
@login_required
def confirming(subscription_id):
    """Back from Checkout: "Payment received, we are confirming it" until Stripe's signed
    event activates the subscription; then on to Today."""
    subscription = own_payment(subscription_id)
    program = db.session.get(Program, subscription.program_id)
    if subscription.is_active:
        flash(f"You joined {program.name}.", "success")
        if is_htmx():
            return "", 200, {"HX-Redirect": url_for("training.today")}
        return redirect(url_for("training.today"))
    return render("payments/confirming.html", block="status", subscription=subscription, program=program)


@bp.route("/my/payments/<int:subscription_id>/left")
@login_required
def left_checkout(subscription_id):
    """The client left Checkout without paying: their place waits for them (Finish paying)."""
    subscription = own_payment(subscription_id)
    if subscription.awaiting_payment:
        flash("You left the payment page without paying. Your place is kept: Finish paying when you are ready.", "info")
    return redirect(url_for("training.my_programs"))


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/payment", methods=["POST"])
@login_required
def mark_payment(program_id, subscription_id):
    """The coach marks a client of a paid program Paid outside fitr or Complimentary."""
    subscription = owned_subscription(program_id, subscription_id, joinedload(Subscription.client))
    program = db.session.get(Program, program_id)
    back = url_for("clients.program", program_id=program_id)
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=back)
    try:
        mark(subscription, program, request.form.get("payment", ""))
    except MarkError as error:
        return refused(error.message, 400, back=back)
    told = f"{subscription.display_name}: {subscription.payment_label or 'payment not marked'}."
    db.session.commit()
    flash(told, "success")
    return redirect(safe_next(request.form.get("next")) if request.form.get("next") else back)
