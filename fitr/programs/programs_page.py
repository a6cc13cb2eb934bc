"""Programs: the list, Create program, Edit, Publish, Unpublish, Archive, Restore, Delete, and a
paid program's public page. (The program page with its clients' tabs is in the clients area.)"""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.extensions import db
from fitr.forms import attach
from fitr.programs import bp, public_bp
from fitr.programs.access import owned_program
from fitr.programs.forms import ProgramForm
from fitr.programs.models import FIXED, GROUP, SEE_AHEAD_CHOICES, SELF_PACED, START_RULES
from fitr.programs.prices import format_price
from fitr.programs.rules import (
    WEEK_STARTS,
    ProgramError,
    archive_program,
    check_editable,
    create_program,
    delete_program,
    delete_refusal,
    has_clients,
    program_summaries,
    public_program,
    publish_program,
    restore_program,
    unpublish_program,
    update_program,
)
from fitr.web import refused as refused_page
from fitr.web import render


@bp.app_template_filter("price")
def price_filter(program):
    """'£49.99 / month', or 'Free (invite-only)'."""
    if program.is_free:
        return "Free (invite-only)"
    return price_text(program.price_minor, program.currency, program.billing_period, program.trial_days)


def price_text(minor, currency, period, trial_days=0):
    """'£49.99 / month, 14 days free', as sold; a subscription shows the price it was sold at."""
    per = {"weekly": " / week", "monthly": " / month", "yearly": " / year"}.get(period, " one-off")
    trial = f", first {trial_days} day{'s' if trial_days != 1 else ''} free" if trial_days and period in PER else ""
    return format_price(minor, currency) + per + trial


PER = ("weekly", "monthly", "yearly")


@bp.app_template_filter("sold_price")
def sold_price_filter(subscription):
    """The price a subscription was sold at ('' when it was not sold at a price)."""
    if not subscription.price_minor:
        return ""
    return price_text(subscription.price_minor, subscription.currency, subscription.billing_period, subscription.trial_days)


@bp.app_template_global()
def start_hint(program):
    """What an empty Start date means for this program."""
    if program.start_rule == "next_week_start":
        first = "Monday" if program.week_start == 0 else "Sunday"
        return f"Their calendar starts on this day. Leave it empty to start on the first {first} after they accept."
    return "Their calendar starts on this day. Leave it empty to start on the day they accept."


@bp.app_template_global()
def type_description(program, weeks=0):
    """Which type the program is and what its clients will see, in a sentence or two."""
    ahead = SEE_AHEAD_CHOICES[program.client_see_ahead_days].lower()
    sees = "everything you write" if ahead == "all" else f"{ahead} ahead"
    length = f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else "no weeks written yet"
    kept = ("Changing the Program template later does not change calendars already placed: "
            "edit a client's own calendar for that.")  # fmt: skip
    if program.type == FIXED:
        finish = f"is shown as Program finished after week {weeks}" if weeks else "is shown as Program finished once their last week has passed"
        return (f"Fixed Length · {length}: each client gets the whole Program template from the day they "
                f"start, sees {sees}, and {finish}. {kept}")  # fmt: skip
    if program.type == SELF_PACED:
        return (f"Session 1 Day 1 (self-paced) · {length}: each client picks their own start date when they "
                "join and gets the whole Program template from that day; they see 7 days ahead and can move "
                f"their own upcoming sessions within those days. {kept}")  # fmt: skip
    if program.type == GROUP:
        return f"Group: every client follows one shared calendar that you write, and sees {sees}."
    return (f"1-2-1: each client has their own calendar that you write, started from the Program template "
            f"when they join, and sees {sees}.")  # fmt: skip


@bp.app_context_processor
def program_labels():
    return {
        "week_start_labels": WEEK_STARTS,
        "start_rule_labels": START_RULES,
        "see_ahead_labels": SEE_AHEAD_CHOICES,
    }


def program_page(program):
    return url_for("clients.program", program_id=program.id)


def refused(program, error):
    """A refused program action: the reason (409), and the way back to the program page."""
    return refused_page(error.message, back=program_page(program))


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
            attach(form, error)
        else:
            db.session.commit()
            flash("Program created as a draft. Publish it when you are ready to add clients.", "success")
            return redirect(program_page(program))
    status = 400 if form.is_submitted() else 200
    return render("programs/form.html", form=form, program=None, type_locked=False, status=status)


@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit(program_id):
    """Edit: the Create program form, with the type locked once the program has clients.
    An archived program is refused (409): the coach restores it first."""
    program = owned_program(program_id)
    try:
        check_editable(program)
    except ProgramError as error:
        return refused(program, error)
    type_locked = has_clients(program)
    form = ProgramForm.for_program(program)
    if type_locked:
        form.type.render_kw = {"disabled": True}
    if form.validate_on_submit():
        try:
            update_program(program, **form.settings())
        except ProgramError as error:
            db.session.rollback()
            attach(form, error)
        else:
            db.session.commit()
            flash("Program saved.", "success")
            return redirect(program_page(program))
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
        return refused(program, error)
    db.session.commit()
    flash(f"Deleted “{program.name}”.", "success")
    return redirect(url_for("programs.index"))


def _act(program_id, rule, message):
    """Apply one status rule to an owned program, then back to its page."""
    program = owned_program(program_id)
    try:
        rule(program)
    except ProgramError as error:
        return refused(program, error)
    db.session.commit()
    flash(message, "success")
    return redirect(program_page(program))


@public_bp.route("/p/<slug>", endpoint="program")
def public(slug):
    """A published, paid program's shareable page; free programs are invite-only (404)."""
    program = public_program(slug) if len(slug) <= 32 else None
    if program is None:
        abort(404)
    return render("programs/public.html", program=program)
