"""The Clients page: Active clients, Pending invites and Past clients across every program of
the coach, with a search box. (Clients > Invite is the invites area's.)"""

import re

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from fitr.calendars.ahead import needs_training
from fitr.clients import bp
from fitr.clients.listing import client_lines
from fitr.clients.rules import (
    PAGE_ROWS,
    TABS,
    has_open_invite_link,
    pending_rows,
    tab_counts,
)
from fitr.extensions import db
from fitr.invites.delivery import expire_overdue_invites
from fitr.notices.rules import unread as unread_notices
from fitr.web import is_htmx, page_arg, render, search_arg


def seen_counts(seen):
    """The `seen` value of a tab's poll ("<active>.<pending>") as two numbers, or None."""
    if seen and re.fullmatch(r"[0-9]{1,9}\.[0-9]{1,9}", seen):
        active, pending = seen.split(".")
        return int(active), int(pending)
    return None


@bp.route("/clients/")
@login_required
def index():
    """Clients: Active clients first, or Pending invites while nobody has joined yet.
    The search box sends the tab it is searching (`?tab=`): it stays outside the swapped tabs,
    so it cannot carry the tab in its own address."""
    searched = request.args.get("tab")
    if searched in TABS:
        canonical = url_for("clients.tab", tab=searched, q=search_arg() or None)
        if not is_htmx():
            return redirect(canonical)
        body, status = tab(searched)
        return body, status, {"HX-Push-Url": canonical}
    counts = _counts_after_expiry()
    tab_name = "pending" if counts["active"] == 0 and counts["pending"] > 0 else "active"
    return _page(tab_name, counts)


@bp.route("/clients/<tab>")
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
    query = search_arg()
    page = page_arg()
    seen = seen_counts(request.args.get("seen"))
    needs = needs_training(current_user.id) if tab == "active" else {}
    needs_only = tab == "active" and request.args.get("needs") == "1"
    if tab == "pending":
        rows, has_next = pending_rows(current_user.id, query, page=page)
    else:
        # Needs training: only the clients, and their programs, that need it
        here = url_for("clients.tab", tab=tab, q=query or None, needs="1" if needs_only else None)
        rows, has_next = client_lines(current_user.id, tab, query, only=needs if needs_only else None, page=page, here=here)
    return render(
        "clients/index.html",
        block="tab",
        polls=tab in ("active", "pending") and (counts["pending"] > 0 or has_open_invite_link(current_user.id)),
        tab=tab,
        tabs=TABS,
        counts=counts,
        query=query,
        rows=rows,
        page=page,
        has_next=has_next,
        per_page=PAGE_ROWS,
        page_url=lambda n: url_for("clients.tab", tab=tab, q=query or None, needs="1" if needs_only else None, page=n),
        needs=needs,
        needs_only=needs_only,
        needs_count=len({n.client_id for n in needs.values()}),
        notices=unread_notices(current_user.id, limit=5),
        joined=max(counts["active"] - seen[0], 0) if seen else 0,
    )
