"""The client's side, on their phone: today's training, the programs they joined, each
program's calendar (read-only: what the coach lets them see so far), and its calendar feed.
Logging a session is in fitr.training.sessions; history and records in fitr.training.history_pages.

Every route loads what it shows through fitr.training.access (another client's things are a
404), calls a rule, commits once, and renders.
"""

from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_required

from fitr.calendars.grid import calendar_grid, read_view
from fitr.calendars.window import visible_window
from fitr.clock import today_for
from fitr.conversations.rules import comment_counts
from fitr.extensions import db
from fitr.forms import ActionForm
from fitr.history.logs import completion_for_sessions
from fitr.lifecycle import rules as lifecycle
from fitr.maxes.rules import client_loads
from fitr.subscriptions.models import ACTIVE
from fitr.training import bp, feeds
from fitr.training.access import my_subscriptions, own_subscription
from fitr.training.visibility import first_sessions, visible_sessions
from fitr.units import UNITS, display_to_kg, format_load, kg_to_display, round_load
from fitr.web import absolute_url, render

COMING_DAYS = 7
NEW_FEED = "new_feed"  # the cookie-session key holding a just-made feed link until it is shown


# --- what templates use ------------------------------------------------------------------------


@bp.app_template_global()
def in_my_unit(prescription, unit):
    """A prescribed kg/lb load in the client's unit, when the coach wrote the other one."""
    if prescription.load_value is None or prescription.load_unit not in UNITS or prescription.load_unit == unit:
        return ""
    return f"≈ {format_load(display_to_kg(prescription.load_value, prescription.load_unit), unit)}"


@bp.app_template_global()
def planned_load(prescription, unit):
    """The prescribed load as a number in the client's unit, for the Load field's placeholder."""
    if prescription is None or prescription.load_value is None or prescription.load_unit not in UNITS:
        return None
    if prescription.load_unit == unit:
        return round_load(prescription.load_value)
    return round_load(kg_to_display(display_to_kg(prescription.load_value, prescription.load_unit), unit))


# --- home --------------------------------------------------------------------------------------


@bp.route("/my")
@login_required
def today():
    """Today's sessions across all my programs, the coming days, and my programs."""
    today = today_for(current_user)
    subscriptions = my_subscriptions()
    active = [s for s in subscriptions if s.status == ACTIVE]
    planned = visible_sessions(active, today, today + timedelta(days=COMING_DAYS), today, current_user)
    statuses = completion_for_sessions([p.session.id for p in planned], current_user.id)
    by_day = defaultdict(list)
    for p in planned:
        by_day[p.session.date].append(p)
    # A program just joined: its welcome message until dismissed, and when training starts.
    welcomes = [s for s in active if s.program.welcome_message and s.welcome_dismissed_at is None]
    return render(
        "training/today.html",
        today=today,
        todays=by_day.pop(today, []),
        coming=sorted(by_day.items()),
        subscriptions=subscriptions,
        statuses=statuses,
        loads=client_loads(current_user, [(p.session, p.subscription.program) for p in planned]),
        comments=comment_counts(current_user.id, [p.session.id for p in planned]),
        welcomes=welcomes,
        first_sessions=first_sessions(active, today, current_user),
        dismiss_form=ActionForm(),
        kept_on_phone=kept_on_phone(planned, statuses),
    )


def kept_on_phone(planned, statuses):
    """The pages the phone keeps for a client with no signal (static/js/sw.js): each session they
    may see from today to the days ahead, and its workout while it is not logged yet."""
    urls = []
    for p in planned:
        urls.append(url_for("training.session", session_id=p.session.id))
        if not statuses.get(p.session.id):
            urls.append(url_for("training.workout", session_id=p.session.id))
    return urls


@bp.route("/my/programs/<int:subscription_id>/welcome", methods=["POST"])
@login_required
def dismiss_welcome(subscription_id):
    """Got it: the program's welcome message leaves Today."""
    subscription = own_subscription(subscription_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    lifecycle.dismiss_welcome(subscription)
    db.session.commit()
    return redirect(url_for("training.today"))


# --- the programs they joined ------------------------------------------------------------------


@bp.route("/my/programs")
@login_required
def my_programs():
    """My programs: the programs the user joined as a client."""
    return render("training/my_programs.html", subscriptions=my_subscriptions(),
                  today=today_for(current_user))  # fmt: skip


@bp.route("/my/programs/<int:subscription_id>")
@login_required
def my_program(subscription_id):
    """One program the user joined: the coach, the Welcome message, the start date."""
    subscription = own_subscription(subscription_id)
    return render("training/my_program.html", subscription=subscription, program=subscription.program)


# --- a program's calendar ----------------------------------------------------------------------


@bp.route("/my/programs/<int:subscription_id>/calendar")
@login_required
def calendar(subscription_id):
    """One program's calendar, month or week, read-only: what my coach lets me see so far."""
    subscription = own_subscription(subscription_id)
    today = today_for(current_user)
    view, cursor = read_view(request.args, today)
    return render("training/calendar.html", block="calendar", **calendar_context(subscription, view, cursor, today))


def calendar_context(subscription, view, cursor, today, **extra):
    program = subscription.program
    grid = calendar_grid(view, cursor, program.week_start, today)
    planned = visible_sessions([subscription], grid.first, grid.last, today, current_user)
    grid.place([p.session for p in planned])
    return {
        "subscription": subscription,
        "program": program,
        "grid": grid,
        "today": today,
        "window": visible_window(subscription, today, client=current_user),
        "statuses": completion_for_sessions([p.session.id for p in planned], current_user.id),
        "loads": client_loads(current_user, [(p.session, program) for p in planned]),
        "comments": comment_counts(current_user.id, [p.session.id for p in planned]),
        "active": subscription.status == ACTIVE,
        "feed": feeds.feed_of(subscription.id) if subscription.status == ACTIVE else None,
        "feed_form": ActionForm(),
        "url": lambda **kw: url_for(
            "training.calendar", subscription_id=subscription.id, view=kw["view"], date=kw["cursor"].isoformat()
        ),
        **extra,
    }


@bp.route("/my/programs/<int:subscription_id>/feed", methods=["POST"])
@login_required
def create_feed(subscription_id):
    """Calendar feed: a new private link for my phone's calendar app (the old one stops working).
    Post, then redirect: a reload or Back never makes another link, which would silently turn
    off the one just added to the calendar app."""
    subscription = own_subscription(subscription_id)
    if subscription.status != ACTIVE or not ActionForm().validate_on_submit():
        abort(400, "This program has ended: it has no calendar feed.")
    token = feeds.create_feed(subscription)
    db.session.commit()
    cookie_session[NEW_FEED] = {"subscription": subscription.id, "token": token}
    return redirect(url_for("training.show_new_feed", subscription_id=subscription.id), 303)


@bp.route("/my/programs/<int:subscription_id>/feed")
@login_required
def show_new_feed(subscription_id):
    """The link just made, shown once (it is stored only as a hash)."""
    subscription = own_subscription(subscription_id)
    new = cookie_session.get(NEW_FEED) or {}
    if new.get("subscription") != subscription.id or not isinstance(new.get("token"), str):
        flash("For your safety a calendar feed link is shown only once. Get a new link if you need it again.", "info")
        return redirect(url_for("training.calendar", subscription_id=subscription.id))
    cookie_session.pop(NEW_FEED)
    return render(
        "training/feed.html",
        subscription=subscription,
        program=subscription.program,
        feed_url=absolute_url("training.feed", token=new["token"]),
    )


@bp.route("/my/programs/<int:subscription_id>/feed/revoke", methods=["POST"])
@login_required
def revoke_feed(subscription_id):
    """Turn off the calendar feed link: calendar apps that use it get nothing more."""
    subscription = own_subscription(subscription_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    feeds.revoke_feed(subscription)
    db.session.commit()
    flash("Calendar feed turned off. The old link no longer works.", "success")
    return redirect(url_for("training.calendar", subscription_id=subscription.id))


@bp.route("/feeds/<token>.ics")
def feed(token):
    """The private iCalendar feed of one subscription: what its client may see, nothing more."""
    subscription = feeds.subscription_for_feed(token)
    if subscription is None:
        abort(404)
    today = today_for(subscription.client)
    window = visible_window(subscription, today, client=subscription.client)
    first = max(window.first or today - timedelta(days=365), today - timedelta(days=365))
    last = window.last or today + timedelta(days=365)
    planned = visible_sessions([subscription], first, last, today, subscription.client)
    host = urlsplit(absolute_url("training.today")).hostname or "fitr"
    body = feeds.calendar_feed(
        subscription.program.name,
        [p.session for p in planned],
        lambda s: absolute_url("training.session", session_id=s.id),
        host,
        unit=subscription.client.units,
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=900", "Content-Disposition": 'inline; filename="fitr.ics"'},
    )


