"""The Clients page: Active clients, Pending invites and Past clients across every program of
the coach, a search box, and Clients > Invite."""

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.clients import bp
from fitr.clients.rules import (
    TABS,
    client_rows,
    has_open_invite_link,
    pending_rows,
    published_programs,
    tab_counts,
)
from fitr.extensions import db
from fitr.invites.forms import ClientsInviteForm
from fitr.invites.routes import invite_and_report, refused
from fitr.invites.rules import InviteError, expire_overdue_invites, invite_by_email, unread_notices
from fitr.programs.access import owned_program
from fitr.programs.routes import seen_counts
from fitr.web import is_htmx, render


@bp.route("/")
@login_required
def index():
    """Clients: Active clients first, or Pending invites while nobody has joined yet.
    The search box sends the tab it is searching (`?tab=`): it stays outside the swapped tabs,
    so it cannot carry the tab in its own address."""
    searched = request.args.get("tab")
    if searched in TABS:
        canonical = url_for("clients.tab", tab=searched, q=request.args.get("q", "").strip()[:100] or None)
        if not is_htmx():
            return redirect(canonical)
        body, status = tab(searched)
        return body, status, {"HX-Push-Url": canonical}
    counts = _counts_after_expiry()
    tab_name = "pending" if counts["active"] == 0 and counts["pending"] > 0 else "active"
    return _page(tab_name, counts)


@bp.route("/<tab>")
@login_required
def tab(tab):
    """One tab of Clients; htmx (a tab click or the search box) gets just the tab."""
    if tab not in TABS:
        abort(404)
    counts = _counts_after_expiry()
    if seen_counts(request.args.get("seen")) == (counts["active"], counts["pending"]) and is_htmx():
        return "", 204  # a poll that finds nothing new: htmx keeps the tab as it is
    return _page(tab, counts)


def _counts_after_expiry():
    """The tab counts, once invites past their expiry have left Pending invites."""
    if expire_overdue_invites(coach_id=current_user.id):
        db.session.commit()
    return tab_counts(current_user.id)


def _page(tab, counts):
    query = request.args.get("q", "").strip()[:100]
    seen = seen_counts(request.args.get("seen"))
    return render(
        "clients/index.html",
        block="tab",
        polls=tab in ("active", "pending") and (counts["pending"] > 0 or has_open_invite_link(current_user.id)),
        tab=tab,
        tabs=TABS,
        counts=counts,
        query=query,
        rows=pending_rows(current_user.id, query) if tab == "pending" else client_rows(current_user.id, tab, query),
        notices=unread_notices(current_user.id, limit=5),
        joined=max(counts["active"] - seen[0], 0) if seen else 0,
    )


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite():
    """Clients > Invite: choose one of your published programs and enter the email addresses."""
    programs = published_programs(current_user.id)
    form = ClientsInviteForm()
    form.program.choices = [(p.id, p.name) for p in programs]
    if request.method == "GET" and request.args.get("program", "").isdigit():
        form.program.data = int(request.args["program"])
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render("clients/invite.html", form=form, programs=programs, status=status)
    program = owned_program(form.program.data)
    try:
        return invite_and_report(
            program,
            form,
            lambda: invite_by_email(program, current_user, form.emails.data, form.message.data, form.start_date.data),
            lambda outcome: render("clients/invite.html", form=form, programs=programs, outcome=outcome, status=400),
            after=url_for("clients.tab", tab="pending"),
        )
    except InviteError as error:
        return refused(error)
