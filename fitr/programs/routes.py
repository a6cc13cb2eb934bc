"""Programs: the list, Create program, the program page and its tabs, and the public page."""

import re

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.invites.rules import (
    expire_overdue_invites,
    invite_link_of,
    pending_invites_by_subscription,
)
from fitr.programs import bp, public_bp
from fitr.programs.access import owned_program
from fitr.programs.forms import ProgramForm
from fitr.programs.models import ACTIVE, ENDED, PENDING, SEE_AHEAD_CHOICES, START_RULES
from fitr.programs.money import format_price
from fitr.programs.rules import (
    WEEK_STARTS,
    ProgramError,
    archive_program,
    check_editable,
    client_counts,
    create_program,
    delete_program,
    delete_refusal,
    has_clients,
    program_summaries,
    public_program,
    publish_program,
    restore_program,
    subscriptions_in,
    unpublish_program,
    update_program,
)
from fitr.web import absolute_url, is_htmx, render

# Tab slug in the URL -> (subscription status it lists, label on the tab).
TABS = {
    "active": (ACTIVE, "Active clients"),
    "pending": (PENDING, "Pending invites"),
    "past": (ENDED, "Past clients"),
}


@bp.app_template_filter("price")
def price_filter(program):
    """'£49.99 / month', or 'Free (invite-only)'."""
    if program.is_free:
        return "Free (invite-only)"
    per = {"weekly": " / week", "monthly": " / month"}.get(program.billing_period, " one-off")
    return format_price(program.price_minor, program.currency) + per


@bp.app_context_processor
def program_labels():
    return {
        "week_start_labels": WEEK_STARTS,
        "start_rule_labels": START_RULES,
        "see_ahead_labels": SEE_AHEAD_CHOICES,
    }


@bp.route("/")
@login_required
def index():
    """The coach's programs with their client counts; `?show=archived` lists the archived ones."""
    show_archived = request.args.get("show") == "archived"
    summaries = program_summaries(current_user.id)
    archived = [s for s in summaries if s.program.is_archived]
    current = [s for s in summaries if not s.program.is_archived]
    return render(
        "programs/index.html",
        summaries=archived if show_archived else current,
        show_archived=show_archived,
        archived_count=len(archived),
        has_any=bool(summaries),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create program: a new draft."""
    form = ProgramForm.for_new_program()
    if form.validate_on_submit():
        try:
            program = create_program(current_user.id, **form.settings())
        except ProgramError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            flash("Program created as a draft. Publish it when you are ready to add clients.", "success")
            return redirect(url_for("programs.show", program_id=program.id))
    status = 400 if form.is_submitted() else 200
    return render("programs/form.html", form=form, program=None, type_locked=False, status=status)


@bp.route("/<int:program_id>")
@login_required
def show(program_id):
    """The program page, on its Active clients tab (Pending invites while nobody has joined)."""
    return _program_page(owned_program(program_id), None)


@bp.route("/<int:program_id>/clients/<tab>")
@login_required
def clients(program_id, tab):
    """One tab of the program page; htmx gets just the tabs, a direct visit the whole page."""
    program = owned_program(program_id)
    if tab not in TABS:
        abort(404)
    return _program_page(program, tab, block="tab", seen=request.args.get("seen"))


@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit(program_id):
    """Edit: the Create program form, with the type locked once the program has clients.
    An archived program is refused (409): the coach restores it first."""
    program = owned_program(program_id)
    try:
        check_editable(program)
    except ProgramError as error:
        return _program_page(program, "active", error=error.message, status=409)
    type_locked = has_clients(program)
    form = ProgramForm.for_program(program)
    if type_locked:
        form.type.render_kw = {"disabled": True}
    if form.validate_on_submit():
        try:
            update_program(program, **form.settings())
        except ProgramError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            flash("Program saved.", "success")
            return redirect(url_for("programs.show", program_id=program.id))
    status = 400 if form.is_submitted() else 200
    return render("programs/form.html", form=form, program=program, type_locked=type_locked, status=status)


@bp.route("/<int:program_id>/publish", methods=["POST"])
@login_required
def publish(program_id):
    """Publish: the program can take clients."""
    return _act(program_id, publish_program, "Published. You can now add clients.")


@bp.route("/<int:program_id>/unpublish", methods=["POST"])
@login_required
def unpublish(program_id):
    """Unpublish: no new clients; the clients it has keep training."""
    return _act(
        program_id,
        unpublish_program,
        "Unpublished: the program is a draft again. Its clients keep training; no one new can join.",
    )


@bp.route("/<int:program_id>/archive", methods=["POST"])
@login_required
def archive(program_id):
    """Archive: hidden from Programs, no new clients; clients keep calendars and history."""
    return _act(program_id, archive_program, "Archived. Its clients keep their calendars and history.")


@bp.route("/<int:program_id>/restore", methods=["POST"])
@login_required
def restore(program_id):
    """Restore an archived program, as a draft."""
    return _act(program_id, restore_program, "Restored as a draft.")


@bp.route("/<int:program_id>/delete", methods=["GET", "POST"])
@login_required
def delete(program_id):
    """Delete a draft with no clients, after a confirmation page; a program that cannot be
    deleted shows why instead of the confirmation."""
    program = owned_program(program_id)
    if request.method != "POST":
        refusal = delete_refusal(program)
        return render("programs/delete.html", program=program, refusal=refusal, status=409 if refusal else 200)
    try:
        delete_program(program)
    except ProgramError as error:
        db.session.rollback()
        return _program_page(program, "active", error=error.message, status=409)
    db.session.commit()
    flash(f"Deleted “{program.name}”.", "success")
    return redirect(url_for("programs.index"))


def _act(program_id, rule, message):
    """Apply one status rule to an owned program; a refusal shows on the program page (409)."""
    program = owned_program(program_id)
    try:
        rule(program)
    except ProgramError as error:
        db.session.rollback()
        return _program_page(program, "active", error=error.message, status=409)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("programs.show", program_id=program.id))


def _attach(form, error):
    """Show a rule's refusal next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def seen_counts(seen):
    """The `seen` value of a poll ("<active>.<pending>") as two numbers, or None."""
    if seen and re.fullmatch(r"[0-9]{1,9}\.[0-9]{1,9}", seen):
        active, pending = seen.split(".")
        return int(active), int(pending)
    return None


def _program_page(program, tab, block=None, error=None, status=200, seen=None):
    counts = client_counts(program)
    if counts[PENDING] and expire_overdue_invites(program_id=program.id):
        db.session.commit()  # expired invites leave Pending invites
        counts = client_counts(program)
    if tab is None:
        tab = "pending" if counts[ACTIVE] == 0 and counts[PENDING] else "active"
    seen = seen_counts(seen)
    if seen == (counts[ACTIVE], counts[PENDING]) and is_htmx():
        return "", 204  # a poll that finds nothing new: htmx keeps the tab as it is
    status_name, _label = TABS[tab]
    return render(
        "programs/show.html",
        polls=tab in ("active", "pending") and program.is_published and (counts[PENDING] > 0 or _link_open(program)),
        block=block,
        status=status,
        program=program,
        tab=tab,
        tabs=TABS,
        counts=counts,
        subscriptions=subscriptions_in(program, status_name),
        invites=pending_invites_by_subscription(program) if tab == "pending" else {},
        public_url=absolute_url("public.program", slug=program.public_slug) if program.has_public_page else None,
        error=error,
        joined=max(counts[ACTIVE] - seen[0], 0) if seen else 0,
        delete_refusal=delete_refusal(program) if program.is_draft else delete_refusal(program, 0),
    )


def _link_open(program):
    """Clients can join through the program's invite link right now, so the tabs should look
    for them (an invite link leaves nothing under Pending invites to wait for)."""
    link = invite_link_of(program)
    return link is not None and link.usable()


@public_bp.route("/p/<slug>", endpoint="program")
def public(slug):
    """A published, paid program's shareable page; free programs are invite-only (404)."""
    program = public_program(slug) if len(slug) <= 32 else None
    if program is None:
        abort(404)
    return render("programs/public.html", program=program)

