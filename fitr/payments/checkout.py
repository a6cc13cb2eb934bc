"""Sending a client to Stripe Checkout for a subscription Awaiting payment (right after they
join, or when they Finish paying later)."""

from flask import flash, redirect, url_for

from fitr.accounts.models import User
from fitr.cards.stripe_api import PaymentError, checkout_params, create_checkout
from fitr.extensions import db
from fitr.programs.models import Program
from fitr.web import absolute_url


def go_to_checkout(subscription):
    """Commit the subscription as Awaiting payment (so it survives whatever Stripe answers),
    create a Checkout Session at the price it was sold at, remember it, and redirect there.
    Stripe unreachable: the client is told and can Finish paying later from My programs."""
    program = db.session.get(Program, subscription.program_id)
    client = db.session.get(User, subscription.client_id)
    returned = absolute_url("payments.confirming", subscription_id=subscription.id) + "?session_id={CHECKOUT_SESSION_ID}"
    left = absolute_url("payments.left_checkout", subscription_id=subscription.id)
    params = checkout_params(subscription, program.name, client.email, returned, left)
    db.session.commit()  # one state per commit: the join (Awaiting payment), then its Checkout Session
    try:
        checkout_id, url = create_checkout(params)
    except PaymentError as error:
        flash(f"You joined {program.name}; your payment is not taken yet. {error.message}", "error")
        return redirect(url_for("training.my_programs"))
    subscription.stripe_checkout_id = checkout_id
    db.session.commit()
    return redirect(url, 303)
