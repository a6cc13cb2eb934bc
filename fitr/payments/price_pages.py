"""The coach's Move to the current price, beside "Sold at …" on a client's row: a confirmation
page that says the old and the new price and what happens, then the move."""

from flask import flash, redirect, request, url_for
from flask_login import login_required
from sqlalchemy.orm import joinedload

from fitr.cards.stripe_api import PaymentError
from fitr.extensions import db
from fitr.forms import ActionForm
from fitr.payments import bp
from fitr.payments.repricing import (
    CARD,
    PriceError,
    can_move,
    how_it_moves,
    move_to_current_price,
    why_not,
)
from fitr.programs.access import owned_subscription
from fitr.programs.models import Program
from fitr.programs.programs_page import price_filter
from fitr.subscriptions.models import Subscription
from fitr.web import refused, render


@bp.app_template_global("can_move_to_current_price")
def can_move_to_current_price(subscription, program):
    """For the Active clients row: offer Move to the current price (no query)."""
    return can_move(subscription, program)


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/price", methods=["GET", "POST"])
@login_required
def move_to_price(program_id, subscription_id):
    """Move to the current price, after a confirmation: a card subscription is charged the new
    price from its next payment; anyone else simply holds it from now on."""
    subscription = owned_subscription(program_id, subscription_id, joinedload(Subscription.client))
    program = db.session.get(Program, program_id)
    back = url_for("clients.program_tab", program_id=program_id, tab="active")
    reason = why_not(subscription, program)
    if reason:
        return refused(reason, back=back)
    if request.method != "POST":
        return render("payments/price.html", subscription=subscription, program=program, form=ActionForm(),
                      card=how_it_moves(subscription, program) == CARD, back=back)  # fmt: skip
    if not ActionForm().validate_on_submit():
        return refused("Reload the page and try again.", 400, back=back)
    name, price = subscription.display_name, price_filter(program)
    try:
        how = move_to_current_price(subscription, program)
    except PriceError as error:
        return refused(error.message, back=back)
    except PaymentError as error:
        return refused(error.message, 503, back=back)
    db.session.commit()
    if how == CARD:
        flash(f"{name} is moved to {price}: Stripe charges it from their next payment.", "success")
    else:
        flash(f"{name} is moved to {price}.", "success")
    return redirect(back)
