"""What a %1RM or %TM prescription comes to for each client who trains from a calendar, next to
the percentage in the coach's session editor: the one client of a 1-2-1 calendar, every active
client of a Group calendar. A fixed number of queries however many clients and rows."""

from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars.models import CLIENT_CALENDAR, SHARED_CALENDAR
from fitr.extensions import db
from fitr.library.exercises import resolve_exercises
from fitr.maxes.rules import Written, loads_for_clients
from fitr.subscriptions.models import ACTIVE, Subscription
from fitr.units import parse_number


def calendar_clients(calendar):
    """The clients who train from this calendar (who have joined), by name; none for a template."""
    if calendar.kind == CLIENT_CALENDAR:
        where = [Subscription.id == calendar.subscription_id]
    elif calendar.kind == SHARED_CALENDAR:
        where = [Subscription.program_id == calendar.program_id, Subscription.status == ACTIVE]
    else:
        return []
    return db.session.scalars(
        select(User).join(Subscription, Subscription.client_id == User.id).where(*where).order_by(User.name, User.id)
    ).unique().all()


def written_rows(form):
    """The editor's rows as far as loads go: a Written per row in % 1RM or % TM with a number
    and a known exercise, None for the others."""
    typed = []
    for entry in form.prescriptions:
        try:
            value = parse_number(entry.load.data)
        except ValueError:
            value = None
        percent = entry.load_unit.data in ("%1rm", "%tm") and value is not None and 0 < value <= 150
        typed.append((entry.exercise.data or "", value, entry.load_unit.data) if percent else None)
    return typed


def editor_loads(calendar, form):
    """Per row of the session editor: [(client, Load)] for a percentage row, else None; None
    altogether when no row is a percentage or nobody trains from the calendar."""
    typed = written_rows(form)
    if not any(typed):
        return None
    clients = calendar_clients(calendar)
    if not clients:
        return None
    exercises = resolve_exercises(calendar.program.coach_id, [row[0] for row in typed if row])
    rows = []
    for row in typed:
        exercise = exercises.get(row[0].strip().lower()) if row else None
        rows.append(Written(exercise.id, row[1], row[2]) if exercise and exercise.measure == "load_reps" else None)
    return loads_for_clients(calendar.program, clients, rows)
