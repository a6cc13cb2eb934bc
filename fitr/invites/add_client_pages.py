"""The coach's side of invites: Add client (Email, Add manually, Invite current clients, Invite
link), Clients > Invite, and the actions on one invite (Send invite, Resend, Copy link,
Revoke). The client's side (accepting, joining) is in fitr.invites.joining."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fitr.clock import local
from fitr.extensions import db
from fitr.forms import attach
from fitr.invites import bp
from fitr.invites.access import owned_invite
from fitr.invites.delivery import copy_link, deliver_invite, revoke_invite, send_invite
from fitr.invites.forms import (
    ClientsInviteForm,
    CurrentClientsForm,
    InviteForm,
    InviteLinkForm,
    ManualForm,
)
from fitr.invites.invite_link import (
    invite_link_of,
    link_matches_key,
    link_token,
    regenerate_link,
    turn_off_link,
    turn_on_link,
)
from fitr.invites.inviting import (
    InviteError,
    Issued,
    add_manually,
    current_clients,
    invite_by_email,
    invite_current_clients,
)
from fitr.invites.models import PENDING, Invite
from fitr.programs.access import coach_subscription, owned_program
from fitr.programs.rules import published_programs
from fitr.web import absolute_url, render, safe_next
from fitr.web import refused as refused_page

WAYS = {
    "email": "Email",
    "manual": "Add manually",
    "current": "Invite current clients",
    "link": "Invite link",
}
ACTION_STATUS = {"too_many_sends": 429}


# --- helpers the routes share ----------------------------------------------------------------


def accept_url(token):
    return absolute_url("invites.accept", token=token)


def write_emails(issued):
    """Write each invite's email to the outbox, in the transaction that saves the invites."""
    return [deliver_invite(i.invite, i.token, accept_url(i.token)) for i in issued]


def delivery_flash(issued, results):
    """One line for the coach on what is on its way; for what this server could not email, a
    plain sentence with each invite's link to copy (the only moment its token is known)."""
    sent = [i.invite.email for i, r in zip(issued, results, strict=True) if r.queued or r.sent]
    unsent = [(i.invite.email, accept_url(i.token)) for i, r in zip(issued, results, strict=True) if not (r.queued or r.sent)]
    if sent:
        flash(f"Sending the invite to {', '.join(sent)}: its status is under Pending invites.", "success")
    if unsent:
        flash(Markup(render_template("invites/_not_sent.html", unsent=unsent).strip()), "warning")


def refused(error, program=None):
    """A coach action that the rules refused: the message on a page (or fragment), and a 4xx.
    Back leads to the page the button was on: `next`, else the program's Pending invites."""
    target = request.form.get("next") or request.args.get("next")
    back = pending_tab(program) if program is not None and not target else safe_next(target, "clients.index")
    return refused_page(error.message, ACTION_STATUS.get(error.code, 409), back)


def pending_tab(program):
    return url_for("clients.program_tab", program_id=program.id, tab="pending")


def back_to(program):
    """Where a button on a pending or active row returns to: the page it was pressed on."""
    return safe_next(request.form.get("next"), "clients.index") if request.form.get("next") else pending_tab(program)


def last_day(link):
    """The last day an expiring invite link works, where the coach is."""
    if link is None or link.expires_at is None:
        return None
    return (local(link.expires_at, current_user) - timedelta(microseconds=1)).date()


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
                "expires_on": last_day(link),
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
        link_last_day=last_day(link),
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
        return refused(InviteError(_closed_message(program), code="closed"))
    form = InviteForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return add_client_page(program, "email" if form.is_submitted() else way, status, email_form=form)
    return invite_and_report(
        program,
        form,
        lambda: invite_by_email(program, current_user, form.emails.data, form.message.data, form.start_date.data,
                                bool(form.complimentary.data)),
        lambda outcome, status: add_client_page(program, "email", status, email_form=form, outcome=outcome),
    )


def _closed_message(program):
    if program.is_archived:
        return "This program is archived: it takes no new clients."
    return "This program is a draft. Publish it before adding clients."


def invite_and_report(program, form, make, page_with_errors, text_field="emails", after=None):
    """Save the invites (retrying once if a double click raced us), send them, and report:
    back to Pending invites when all went well, else the form with each refusal listed.
    `page_with_errors(outcome, status)` renders that form."""
    try:
        outcome, results = _saved(make)
    except InviteError as error:
        db.session.rollback()
        attach(form, error)
        return page_with_errors(None, 400)
    delivery_flash(outcome.issued, results)
    if not outcome.refused:
        return redirect(after or pending_tab(program))
    field = getattr(form, text_field, None)
    if field is not None:
        # The malformed addresses stay in the box to fix, each with its message next to it.
        invalid = [r for r in outcome.refused if r.outcome == "invalid"]
        field.data = "\n".join(r.email for r in invalid)
        field.errors = [*field.errors, *(r.message for r in invalid)]
    # Some invited (saved and sent): a success with the rest to fix (200). None: a refusal (400),
    # which writes nothing.
    return page_with_errors(outcome, 200 if outcome.invited else 400)


def _saved(make):
    """Run an inviting rule, write its emails to the outbox and commit them together; a
    unique-index clash (the same form sent twice at once) is retried once, when the other
    request's invites show as already pending. (outcome, the emails' results)."""

    def attempt():
        outcome = make()
        results = write_emails(outcome.issued)
        db.session.commit()
        return outcome, results

    try:
        return attempt()
    except IntegrityError:
        db.session.rollback()
        return attempt()


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
        lambda outcome, status: add_client_page(program, "current", status, current_form=form, outcome=outcome),
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
            turn_on_link(program, current_user, form.max_uses.data, form.expires_on.data)
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


# --- one invite: Send invite, Resend, Copy link, Revoke ---------------------------------


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
        .where(Invite.subscription_id == subscription.id, Invite.status == PENDING)
        .order_by(Invite.id.desc())
        .limit(1)
    )
    if invite is None:
        abort(404)
    return _send(invite, subscription.program)


def _send(invite, program):
    try:
        token = send_invite(invite, program)
    except InviteError as error:
        return refused(error, program=program)
    issued = [Issued(invite, token)]
    results = write_emails(issued)
    db.session.commit()
    delivery_flash(issued, results)
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




# --- Clients > Invite ------------------------------------------------------------------------


@bp.route("/clients/invite", methods=["GET", "POST"])
@login_required
def clients_invite():
    """Clients > Invite: choose one of your published programs and enter the email addresses."""
    programs = published_programs(current_user.id)
    form = ClientsInviteForm()
    form.program.choices = [(p.id, p.name) for p in programs]
    if request.method == "GET" and request.args.get("program", "").isdigit():
        form.program.data = int(request.args["program"])
    if request.method == "GET" and request.args.get("email"):  # Invite to another program
        form.emails.data = request.args["email"][:254]
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render("invites/clients_invite.html", form=form, programs=programs, status=status)
    program = owned_program(form.program.data)
    return invite_and_report(
        program,
        form,
        lambda: invite_by_email(program, current_user, form.emails.data, form.message.data, form.start_date.data,
                                bool(form.complimentary.data)),
        lambda outcome, status: render("invites/clients_invite.html", form=form, programs=programs, outcome=outcome, status=status),
        after=url_for("clients.tab", tab="pending"),
    )
