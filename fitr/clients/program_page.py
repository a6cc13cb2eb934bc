"""The program page: a program's details and actions, and its clients in three tabs (Active
clients, Pending invites, Past clients), a page of them at a time with a search box, that look
for new clients while invites are pending."""

from flask import abort, redirect, request, url_for
from flask_login import login_required

from fitr.calendars.ahead import needs_training
from fitr.calendars.copying import template_weeks
from fitr.cards.stripe_api import configured as payments_configured
from fitr.clients import bp
from fitr.clients.clients_page import seen_counts
from fitr.clients.rules import PAGE_ROWS, TABS, like, pending_invites_of
from fitr.extensions import db
from fitr.invites.delivery import expire_overdue_invites
from fitr.invites.invite_link import invite_link_of
from fitr.payments.revenue import program_money
from fitr.programs.access import owned_program
from fitr.programs.rules import delete_refusal
from fitr.subscriptions.models import ACTIVE, PENDING
from fitr.subscriptions.queries import client_counts, subscriptions_in
from fitr.web import absolute_url, is_htmx, page_arg, render, search_arg


@bp.route("/programs/<int:program_id>")
@login_required
def program(program_id):
    """The program page, on its Active clients tab (Pending invites while nobody has joined).
    The search box sends the tab it is searching (`?tab=`), as on Clients: it stays outside the
    swapped tabs, so it cannot carry the tab in its own address."""
    program = owned_program(program_id)
    searched = request.args.get("tab")
    if searched in TABS:
        canonical = url_for("clients.program_tab", program_id=program.id, tab=searched, q=search_arg() or None)
        if not is_htmx():
            return redirect(canonical)
        body, status = program_page(program, searched, block="tab")
        return body, status, {"HX-Push-Url": canonical}
    return program_page(program, None)


@bp.route("/programs/<int:program_id>/clients/<tab>")
@login_required
def program_tab(program_id, tab):
    """One tab of the program page; htmx gets just the tabs, a direct visit the whole page."""
    program = owned_program(program_id)
    if tab not in TABS:
        abort(404)
    return program_page(program, tab, block="tab", seen=request.args.get("seen"))


def program_page(program, tab, block=None, seen=None):
    counts = client_counts(program.id)
    if counts[PENDING] and expire_overdue_invites(program_id=program.id):
        db.session.commit()  # expired invites leave Pending invites
        counts = client_counts(program.id)
    if tab is None:
        tab = "pending" if counts[ACTIVE] == 0 and counts[PENDING] else "active"
    seen = seen_counts(seen)
    if seen == (counts[ACTIVE], counts[PENDING]) and is_htmx():
        return "", 204  # a poll that finds nothing new: htmx keeps the tab as it is
    status, _label = TABS[tab]
    query, page = search_arg(), page_arg()
    subscriptions, has_next = subscriptions_in(program.id, status, like(query), page, PAGE_ROWS)
    return render(
        "clients/program.html",
        polls=tab in ("active", "pending") and program.is_published and (counts[PENDING] > 0 or _link_open(program)),
        block=block,
        program=program,
        tab=tab,
        tabs=TABS,
        counts=counts,
        subscriptions=subscriptions,
        query=query,
        page=page,
        has_next=has_next,
        per_page=PAGE_ROWS,
        page_url=lambda n: url_for("clients.program_tab", program_id=program.id, tab=tab, q=query or None, page=n),
        needs=needs_training(program.coach_id, program.id, only=[s.id for s in subscriptions]) if tab == "active" else {},
        invites=pending_invites_of(subscriptions) if tab == "pending" else {},
        public_url=absolute_url("public.program", slug=program.public_slug) if program.has_public_page else None,
        joined=max(counts[ACTIVE] - seen[0], 0) if seen else 0,
        delete_refusal=delete_refusal(program) if program.is_draft else delete_refusal(program, 0),
        weeks=template_weeks(program) if program.places_template and block is None else 0,
        card_payments=payments_configured(),
        money=program_money(program.id) if block is None and not program.is_free else None,
    )


def _link_open(program):
    """Clients can join through the program's invite link right now, so the tabs should look
    for them (an invite link leaves nothing under Pending invites to wait for)."""
    link = invite_link_of(program)
    return link is not None and link.usable()
