"""The client's side of invites: accept an invite, or join through a program's invite link
(making an account on the way if needed), then land on the program's calendar."""

from flask import current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from fitr import mail
from fitr.accounts.login import log_in, log_out
from fitr.accounts.rules import find_user, normalise_email
from fitr.accounts.signup import sign_up
from fitr.clock import today_for
from fitr.errors import RuleError
from fitr.extensions import db, limiter
from fitr.forms import attach
from fitr.invites import bp
from fitr.invites.accepting import (
    NewAccount,
    accept_invite,
    accepted_subscription_for,
    invite_for_token,
)
from fitr.invites.forms import AcceptForm, JoinForm
from fitr.invites.invite_link import join_with_link, link_for_token
from fitr.invites.inviting import InviteError
from fitr.payments.checkout import go_to_checkout
from fitr.subscriptions.queries import live_subscription
from fitr.web import absolute_url, render

# How a refusal on a public page answers: unknown links do not exist; used ones are gone.
# Joining one's own program is forbidden (403), not gone.
PUBLIC_STATUS = {"invalid": 404, "wrong_user": 403, "own_program": 403}


def accept_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


# --- the client's side: accept an invite -----------------------------------------------------


def link_refused(error, kind="invite"):
    """A clear page for a link that cannot be used, with a 4xx; nothing about other invites."""
    db.session.rollback()
    return render(
        "invites/link_refused.html",
        status=PUBLIC_STATUS.get(error.code, 410),
        message=error.message,
        kind=kind,
    )


def landing(subscription):
    """Where a client lands after joining: Today, which welcomes them to the program and says
    when their first session is."""
    return url_for("training.today")


def accept_state(invite):
    """new: no account yet (or one nobody proved: accepting the emailed invite proves the
    address and takes it over); login: has an account, not logged in; ready; wrong_user."""
    if current_user.is_authenticated:
        return "ready" if normalise_email(current_user.email) == invite.email else "wrong_user"
    user = find_user(invite.email)
    return "login" if user is not None and user.email_confirmed else "new"


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(accept_limit, methods=["POST"])
def accept(token):
    """The acceptance page: coach, program, price and message; Accept invite."""
    try:
        invite = invite_for_token(token)
    except InviteError as error:
        return _already_joined(token) or link_refused(error)
    state = accept_state(invite)
    if state == "wrong_user" and request.method == "GET" and invite.program.coach_id == current_user.id:
        state = "own"  # the coach checking an invite they sent: a preview, not theirs to accept
    form = AcceptForm()
    form.require_waiver(invite.program)
    form.offer_start(invite.program, today_for(current_user if current_user.is_authenticated else None),
                     invite.subscription.start_date)  # fmt: skip
    if state == "new":
        form.require_account_fields()
    status = 200
    if request.method == "POST":
        status = 400
        if state in ("login", "wrong_user"):
            # Someone may have accepted it a moment ago (that is why an account now exists):
            # then the answer is that it was accepted, not "log in".
            db.session.expire_all()
            try:
                invite = invite_for_token(token)
            except InviteError as error:
                return _already_joined(token) or link_refused(error)
            status = 403 if state == "wrong_user" else 400
        elif form.validate_on_submit():
            try:
                joined = accept_invite_now(token, state, form)
            except InviteError as error:
                db.session.rollback()
                if not (error.field and hasattr(form, error.field)):
                    return _already_joined(token) or link_refused(error)
                attach(form, error)
                invite = invite_for_token(token)  # reloaded after the rollback
            except IntegrityError:
                db.session.rollback()
                return _already_joined(token) or link_refused(
                    InviteError("This invite has already been accepted.", code="used")
                )
            else:
                return _welcome(joined)
    kept = request.method == "POST" and form.keep_typed_password()
    page = render(
        "invites/accept.html",
        status=status,
        invite=invite,
        program=invite.program,
        coach=invite.program.coach,
        form=form,
        state=state,
        token=token,
    )
    return with_typed_password(page) if kept else page


def with_typed_password(page):
    """A page sent back with the password the visitor typed in it: no cache may keep it."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def accept_invite_now(token, state, form):
    if state == "ready":
        return accept_invite(token, user=current_user, agreed_to_waiver=form.agree.data, start_date=form.start_date.data)
    account = NewAccount(form.name.data, form.password.data, form.time_zone.data)
    return accept_invite(token, new_account=account, agreed_to_waiver=form.agree.data, start_date=form.start_date.data)


def _already_joined(token):
    """A double click or a second tab: the invite is already theirs, so take them there."""
    subscription = accepted_subscription_for(token, current_user if current_user.is_authenticated else None)
    return redirect(landing(subscription)) if subscription is not None else None


def _welcome(joined):
    """Log the client in, commit the join with the coach's email, and land the client on the program
    (a paid program with card payments on: on Stripe Checkout first)."""
    if joined.new_account or not current_user.is_authenticated:
        log_in(joined.client)
    if joined.subscription.awaiting_payment:
        return go_to_checkout(joined.subscription)
    mail.send(
        joined.coach.email,
        f"{joined.client.name} joined {joined.program.name}",
        "client_joined",
        coach=joined.coach,
        client=joined.client,
        added_as=joined.added_as,
        program=joined.program,
        link=absolute_url("clients.program_tab", program_id=joined.program.id, tab="active"),
    )
    db.session.commit()  # the join and the coach's email together
    flash(f"You joined {joined.program.name}.", "success")
    return redirect(landing(joined.subscription))


@bp.route("/invite/<token>/logout", methods=["POST"])
def accept_logout(token):
    """Log out, and come back to the invite to accept it with the invited address."""
    log_out()
    db.session.commit()
    flash("You are logged out. Accept the invite with the invited email address.", "info")
    return redirect(url_for("invites.accept", token=token))


@bp.route("/join/<token>/logout", methods=["POST"])
def join_logout(token):
    """Not you? Log out, and come back to the invite link."""
    log_out()
    db.session.commit()
    flash("You are logged out.", "info")
    return redirect(url_for("invites.join", token=token))


# --- the client's side: join through an invite link ------------------------------------------


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(accept_limit, methods=["POST"])
def join(token):
    """A program's invite link. Logged in: Join program, with a fresh calendar. A new visitor
    signs up first: the emailed link proves their address and brings them back here."""
    try:
        link = link_for_token(token)
    except InviteError as error:
        return link_refused(error, kind="link")
    program = link.program
    state = "ready" if current_user.is_authenticated else "new"
    if state == "ready" and program.coach_id == current_user.id and request.method == "GET":
        state = "own"  # the coach checking the link they share: a preview, nothing to join
    form = JoinForm()
    if state == "new":
        form.require_account_fields()
    else:
        form.require_waiver(program)
        form.offer_start(program, today_for(current_user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                if state == "new":
                    return sign_up(
                        form.name.data, form.email.data, form.password.data, form.time_zone.data,
                        is_coach=False, join_token=token, joining=program.name,
                    )  # fmt: skip
                joined = join_with_link(token, current_user, agreed_to_waiver=form.agree.data,
                                        start_date=form.start_date.data)  # fmt: skip
            except RuleError as error:
                db.session.rollback()
                if error.code == "already_member":
                    flash(error.message, "info")
                    return redirect(landing(error.subscription))
                if not (error.field and hasattr(form, error.field)):
                    return link_refused(error, kind="link")
                attach(form, error)
                link = link_for_token(token)  # reloaded after the rollback
                program = link.program
            except IntegrityError:
                db.session.rollback()
                existing = _live_subscription_of_current_user(program.id)
                if existing is not None:
                    return redirect(landing(existing))
                raise
            else:
                return _welcome(joined)
    kept = request.method == "POST" and form.keep_typed_password()
    page = render(
        "invites/join.html",
        status=status,
        link=link,
        program=program,
        coach=program.coach,
        form=form,
        state=state,
        token=token,
    )
    return with_typed_password(page) if kept else page


def _live_subscription_of_current_user(program_id):
    if not current_user.is_authenticated:
        return None
    return live_subscription(program_id, normalise_email(current_user.email))
