"""What is on screen in the coach's calendars, shared by its pages, the session editor and the
moving and copying actions: the view (month or week, which date), the calendar block with its
sessions and their completion, and how a change is answered (the changed day, the calendar, or
a redirect without htmx)."""

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

from flask import abort, flash, redirect, request
from flask_login import current_user

from fitr.calendars import rules, versions
from fitr.calendars.cards import session_cards
from fitr.calendars.completion import calendar_completion
from fitr.calendars.forms import CopyDaysForm
from fitr.calendars.grid import calendar_grid, template_grid
from fitr.calendars.grid import read_view as grid_view
from fitr.calendars.models import (
    CLIENT_CALENDAR,
    SHARED_CALENDAR,
    TEMPLATE_CALENDAR,
    TEMPLATE_WEEKS,
)
from fitr.calendars.rules import CalendarError
from fitr.clock import today_for
from fitr.extensions import db
from fitr.forms import autofocus, choices, first_error
from fitr.programs.models import GROUP
from fitr.subscriptions.queries import live_count, live_subscriptions
from fitr.web import is_htmx, render, template_url_for

PAGE = "calendars/calendar.html"
DIALOG = "#session-dialog-body"


def today():
    """Today where the coach is."""
    return today_for(current_user)


def read_view(args, calendar, strict=True):
    """(view, cursor) from a calendar URL's query; bad values are a 400 when `strict`."""
    return grid_view(args, today(), calendar.kind == TEMPLATE_CALENDAR, strict)


def view_on_screen(calendar, day=None):
    """The view the coach is looking at (from htmx's HX-Current-URL) when it shows this
    calendar; else the month holding `day`."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path == urlsplit(calendar_url(calendar)).path:
        args = {key: values[0] for key, values in parse_qs(current.query).items()}
        return read_view(args, calendar, strict=False)
    return "month", day or today()


def calendar_url(calendar, view=None, cursor=None, **extra):
    """The calendar's address, at `view` and `cursor` (a date, or a template's week). Built from
    its path (template_url_for: a calendar page makes a handful) and its query."""
    args = dict(extra)
    if view:
        args["view"] = view
    if cursor is not None:
        if calendar.kind == TEMPLATE_CALENDAR:
            args["week"] = rules.template_position(cursor)[0]
        else:
            args["date"] = cursor.isoformat()
    if calendar.kind == CLIENT_CALENDAR:
        path = template_url_for("calendars.client_calendar", program_id=calendar.program_id, subscription_id=calendar.subscription_id)
    elif calendar.kind == SHARED_CALENDAR:
        path = template_url_for("calendars.shared_calendar", program_id=calendar.program_id)
    else:
        path = template_url_for("calendars.template", program_id=calendar.program_id)
    args = {name: value for name, value in args.items() if value is not None}
    return f"{path}?{urlencode(args)}" if args else path


def build_grid(calendar, view, cursor):
    """The days on screen (no queries)."""
    if calendar.kind == TEMPLATE_CALENDAR:
        return template_grid(view, cursor)
    return calendar_grid(view, cursor, calendar.program.week_start, today())


def calendar_context(calendar, view, cursor, message=None, undo=None, days_form=None):
    """Everything the calendar block shows: the grid with its sessions and what the client logged
    of them (one query; a Group calendar's counts take one more); for a whole page also the
    program's clients for the switcher (one query). The Copy a day or week form loads when opened, unless it comes back with messages."""
    program = calendar.program
    grid = build_grid(calendar, view, cursor)
    sessions = _cards(calendar, grid.first, grid.last)
    grid.place(sessions)
    page = not is_htmx()
    return {
        "program": program,
        "calendar": calendar,
        "subscription": calendar.subscription if calendar.kind == CLIENT_CALENDAR else None,
        **(switcher(program) if page and program.type != GROUP else {"clients": []}),
        "grid": grid,
        "completion": calendar_completion(calendar, sessions, today()),
        "read_only": rules.is_read_only(calendar),
        "days_form": days_form,
        "message": message,
        "undo": undo,
        "url": lambda **kw: calendar_url(calendar, **kw),
    }


def _cards(calendar, first, last):
    """The sessions on screen (fitr.calendars.cards), with what the client logged of them on a
    client's calendar: one query."""
    client_id = calendar.subscription.client_id if calendar.kind == CLIENT_CALENDAR else None
    return session_cards(calendar.id, first, last, client_id)


SWITCHER_ROWS = 50  # the client switcher lists this many; its search finds the others


def switcher(program, search=""):
    """The client switcher's list: the first SWITCHER_ROWS clients (matching `search`), and how
    many more there are (two queries, whatever the number of clients)."""
    clients = live_subscriptions(program.id, search, limit=SWITCHER_ROWS)
    more = 0
    if len(clients) == SWITCHER_ROWS:
        more = live_count(program.id, search) - SWITCHER_ROWS
    return {"clients": clients, "more_clients": more, "query": search}


def copy_days_form(calendar, first=None, formdata=None):
    """Copy a day or week: as posted, or by default the week from `first` to the week after,
    on this calendar (no client ticked: ticking this one by default copied onto it as well)."""
    subscription = calendar.subscription if calendar.kind == CLIENT_CALENDAR else None
    if formdata is not None:  # as posted: a default must not fill a field left empty
        form = CopyDaysForm(formdata=formdata, prefix="copy")
    else:
        form = CopyDaysForm(
            formdata=None,
            prefix="copy",
            data={
                "source": {"date": first, "week": rules.template_position(first)[0], "day": 1},
                "to": _next_week_defaults(calendar, first),
                "clients": [],  # none ticked: this calendar; the coach ticks where else
            },
        )
    clients = live_subscriptions(calendar.program_id) if subscription else []
    form.clients.choices = choices((s.id, s.display_name) for s in clients)
    return form, {s.id: s for s in clients}


def _next_week_defaults(calendar, first):
    week = rules.template_position(first)[0] if calendar.kind == TEMPLATE_CALENDAR else 0
    return {"date": first.fromordinal(first.toordinal() + 7), "week": min(week + 1, TEMPLATE_WEEKS), "day": 1}


def show_calendar(calendar, view, cursor, status=200, **extra):
    """The calendar page, or just its block for htmx; commits a calendar created on first view.
    The block carries an ETag (fitr.calendars.versions): an unchanged calendar is a 304."""
    if not (is_htmx() and versions.cacheable(calendar)):
        body, status = render(PAGE, block="calendar", status=status, **calendar_context(calendar, view, cursor, **extra))
        return committed((body, status, {"Vary": "HX-Request"}))
    etag = versions.etag_of(calendar, view, cursor, today())
    unchanged = versions.not_modified(etag)
    if unchanged is not None:
        return unchanged
    body, status = render(PAGE, block="calendar", status=status, **calendar_context(calendar, view, cursor, **extra))
    return committed((body, status, versions.headers(etag)))


def calendar_changed(calendar, day=None, message=None, undo=None):
    """After a change: the calendar block as the coach was looking at it (htmx), or a redirect."""
    view, cursor = view_on_screen(calendar, day)
    if not is_htmx():
        if message:
            flash(message, "success")
        return redirect(calendar_url(calendar, view, cursor))
    return close_dialog(render(PAGE, block="calendar", **calendar_context(calendar, view, cursor, message, undo)))


def calendar_refused(calendar, days_form):
    """The calendar block again with the copy form's messages (400), the keyboard on the first."""
    wrong = first_error(days_form)
    if wrong is not None:
        autofocus(wrong)
    view, cursor = view_on_screen(calendar)
    context = calendar_context(calendar, view, cursor, days_form=days_form)
    return render(PAGE, block="calendar", status=400, **context)


def day_changed(calendar, day):
    """After a save or delete: only that day's cell (the `days` block with just that day: its
    sessions and what the client logged of them in one query), when it is on screen; else the
    calendar."""
    view, cursor = view_on_screen(calendar, day)
    grid = build_grid(calendar, view, cursor)
    shown = next((d for _, days in grid.weeks for d in days if d.date == day), None)
    if shown is None or not is_htmx():
        return calendar_changed(calendar, day)
    shown.sessions = _cards(calendar, day, day)
    context = {
        "program": calendar.program,
        "calendar": calendar,
        "completion": calendar_completion(calendar, shown.sessions, today()),
        "read_only": rules.is_read_only(calendar),
        "grid": replace(grid, weeks=[("", [shown])]),  # the day alone, in full in a week, summed up in a month
    }
    return close_dialog(render(PAGE, block="days", **context))


def in_dialog(response):
    """Send a response to the session dialog, whatever the requesting form targeted."""
    body, status = response
    return body, status, {"HX-Retarget": DIALOG, "HX-Reswap": "innerHTML"}


def committed(response):
    """Commit after rendering from the flushed state, so nothing rendered has to be reloaded;
    a failed commit still fails the whole request."""
    db.session.commit()
    return response


def close_dialog(response):
    """A change made from the dialog is done: calendar.js closes it on this event."""
    if isinstance(response, tuple):
        return *response, {"HX-Trigger": "calendar-changed"}
    return response


def week_and_day(day):
    week, weekday = rules.template_position(day)
    return {"week": max(week, 1), "day": weekday}


def day_label(calendar, day):
    if calendar.kind == TEMPLATE_CALENDAR:
        week, weekday = rules.template_position(day)
        return f"Week {week}, Day {weekday}"
    return f"{day:%a} {day.day} {day:%b %Y}"


def parse_day(calendar, raw):
    try:
        day = date.fromisoformat(raw or "")
        rules.check_date(calendar, day)
    except ValueError:
        abort(400, "That date is not valid.")
    except CalendarError as error:
        abort(400, error.message)
    return day
