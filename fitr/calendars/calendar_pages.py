"""Calendar pages: a client's calendar with the program's client switcher, a Group program's
shared calendar, a program's template, and Apply template.

Every route loads what it touches through fitr.programs.access or fitr.calendars.access, calls
one rule, commits, and renders the page or, for htmx, the block it changed.
"""

from flask import abort, flash, redirect, request, url_for
from flask_login import login_required

from fitr.calendars import bp, copying, rules
from fitr.calendars.access import owned_client_calendar
from fitr.calendars.forms import ApplyTemplateForm
from fitr.calendars.rules import CalendarError
from fitr.calendars.screen import PAGE, read_view, show_calendar, switcher
from fitr.extensions import db
from fitr.forms import choices
from fitr.programs.access import owned_program
from fitr.programs.models import GROUP
from fitr.subscriptions.models import PENDING
from fitr.subscriptions.queries import live_subscriptions
from fitr.web import is_htmx, render


@bp.route("/programs/<int:program_id>/calendar")
@login_required
def program_calendar(program_id):
    """Open calendar: a Group program's shared calendar, else the first client's calendar."""
    program = owned_program(program_id)
    if program.type == GROUP:
        return redirect(url_for(".shared_calendar", program_id=program.id))
    clients = live_subscriptions(program.id)
    if clients:
        return redirect(url_for(".client_calendar", program_id=program.id, subscription_id=clients[0].id))
    return redirect(url_for(".template", program_id=program.id))


@bp.route("/programs/<int:program_id>/clients/<int:subscription_id>/calendar")
@login_required
def client_calendar(program_id, subscription_id):
    """One client's own calendar, month or week, beside the program's client switcher."""
    subscription, calendar = owned_client_calendar(program_id, subscription_id)
    if subscription.program.type == GROUP:
        return redirect(url_for(".shared_calendar", program_id=program_id))
    calendar = calendar or rules.calendar_for_subscription(subscription)  # made on first view
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/shared-calendar")
@login_required
def shared_calendar(program_id):
    """A Group program's one calendar, which every subscriber follows."""
    program = owned_program(program_id)
    if program.type != GROUP:
        return redirect(url_for(".program_calendar", program_id=program.id))
    calendar = rules.group_calendar(program)
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/template")
@login_required
def template(program_id):
    """The program template: Week 1, Week 2, ... copied to each client from their start date."""
    program = owned_program(program_id)
    if program.type == GROUP:
        abort(404, "A Group program has one shared calendar and no template.")
    calendar = rules.template_calendar(program)
    view, cursor = read_view(request.args, calendar)
    return show_calendar(calendar, view, cursor)


@bp.route("/programs/<int:program_id>/template/apply", methods=["GET", "POST"])
@login_required
def apply_template(program_id):
    """Apply template: copy the template into chosen clients' calendars from a start date,
    keeping or replacing what is there."""
    program = owned_program(program_id)
    if program.type == GROUP:
        abort(404, "A Group program has one shared calendar and no template.")
    clients = {s.id: s for s in live_subscriptions(program.id)}
    chosen = request.args.get("client", type=int)
    if request.method == "POST":  # as posted: an unticked client must stay unticked
        form = ApplyTemplateForm()
    else:
        form = ApplyTemplateForm(data={"clients": [chosen] if chosen in clients else []})
    form.clients.choices = choices((s.id, client_label(s)) for s in clients.values())
    if form.validate_on_submit():
        chosen = [clients[i] for i in form.clients.data]
        missing = [s.display_name for s in chosen if form.start.data is None and s.start_date is None]
        if missing:
            form.start.errors = [*form.start.errors, f"Enter a start date: {', '.join(missing)} has none yet."]
        else:
            try:
                created = sum(
                    copying.copy_template(program, s, form.start.data or s.start_date, form.mode.data == "replace")
                    for s in chosen
                )
            except CalendarError as error:
                db.session.rollback()
                form.start.errors = [*form.start.errors, error.message]
            else:
                db.session.commit()
                flash(f"Applied the template to {len(chosen)} client{'s' if len(chosen) > 1 else ''}: {created} session{'s' if created != 1 else ''}.", "success")
                if len(chosen) == 1:
                    start = form.start.data or chosen[0].start_date
                    return redirect(url_for(".client_calendar", program_id=program.id, subscription_id=chosen[0].id, date=start.isoformat()))
                return redirect(url_for(".template", program_id=program.id))
    status = 400 if form.errors else 200
    return render("calendars/apply_template.html", status=status, program=program, form=form, weeks=copying.template_weeks(program))


def client_label(subscription):
    start = f" (starts {subscription.start_date.day} {subscription.start_date:%b %Y})" if subscription.start_date else " (no start date)"
    pending = " · pending" if subscription.status == PENDING else ""
    return subscription.display_name + start + pending


@bp.route("/programs/<int:program_id>/calendar/clients")
@login_required
def client_list(program_id):
    """The client switcher's list, filtered by the search box."""
    program = owned_program(program_id)
    if not is_htmx():
        return redirect(url_for(".program_calendar", program_id=program.id))
    query = (request.args.get("q") or "").strip()[:100]
    return render(PAGE, block="client_list", program=program, subscription=None, **switcher(program, query))

