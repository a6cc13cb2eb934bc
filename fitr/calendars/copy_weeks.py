"""Copy weeks on the coach's calendars: the form (loaded when opened), its Preview of what will be
made per week and calendar with the progressed loads, and the copy itself, in one transaction,
with Undo."""

import hashlib

from flask import abort, redirect, request
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from fitr.calendars import bp, rules, weeks
from fitr.calendars.access import owned_calendar
from fitr.calendars.copying import calendars_named
from fitr.calendars.forms import CopyWeeksForm
from fitr.calendars.models import CLIENT_CALENDAR, TEMPLATE_CALENDAR, Calendar
from fitr.calendars.moves import copy_undo
from fitr.calendars.rules import CalendarError
from fitr.calendars.screen import (
    PAGE,
    calendar_changed,
    calendar_context,
    calendar_url,
    committed,
    day_label,
    view_on_screen,
)
from fitr.extensions import db
from fitr.forms import autofocus, choices, first_error
from fitr.subscriptions.queries import live_subscriptions
from fitr.web import is_htmx, render, rolled_back

PANEL = "#weeks-panel"


def weeks_form(calendar, first=None, formdata=None):
    """Copy weeks: as posted, or by default this week onto the next, on this calendar, with no
    progression. Returns (form, {subscription id: subscription} that may be ticked)."""
    template = calendar.kind == TEMPLATE_CALENDAR
    if formdata is not None:
        form = CopyWeeksForm(formdata=formdata, prefix="weeks")
    else:
        week = rules.template_position(first)[0] if template else None
        to = {"date": first.fromordinal(first.toordinal() + 7), "week": min((week or 0) + 1, 52)}
        data = {"first": {"date": first, "week": week}, "last": {"date": first, "week": week}, "to": to}
        form = CopyWeeksForm(formdata=None, prefix="weeks", data=data)
    clients = live_subscriptions(calendar.program_id) if calendar.kind == CLIENT_CALENDAR else []
    form.clients.choices = choices((s.id, s.display_name) for s in clients)
    return form, {s.id: s for s in clients}


def target_calendars(calendar, chosen):
    """The calendars of the chosen subscriptions (one query; a calendar never opened is made),
    or this calendar when none is chosen."""
    if not chosen:
        return [calendar]
    found = {
        c.subscription_id: c
        for c in db.session.scalars(select(Calendar).where(Calendar.subscription_id.in_([s.id for s in chosen])))
    }
    targets = []
    for subscription in chosen:
        target = found.get(subscription.id) or rules.calendar_for_subscription(subscription)
        set_committed_value(target, "subscription", subscription)
        set_committed_value(target, "program", calendar.program)
        targets.append(target)
    return targets


def fingerprint(formdata):
    """What the coach chose, so Copy writes only what the preview showed."""
    fields = sorted((key, value) for key, value in formdata.items(multi=True) if key.startswith("weeks-"))
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


def read_plan(calendar):
    """The posted form and, when it is valid, the plan it asks for (else None, with messages
    on the fields)."""
    template = calendar.kind == TEMPLATE_CALENDAR
    form, clients = weeks_form(calendar, formdata=request.form)
    valid = form.validate()
    days = [f.target(template) for f in (form.first, form.last, form.to)]
    if not valid or None in days:
        return form, None
    progression = weeks.Progression(form.progression.data, form.amount.parsed or 0)
    try:
        targets = target_calendars(calendar, [clients[i] for i in form.clients.data])
        return form, weeks.plan_weeks(calendar, *days, targets, progression)
    except CalendarError as error:
        wrong = {"last": form.last, "to": form.to, "clients": form.clients, "amount": form.amount}.get(error.field, form.to)
        wrong = getattr(wrong, "week" if template and error.field in ("last", "to") else "date", wrong)
        wrong.errors = [*wrong.errors, error.message]
        return form, None


def panel(calendar, form, plan=None, status=200):
    """The Copy weeks panel, with its preview when there is a plan; messages put the keyboard
    on their first field. Without htmx, the calendar page with the panel open."""
    wrong = first_error(form)
    if wrong is not None:
        autofocus(wrong)
    context = {
        "weeks_form": form,
        "weeks_plan": plan,
        "weeks_fingerprint": fingerprint(request.form) if plan else None,
        "target_names": [target_name(calendar, t) for t in plan.targets] if plan else [],
        "occupied": weeks.occupied_days(plan) if plan else [],
        "label": lambda day: day_label(calendar, day),
        "doses": weeks.doses,
    }
    if is_htmx():
        return render(PAGE, block="weeks_form", status=status, program=calendar.program, calendar=calendar, **context)
    view, cursor = view_on_screen(calendar)
    return render(PAGE, status=status, **calendar_context(calendar, view, cursor), **context)


def target_name(calendar, target):
    if target.id == calendar.id:
        return "This calendar"
    return target.subscription.display_name


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/copy-weeks")
@login_required
def copy_weeks_panel(program_id, calendar_id):
    """The Copy weeks form, loaded when the coach opens it."""
    calendar = owned_calendar(program_id, calendar_id)
    view, cursor = view_on_screen(calendar)
    if not is_htmx():
        return redirect(calendar_url(calendar, view, cursor))
    form, _ = weeks_form(calendar, weeks.week_start_of(calendar, cursor))  # the week the coach is on
    return panel(calendar, form)


def writable(calendar):
    if rules.is_read_only(calendar):
        abort(403, "This client's subscription has ended: their calendar is read-only.")


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/copy-weeks/preview", methods=["POST"])
@login_required
def preview_weeks(program_id, calendar_id):
    """Preview: what Copy weeks will make, per week and calendar, with the progressed loads.
    Nothing is written."""
    calendar = owned_calendar(program_id, calendar_id)
    writable(calendar)
    form, plan = read_plan(calendar)
    return rolled_back(panel(calendar, form, plan, status=200 if plan else 400))


@bp.route("/programs/<int:program_id>/calendars/<int:calendar_id>/copy-weeks", methods=["POST"])
@login_required
def copy_weeks(program_id, calendar_id):
    """Copy weeks as previewed, in one transaction; the calendar comes back with Undo."""
    calendar = owned_calendar(program_id, calendar_id)
    writable(calendar)
    form, plan = read_plan(calendar)
    if plan is not None and request.form.get("previewed") != fingerprint(request.form):
        form.first.date.errors = [*form.first.date.errors, "The choices changed since the preview: check the preview again."]
        plan = None
    if plan is None:
        return refused(calendar, form)
    copies = weeks.write_plan(plan)
    count = len(copies)
    others = [t.subscription.display_name for t in plan.targets if t.id != calendar.id]
    targets = calendars_named(others, this=any(t.id == calendar.id for t in plan.targets))
    message = (
        f"Copied {plan.weeks} week{'s' if plan.weeks != 1 else ''} from {day_label(calendar, plan.first)} onto "
        f"{targets} from {day_label(calendar, plan.to_first)}, "
        f"{plan.progression.label}: {count} session{'s' if count != 1 else ''}."
    )
    return committed(calendar_changed(calendar, plan.to_first, message, copy_undo(calendar, copies)))


def refused(calendar, form):
    """A refused copy: the panel again with the messages (400), nothing written."""
    body, status = panel(calendar, form, status=400)
    headers = {"HX-Retarget": PANEL, "HX-Reswap": "outerHTML"} if is_htmx() else {}
    return rolled_back((body, status, headers))

