"""Join from a paid program's public page (with card payments on): the visitor makes an account
(the emailed link that proves it brings them back here) or logs in, then pays on Stripe
Checkout; Stripe's signed event makes them active, as for an invite link."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from fitr.accounts.rules import normalise_email
from fitr.accounts.signup import sign_up
from fitr.cards.stripe_api import configured
from fitr.clock import today_for, utcnow
from fitr.errors import RuleError
from fitr.extensions import db, limiter
from fitr.forms import attach
from fitr.invites import bp
from fitr.invites.accepting import Joined, check_waiver, start
from fitr.invites.forms import JoinForm
from fitr.invites.inviting import InviteError
from fitr.invites.joining import accept_limit, with_typed_password
from fitr.lifecycle import rules as lifecycle
from fitr.payments.checkout import go_to_checkout
from fitr.programs.rules import public_program
from fitr.subscriptions.models import ACTIVE
from fitr.subscriptions.queries import live_subscription
from fitr.web import render

PUBLIC_JOIN = "p/"  # how a sign-up remembers the public page it came from (its join_token)


@bp.app_template_global()
def public_join_open():
    """A public page offers Join when clients can pay by card; otherwise, Contact the coach."""
    return configured()


def join_public_program(program, user, agreed_to_waiver=False, start_date=None):
    """`user` joins a paid program from its public page: a pending subscription, Awaiting
    payment at today's price, until Stripe confirms. Coming back unpaid takes them to the same
    one; an active client or an invited one is told where they stand."""
    check_waiver(program, agreed_to_waiver)
    if user.id == program.coach_id:
        raise InviteError("You cannot join your own program.", code="own_program")
    existing = live_subscription(program.id, normalise_email(user.email))
    if existing is not None and existing.status == ACTIVE:
        raise InviteError(f"You are already in {program.name}.", code="already_member", subscription=existing)
    if existing is not None and existing.awaiting_payment and existing.client_id == user.id:
        return Joined(existing, program, user, program.coach, False)
    if existing is not None:
        raise InviteError(f"{program.coach.name} has invited you to {program.name}: join with the link in their email.", code="invited")
    subscription = lifecycle.add_pending(program.id, normalise_email(user.email))  # the unique index refuses a race
    start(subscription, program, user, utcnow(), start_date)  # card payments are on: Awaiting payment
    return Joined(subscription, program, user, program.coach, False)


def _program(slug):
    program = public_program(slug) if len(slug) <= 32 else None
    if program is None or not configured():
        abort(404)  # no such page, or the program takes clients by contacting the coach
    return program


@bp.route("/p/<slug>/join", methods=["GET", "POST"])
@limiter.limit(accept_limit, methods=["POST"])
def join_public(slug):
    """Join from the public page: sign up (or log in), then Join and pay on Stripe Checkout."""
    program = _program(slug)
    state = "ready" if current_user.is_authenticated else "new"
    if state == "ready" and program.coach_id == current_user.id:
        state = "own"  # the coach looking at their own page: nothing to join
    form = JoinForm()
    if state == "new":
        form.require_account_fields()
    elif state == "ready":
        form.require_waiver(program)
        form.offer_start(program, today_for(current_user))
    status = 200
    if request.method == "POST":
        status = 403 if state == "own" else 400
        if state != "own" and form.validate_on_submit():
            try:
                if state == "new":
                    return sign_up(form.name.data, form.email.data, form.password.data, form.time_zone.data,
                                   is_coach=False, join_token=PUBLIC_JOIN + slug, joining=program.name)  # fmt: skip
                joined = join_public_program(program, current_user, form.agree.data, form.start_date.data)
            except (RuleError, IntegrityError) as error:
                db.session.rollback()
                if isinstance(error, RuleError) and error.code == "already_member":
                    flash(error.message, "info")
                    return redirect(url_for("training.today"))
                if isinstance(error, IntegrityError):  # a second tab joined a moment ago
                    return redirect(url_for("training.my_programs"))
                program = _program(slug)  # reloaded after the rollback
                attach(form, error)
            else:
                return go_to_checkout(joined.subscription)
    kept = request.method == "POST" and form.keep_typed_password()
    page = render("invites/public_join.html", status=status, program=program, coach=program.coach, form=form, state=state, slug=slug)
    return with_typed_password(page) if kept else page
