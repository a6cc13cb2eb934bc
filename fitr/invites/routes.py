"""Add client (Email, Add manually, Invite current clients, Invite link), the invite actions
(Send invite, Resend, Copy link, Revoke, End subscription), and the client's side: accept an
invite or join through an invite link, then see the program they joined."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitr import mail
from fitr.auth.rules import find_user, normalise_email
from fitr.extensions import db, limiter
from fitr.invites import bp
from fitr.invites.access import coach_subscription, owned_invite
from fitr.invites.forms import (
    AcceptForm,
    CurrentClientsForm,
    InviteForm,
    InviteLinkForm,
    JoinForm,
    ManualForm,
)
from fitr.invites.models import Invite
from fitr.invites.rules import (
    InviteError,
    Issued,
    NewAccount,
    accept_invite,
    accepted_subscription_for,
    add_manually,
    client_subscription,
    client_subscriptions,
    copy_link,
    count_unread_notices,
    current_clients,
    deliver_invite,
    end_subscription,
    invite_by_email,
    invite_current_clients,
    invite_for_token,
    invite_link_of,
    join_with_link,
    link_for_token,
    link_matches_key,
    link_token,
    live_subscription,
    mark_notices_read,
    regenerate_link,
    revoke_invite,
    send_invite,
    turn_off_link,
    turn_on_link,
    unread_notices,
)
from fitr.programs.access import owned_program
from fitr.programs.models import ACTIVE, Subscription
from fitr.web import absolute_url, render, safe_next

WAYS = {
    "email": "Email",
    "manual": "Add manually",
    "current": "Invite current clients",
    "link": "Invite link",
}
# How a refusal on a public page answers: unknown links do not exist; used ones are gone.
# Joining one's own program is forbidden (403), not gone.
PUBLIC_STATUS = {"invalid": 404, "wrong_user": 403, "own_program": 403}
ACTION_STATUS = {"too_many_sends": 429}


def accept_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


# --- what templates use ------------------------------------------------------------------------


@bp.app_template_filter("long_date")
def long_date(day):
    """'Monday 3 June 2025'."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


@bp.app_template_global()
def start_hint(program):
    """What an empty Start date means for this program."""
    if program.start_rule == "next_week_start":
        first = "Monday" if program.week_start == 0 else "Sunday"
        return f"Their calendar starts on this day. Leave it empty to start on the first {first} after they accept."
    return "Their calendar starts on this day. Leave it empty to start on the day they accept."


@bp.app_template_global()
def unread_notice_count():
    """For the bell in the navigation; only full pages (not htmx fragments) ask."""
    return count_unread_notices(current_user.id) if current_user.is_authenticated else 0


# Calendar pages live in the calendar area; these find them when it has them.
COACH_CALENDAR_ENDPOINTS = ("calendar.client_calendar",)
CLIENT_CALENDAR_ENDPOINTS = ("athlete.calendar", "calendar.my_calendar")


def _first_endpoint(names):
    return next((name for name in names if name in current_app.view_functions), None)


@bp.app_template_global()
def calendar_url(subscription, program=None):
    """The coach's link to a 1-2-1 client's calendar (pending clients too), when it exists."""
    if program is not None and program.type != "1-2-1":
        return None
    endpoint = _first_endpoint(COACH_CALENDAR_ENDPOINTS)
    return url_for(endpoint, program_id=subscription.program_id, subscription_id=subscription.id) if endpoint else None


@bp.app_template_global()
def my_calendar_url(subscription):
    """The client's own calendar for a program, when the calendar area has that page."""
    endpoint = _first_endpoint(CLIENT_CALENDAR_ENDPOINTS)
    return url_for(endpoint, subscription_id=subscription.id) if endpoint else None


# --- helpers the routes share ----------------------------------------------------------------


def accept_url(token):
    return absolute_url("invites.accept", token=token)


def deliver(issued):
    """Email each saved invite and record how it went (the invites are committed already)."""
    results = [deliver_invite(i.invite, i.token, accept_url(i.token)) for i in issued]
    db.session.commit()
    return results


def delivery_flash(issued, results):
    """One line for the coach on what went out, and what did not and why."""
    sent = [i.invite.email for i, r in zip(issued, results, strict=True) if r.sent]
    unsent = [(i.invite.email, r.error) for i, r in zip(issued, results, strict=True) if not r.sent]
    if sent:
        flash(f"Invite sent to {', '.join(sent)}.", "success")
    if unsent:
        error = unsent[0][1] or "unknown error"
        flash(
            f"Invite saved but not sent to {', '.join(e for e, _ in unsent)} ({error}). "
            "It is under Pending invites: use Resend, or Copy link and send it yourself.",
            "warning",
        )


def attach(form, error):
    """A rule's refusal next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def refused(error, status=None, program=None):
    """A coach action that the rules refused: the message on a page (or fragment), and a 4xx.
    Back leads to the page the button was on: `next`, else the program's Pending invites."""
    db.session.rollback()
    status = status or ACTION_STATUS.get(error.code, 409)
    target = request.form.get("next") or request.args.get("next")
    return render(
        "invites/refused.html",
        block="content",
        status=status,
        message=error.message,
        invite=error.invite,
        back=pending_tab(program) if program is not None and not target else safe_next(target, "clients.index"),
    )


def pending_tab(program):
    return url_for("programs.clients", program_id=program.id, tab="pending")


def back_to(program):
    """Where a button on a pending or active row returns to: the page it was pressed on."""
    return safe_next(request.form.get("next"), "clients.index") if request.form.get("next") else pending_tab(program)


def add_client_page(program, way, status=200, **forms):
    forms.setdefault("email_form", InviteForm(formdata=None))
    forms.setdefault("manual_form", ManualForm(formdata=None))
    forms.setdefault("current_form", CurrentClientsForm(formdata=None))
    forms.setdefault("link_form", None)
    link = invite_link_of(program)
    if forms["link_form"] is None:
        forms["link_form"] = InviteLinkForm(
            formdata=None,
            data={
                "max_uses": link.max_uses if link else None,
                "expires_on": (link.expires_at.date() - timedelta(days=1)) if link and link.expires_at else None,
            },
        )
    query = request.args.get("q", "")[:100]
    return render(
        "invites/add_client.html",
        block="way" if request.args.get("partial") != "clients" else "current_list",
        status=status,
        program=program,
        way=way,
        ways=WAYS,
        link=link,
        link_url=absolute_url("invites.join", token=link_token(link)) if link else None,
        link_broken=link is not None and not link_matches_key(link),
        link_last_day=link.expires_at.date() - timedelta(days=1) if link and link.expires_at else None,
        candidates=current_clients(current_user.id, program, query) if way == "current" else [],
        query=query,
        **forms,
    )


# --- Add client ------------------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/clients/new", methods=["GET", "POST"])
@login_required
def add_client(program_id):
    """Add client: Email (default), Add manually, Invite current clients, or Invite link.
    A POST here is the Email form: each address gets its own invite, saved before it is sent."""
    program = owned_program(program_id)
    way = request.args.get("way", "email")
    if way not in WAYS:
        abort(404)
    if not program.is_published:
        return refused(InviteError("closed", _closed_message(program)))
    form = InviteForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return add_client_page(program, "email" if form.is_submitted() else way, status, email_form=form)
    return invite_and_report(
        program,
        form,
        lambda: invite_by_email(program, current_user, form.emails.data, form.message.data, form.start_date.data),
        lambda outcome: add_client_page(program, "email", 400, email_form=form, outcome=outcome),
    )


def _closed_message(program):
    if program.is_archived:
        return "This program is archived: it takes no new clients."
    return "This program is a draft. Publish it before adding clients."


def invite_and_report(program, form, make, page_with_errors, text_field="emails", after=None):
    """Save the invites (retrying once if a double click raced us), send them, and report:
    back to Pending invites when all went well, else the form with each refusal listed."""
    try:
        outcome = _saved(make)
    except InviteError as error:
        db.session.rollback()
        attach(form, error)
        return page_with_errors(None)
    results = deliver(outcome.issued)
    delivery_flash(outcome.issued, results)
    if not outcome.refused:
        return redirect(after or pending_tab(program))
    field = getattr(form, text_field, None)
    if field is not None:
        # The malformed addresses stay in the box to fix, each with its message next to it.
        invalid = [r for r in outcome.refused if r.outcome == "invalid"]
        field.data = "\n".join(r.email for r in invalid)
        field.errors = [*field.errors, *(r.message for r in invalid)]
    return page_with_errors(outcome)


def _saved(make):
    """Run an inviting rule and commit; a unique-index clash (the same form sent twice at once)
    is retried once, when the other request's invites show as already pending."""
    try:
        outcome = make()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        outcome = make()
        db.session.commit()
    return outcome


@bp.route("/programs/<int:program_id>/clients/manual", methods=["POST"])
@login_required
def add_manually_route(program_id):
    """Add manually: Name and Email; no email goes out until Send invite."""
    program = owned_program(program_id)
    form = ManualForm()
    if form.validate_on_submit():
        try:
            invite = add_manually(program, current_user, form.name.data, form.email.data, form.start_date.data)
            db.session.commit()
        except InviteError as error:
            db.session.rollback()
            if error.code == "closed":
                return refused(error)
            attach(form, error)
        except IntegrityError:
            db.session.rollback()
            form.email.errors = [*form.email.errors, f"{form.email.data} already has a pending invite to this program."]
        else:
            flash(
                f"{form.name.data} is under Pending invites. Write their first weeks, then click Send invite.",
                "success",
            )
            return redirect(pending_tab(program) + f"#invite-{invite.id}")
    return add_client_page(program, "manual", 400, manual_form=form)


@bp.route("/programs/<int:program_id>/clients/current", methods=["GET", "POST"])
@login_required
def invite_current(program_id):
    """Invite current clients: a searchable list of the coach's clients not in this program."""
    program = owned_program(program_id)
    if request.method == "GET":
        return add_client_page(program, "current")
    form = CurrentClientsForm()
    if not form.validate_on_submit():
        return add_client_page(program, "current", 400, current_form=form)
    return invite_and_report(
        program,
        form,
        lambda: invite_current_clients(
            program, current_user, form.clients.data, form.message.data, form.start_date.data
        ),
        lambda outcome: add_client_page(program, "current", 400, current_form=form, outcome=outcome),
        text_field=None,
    )


# --- Invite link -----------------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/invite-link", methods=["POST"])
@login_required
def invite_link_on(program_id):
    """Turn on the invite link (or save its limit on uses and expiry)."""
    program = owned_program(program_id)
    form = InviteLinkForm()
    if form.validate_on_submit():
        try:
            turn_on_link(program, form.max_uses.data, form.expires_on.data)
            db.session.commit()
        except InviteError as error:
            db.session.rollback()
            if error.code == "closed":
                return refused(error)
            attach(form, error)
        else:
            flash("The invite link is on. Copy it and share it with your clients.", "success")
            return redirect(url_for("invites.add_client", program_id=program.id, way="link"))
    return add_client_page(program, "link", 400, link_form=form)


@bp.route("/programs/<int:program_id>/invite-link/off", methods=["POST"])
@login_required
def invite_link_off(program_id):
    """Turn off the invite link: it stops working until turned on again."""
    return _link_action(program_id, turn_off_link, "The invite link is off: it does not work until you turn it on again.")


@bp.route("/programs/<int:program_id>/invite-link/regenerate", methods=["POST"])
@login_required
def invite_link_regenerate(program_id):
    """Regenerate: a new link; the old one stops working at once."""
    return _link_action(program_id, regenerate_link, "A new invite link is ready. The old link no longer works.")


def _link_action(program_id, rule, message):
    program = owned_program(program_id)
    try:
        rule(program)
        db.session.commit()
    except InviteError as error:
        return refused(error)
    flash(message, "success")
    return redirect(url_for("invites.add_client", program_id=program.id, way="link"))


# --- one invite: Send invite, Resend, Copy link, Revoke; End subscription --------------------


@bp.route("/invites/<int:invite_id>/resend", methods=["POST"])
@login_required
def resend(invite_id):
    """Resend: a fresh link by email (the previous link stops working), a few times an hour."""
    invite, program = owned_invite(invite_id)
    return _send(invite, program)


@bp.route("/subscriptions/<int:subscription_id>/send-invite", methods=["POST"])
@login_required
def send_invite_route(subscription_id):
    """Send invite: beside a manually added client, send the email now."""
    subscription = coach_subscription(subscription_id)
    invite = db.session.scalar(
        select(Invite)
        .where(Invite.subscription_id == subscription.id, Invite.status == "pending")
        .order_by(Invite.id.desc())
        .limit(1)
    )
    if invite is None:
        abort(404)
    return _send(invite, subscription.program)


def _send(invite, program):
    try:
        token = send_invite(invite, program)
        db.session.commit()
    except InviteError as error:
        return refused(error, program=program)
    issued = [Issued(invite, token)]
    delivery_flash(issued, deliver(issued))
    return redirect(back_to(program))


@bp.route("/invites/<int:invite_id>/copy-link", methods=["POST"])
@login_required
def copy_link_route(invite_id):
    """Copy link: show a fresh link to send by hand; the previous link stops working."""
    invite, program = owned_invite(invite_id)
    try:
        token = copy_link(invite, program)
        db.session.commit()
    except InviteError as error:
        return refused(error, program=program)
    return render(
        "invites/copy_link.html",
        block="link",
        invite=invite,
        program=program,
        link=accept_url(token),
        back=back_to(program),
    )


@bp.route("/invites/<int:invite_id>/revoke", methods=["POST"])
@login_required
def revoke(invite_id):
    """Revoke: the invite's link stops working and it leaves Pending invites."""
    invite, program = owned_invite(invite_id)
    try:
        revoke_invite(invite)
        db.session.commit()
    except InviteError as error:
        return refused(error, program=program)
    flash(f"Invite to {invite.email} revoked. Its link no longer works.", "success")
    return redirect(back_to(program))


@bp.route("/subscriptions/<int:subscription_id>/end", methods=["GET", "POST"])
@login_required
def end(subscription_id):
    """End subscription, after a confirmation page (one tap on a phone must not end it): the
    client moves to Past clients and keeps their history."""
    subscription = coach_subscription(subscription_id, joinedload(Subscription.client))
    program = subscription.program
    if request.method != "POST":
        if subscription.status != ACTIVE:
            return refused(InviteError("not_active", "This subscription is not active."), program=program)
        back = request.args.get("next")
        return render(
            "invites/end.html",
            subscription=subscription,
            program=program,
            next=safe_next(back) if back else None,
            back=safe_next(back) if back else url_for("programs.clients", program_id=program.id, tab="active"),
        )
    try:
        end_subscription(subscription)
        db.session.commit()
    except InviteError as error:
        return refused(error)
    flash(f"Subscription ended: {subscription.client_email} is now under Past clients.", "success")
    if request.form.get("next"):
        return redirect(safe_next(request.form["next"], "clients.index"))
    return redirect(url_for("programs.clients", program_id=program.id, tab="past"))


# --- the coach's notices ---------------------------------------------------------------------


@bp.route("/notices")
@login_required
def notices():
    """Notices: who joined which program, newest first."""
    return render("invites/notices.html", notices=unread_notices(current_user.id, limit=100))


@bp.route("/notices/read", methods=["POST"])
@login_required
def notices_read():
    """Mark all as read."""
    mark_notices_read(current_user.id)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), "clients.index"))


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
    """Where a client lands after joining: their calendar for that program (or, while the
    client's side has no calendar page, their page for the program)."""
    return my_calendar_url(subscription) or url_for("invites.my_program", subscription_id=subscription.id)


def accept_state(invite):
    """new: no account yet; login: has an account, not logged in; ready; wrong_user."""
    if current_user.is_authenticated:
        return "ready" if normalise_email(current_user.email) == invite.email else "wrong_user"
    return "login" if find_user(invite.email) is not None else "new"


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
    if state == "new":
        form.require_account_fields()
    status = 200
    if request.method == "POST":
        status = 400
        if state in ("login", "wrong_user"):
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
                    InviteError("used", "This invite has already been accepted.")
                )
            else:
                return _welcome(joined)
    return render(
        "invites/accept.html",
        status=status,
        invite=invite,
        program=invite.program,
        coach=invite.program.coach,
        form=form,
        state=state,
        token=token,
    )


def accept_invite_now(token, state, form):
    if state == "ready":
        return accept_invite(token, user=current_user, agreed_to_waiver=form.agree.data)
    return accept_invite(
        token, new_account=NewAccount(form.name.data, form.password.data), agreed_to_waiver=form.agree.data
    )


def _already_joined(token):
    """A double click or a second tab: the invite is already theirs, so take them there."""
    subscription = accepted_subscription_for(token, current_user if current_user.is_authenticated else None)
    return redirect(landing(subscription)) if subscription is not None else None


def _welcome(joined):
    """Commit the join, log the client in, tell the coach, and land the client on the program."""
    db.session.commit()
    if joined.new_account or not current_user.is_authenticated:
        login_user(joined.client)
    mail.send(
        joined.coach.email,
        f"{joined.client.name} joined {joined.program.name}",
        "client_joined",
        coach=joined.coach,
        client=joined.client,
        program=joined.program,
        link=absolute_url("programs.clients", program_id=joined.program.id, tab="active"),
    )
    flash(f"You joined {joined.program.name}.", "success")
    target = landing(joined.subscription)
    if joined.program.welcome_message and my_calendar_url(joined.subscription):
        flash(joined.program.welcome_message, "welcome")  # my_program shows it itself
    return redirect(target)


@bp.route("/invite/<token>/logout", methods=["POST"])
def accept_logout(token):
    """Log out, and come back to the invite to accept it with the invited address."""
    logout_user()
    flash("You are logged out. Accept the invite with the invited email address.", "info")
    return redirect(url_for("invites.accept", token=token))


@bp.route("/join/<token>/logout", methods=["POST"])
def join_logout(token):
    """Not you? Log out, and come back to the invite link."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("invites.join", token=token))


# --- the client's side: join through an invite link ------------------------------------------


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(accept_limit, methods=["POST"])
def join(token):
    """A program's invite link: sign up (or log in) and join with a fresh calendar."""
    try:
        link = link_for_token(token)
    except InviteError as error:
        return link_refused(error, kind="link")
    program = link.program
    state = "ready" if current_user.is_authenticated else "new"
    if state == "ready" and program.coach_id == current_user.id and request.method == "GET":
        state = "own"  # the coach checking the link they share: a preview, nothing to join
    form = JoinForm()
    form.require_waiver(program)
    if state == "new":
        form.require_account_fields()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                if state == "ready":
                    joined = join_with_link(token, user=current_user, agreed_to_waiver=form.agree.data)
                else:
                    joined = join_with_link(
                        token,
                        new_account=NewAccount(form.name.data, form.password.data, form.email.data),
                        agreed_to_waiver=form.agree.data,
                    )
            except InviteError as error:
                db.session.rollback()
                if error.code == "already_member":
                    flash(error.message, "info")
                    return redirect(landing(error.subscription))
                if error.code == "account_exists":
                    error.field = "email"
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
                form.form_errors.append("Someone just joined with this email. Log in instead.")
                link = link_for_token(token)
                program = link.program
            else:
                return _welcome(joined)
    return render(
        "invites/join.html",
        status=status,
        link=link,
        program=program,
        coach=program.coach,
        form=form,
        state=state,
        token=token,
    )


def _live_subscription_of_current_user(program_id):
    if not current_user.is_authenticated:
        return None
    return live_subscription(program_id, normalise_email(current_user.email))


# --- the client's side: the programs they joined ---------------------------------------------


@bp.route("/my/programs")
@login_required
def my_programs():
    """My programs: the programs the user joined as a client."""
    return render("invites/my_programs.html", subscriptions=client_subscriptions(current_user.id))


@bp.route("/my/programs/<int:subscription_id>")
@login_required
def my_program(subscription_id):
    """One program the user joined: the coach, the Welcome message, the start date."""
    subscription = client_subscription(subscription_id, current_user.id)
    if subscription is None:
        abort(404)
    return render("invites/my_program.html", subscription=subscription, program=subscription.program)
