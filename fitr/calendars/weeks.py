"""Copy weeks: a range of a calendar's weeks (by the program's week start; a template's Week 1,
Week 2, ...) onto later or earlier weeks of the same calendar or of other calendars of the same
program, with an optional progression per week copied. `plan_weeks` works out what would be
made without writing (the preview); `write_plan` writes it in the caller's one transaction.
Each is a fixed number of queries whatever the number of sessions and calendars.

Progression, applied once for the first week copied onto, twice for the second, and so on:
- kg / lb: that much more on loads written in kg or lb (converted for the other unit, to 0.1);
- percent: kg and lb loads times (1 + steps x percent / 100), to the nearest 0.5; loads written
  as %1RM or %TM go up by that many percentage points (75% 1RM, +5 %: 80%, 85%, ...);
- reps: that many more reps (both ends of a range).
RPE, tempo, rest, time and distance are copied as written; so is a load or reps left empty."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, insert, select

from fitr.calendars import versions
from fitr.calendars.grid import week_first
from fitr.calendars.models import TEMPLATE_CALENDAR, TEMPLATE_EPOCH, Prescription, Session
from fitr.calendars.rules import CalendarError, check_date, check_writable, sessions_between
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.library.models import PERCENT_LABELS
from fitr.library.workouts import item_rows
from fitr.units import KG_PER_LB

MOST_WEEKS = 12
MOST_LOAD, MOST_REPS = 1000, 500  # the database's own limits (sane_load, sane_reps)
PROGRESSIONS = {"": "None", "kg": "kg per week", "lb": "lb per week", "percent": "% per week", "reps": "reps per week"}


@dataclass
class Progression:
    kind: str = ""  # one of PROGRESSIONS
    amount: float = 0

    @property
    def label(self):
        if not self.kind:
            return "no progression"
        return self.total(1) + " a week"

    def total(self, steps):
        """What `steps` progressions add up to ('+5 kg'), '' without a progression."""
        if not self.kind:
            return ""
        amount = f"{self.amount * steps:g}"
        return {"kg": f"+{amount} kg", "lb": f"+{amount} lb", "percent": f"+{amount} %", "reps": f"+{amount} reps"}[self.kind]

    def apply(self, row, steps):
        """A copy of a prescription row (item_rows) with `steps` progressions applied."""
        row = dict(row)
        if not self.kind or steps == 0:
            return row
        value, unit = row.get("load_value"), row.get("load_unit")
        if self.kind in ("kg", "lb") and value is not None and unit in ("kg", "lb"):
            add = self.amount * steps
            if unit != self.kind:
                add = add / KG_PER_LB if unit == "lb" else add * KG_PER_LB
            row["load_value"] = round(value + add, 1)
        elif self.kind == "percent" and value is not None and unit in ("kg", "lb"):
            row["load_value"] = round(value * (1 + steps * self.amount / 100) * 2) / 2
        elif self.kind == "percent" and value is not None:
            row["load_value"] = round(value + steps * self.amount, 1)
        elif self.kind == "reps" and row.get("reps_min") is not None:
            add = int(self.amount) * steps
            top = row["reps_max"] if row.get("reps_max") is not None else row["reps_min"]
            row["reps_min"], row["reps_max"] = row["reps_min"] + add, top + add
        return row


@dataclass
class PlannedWeek:
    """One week copied onto: its first day on the target calendars, and the sessions it gets,
    each as (source session, its progressed prescription rows)."""

    number: int  # 1 for the first week copied onto
    first: object
    sessions: list = field(default_factory=list)


@dataclass
class WeeksPlan:
    calendar: object
    first: object  # the first day of the first source week
    weeks: int
    to_first: object
    targets: list
    progression: Progression
    planned: list = field(default_factory=list)

    @property
    def per_calendar(self):
        return sum(len(week.sessions) for week in self.planned)

    @property
    def total(self):
        return self.per_calendar * len(self.targets)

    @property
    def shift(self):
        return self.to_first - self.first

    @property
    def last(self):
        """The last day copied onto."""
        return self.to_first + timedelta(days=7 * self.weeks - 1)

    @property
    def percent_rows_left(self):
        """How many rows prescribed as a percentage of a max a kg or lb progression leaves at
        their percentage (Preview says so, and that % per week moves them)."""
        if self.progression.kind not in ("kg", "lb"):
            return 0
        return sum(
            1 for week in self.planned for _, rows in week.sessions for row in rows
            if row.get("load_unit") in PERCENT_LABELS and row.get("load_value") is not None
        )  # fmt: skip


def occupied_days(plan):
    """[(day, [(calendar's name, session titles)])] of the days copied onto that already hold
    sessions on a target calendar: the copies go after them (Preview lists them). One query."""
    target_ids = [t.id for t in plan.targets]
    names = {t.id: (t.subscription.display_name if t.subscription_id else "This calendar") for t in plan.targets}
    if plan.calendar.id in names:
        names[plan.calendar.id] = "This calendar"
    found = db.session.execute(
        select(Session.date, Session.calendar_id, Session.title)
        .where(Session.calendar_id.in_(target_ids), Session.date.between(plan.to_first, plan.last))
        .order_by(Session.date, Session.calendar_id, Session.position, Session.id)
    ).all()
    days = {}
    for day, calendar_id, title in found:
        titles = days.setdefault(day, {}).setdefault(names[calendar_id], [])
        titles.append(title)
    return [(day, list(by_calendar.items())) for day, by_calendar in days.items()]


def doses(source, rows):
    """What a planned copy prescribes, as the calendar shows it: 'Back Squat 3×5 @ 102.5 kg'."""
    names = [p.exercise.name for p in source.prescriptions]
    return [f"{name} {Prescription(**row).dose_text}".strip() for name, row in zip(names, rows, strict=True)]


def week_start_of(calendar, day):
    """The first day of the calendar's week holding `day`: the program's week start on a dated
    calendar, Day 1 of the template's week on a template."""
    if calendar.kind == TEMPLATE_CALENDAR:
        return day - timedelta(days=(day - TEMPLATE_EPOCH).days % 7)
    return week_first(day, calendar.program.week_start)


def plan_weeks(calendar, first_day, last_day, to_day, targets, progression=None):
    """What copying the weeks holding `first_day` to `last_day` of `calendar` onto the weeks from
    the one holding `to_day`, on each of `targets` (calendars of the same program, loaded), would
    make. Refuses absurd ranges, other programs' calendars, read-only calendars and, on the
    source calendar, target weeks that overlap the source weeks. Two queries."""
    progression = progression or Progression()
    first, last, to_first = (week_start_of(calendar, day) for day in (first_day, last_day, to_day))
    if last < first:
        raise CalendarError("The last week must not be before the first.", "last")
    weeks = (last - first).days // 7 + 1
    if weeks > MOST_WEEKS:
        raise CalendarError(f"Copy at most {MOST_WEEKS} weeks at a time.", "last")
    if not targets:
        raise CalendarError("Choose at least one calendar.", "clients")
    if any(target.program_id != calendar.program_id for target in targets):
        raise CalendarError("Weeks can only be copied between calendars of one program.", "clients")
    span = timedelta(days=7 * weeks)
    if any(t.id == calendar.id for t in targets) and to_first < first + span and first < to_first + span:
        raise CalendarError("On this calendar, the weeks copied onto must not overlap the weeks copied from.", "to")
    for day in (to_first, to_first + span - timedelta(days=1)):
        check_date(calendar, day, "to")
    for target in targets:
        check_writable(target)
    plan = WeeksPlan(calendar, first, weeks, to_first, list(targets), progression)
    plan.planned = [PlannedWeek(n + 1, to_first + timedelta(days=7 * n)) for n in range(weeks)]
    for session in sessions_between(calendar, first, first + span - timedelta(days=1)):
        n = (session.date - first).days // 7
        rows = [progression.apply(row, n + 1) for row in item_rows(session.prescriptions)]
        for row in rows:
            if row.get("load_value") is not None and row["load_value"] > MOST_LOAD:
                raise CalendarError(f"Week {n + 1} would prescribe more than {MOST_LOAD} in “{session.title}”: choose a smaller progression.", "amount")
            if row.get("reps_max") is not None and row["reps_max"] > MOST_REPS:
                raise CalendarError(f"Week {n + 1} would prescribe more than {MOST_REPS} reps in “{session.title}”: choose a smaller progression.", "amount")
        plan.planned[n].sessions.append((session, rows))
    return plan


def write_plan(plan):
    """Write what `plan_weeks` planned: each session after what is already on its day, on every
    target. Four statements whatever the number of sessions and calendars: the days' last
    positions, the sessions (one executemany), their new ids (found by calendar, date and
    the time of writing), and the prescriptions (one executemany).
    Returns the sessions made, as rows with id, calendar_id and date."""
    if not plan.per_calendar:
        return []
    shift, now = plan.shift, utcnow()
    last = plan.to_first + timedelta(days=7 * plan.weeks - 1)
    target_ids = [t.id for t in plan.targets]
    tops = db.session.execute(
        select(Session.calendar_id, Session.date, func.max(Session.position))
        .where(Session.calendar_id.in_(target_ids), Session.date.between(plan.to_first, last))
        .group_by(Session.calendar_id, Session.date)
    ).all()
    positions = {(calendar_id, day): top + 1 for calendar_id, day, top in tops}
    sessions, items = [], {}
    for target in plan.targets:
        for week in plan.planned:
            for source, rows in week.sessions:
                key = (target.id, source.date + shift)
                position = positions.get(key, 0)
                positions[key] = position + 1
                sessions.append({"calendar_id": target.id, "date": key[1], "position": position, "title": source.title,
                                 "notes": source.notes, "version": 1, "created_at": now, "updated_at": now})  # fmt: skip
                items[(*key, position)] = rows
    db.session.execute(insert(Session), sessions)
    versions.touch(*target_ids)
    made = db.session.execute(
        select(Session.id, Session.calendar_id, Session.date, Session.position)
        .where(Session.calendar_id.in_(target_ids), Session.date.between(plan.to_first, last), Session.created_at == now)
        .order_by(Session.id)
    ).all()
    made = list({(m.calendar_id, m.date, m.position): m for m in made if (m.calendar_id, m.date, m.position) in items}.values())
    values = [{**row, "session_id": m.id} for m in made for row in items[(m.calendar_id, m.date, m.position)]]
    if values:
        db.session.execute(insert(Prescription), values)
    return made
