"""The days a calendar view shows: a month or a week of a client's or Group calendar, or four
weeks or one week of a template. Pure date arithmetic; the route supplies the sessions. The
coach's calendars and the client's read their view from the URL the same way (read_view)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort

from fitr.calendars.models import FIRST_DATE, LAST_DATE, TEMPLATE_EPOCH, TEMPLATE_WEEKS

VIEWS = ("month", "week")
# The names a grid writes, as strftime's %a and %b write them (in English, as the whole app is),
# without formatting 70 dates for a month.
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TEMPLATE_BLOCK = 4  # weeks shown by a template's "month" view


@dataclass
class Day:
    date: date
    label: str  # the day's name in the grid: "3", or "Day 3" in a template
    long_label: str  # "Tue 3 Nov 2026" or "Week 2, Day 3": for phones and screen readers
    outside: bool = False  # a day of the neighbouring month, shown to fill the grid
    today: bool = False
    in_range: bool = True  # False for the days around 2000-2099 that fill the first and last grids
    sessions: list = field(default_factory=list)

    @property
    def iso(self):
        return self.date.isoformat()


@dataclass
class Grid:
    view: str
    cursor: date
    first: date
    last: date
    title: str
    weeks: list  # [(week label or "", [Day, ...])]
    weekdays: list  # column headings
    prev: date | None
    next: date | None
    today: date | None  # the cursor for "Today"; None on a template

    def place(self, sessions):
        by_day = defaultdict(list)
        for session in sessions:
            by_day[session.date].append(session)
        for _, days in self.weeks:
            for day in days:
                day.sessions = by_day.get(day.date, [])
        return self


def read_view(args, today, template=False, strict=True):
    """(view, cursor) from a calendar URL's query: `view` (month or week) and `date` on a dated
    calendar, `week` on a template. A bad value is a 400 with a message when `strict`, else
    the default (this month, or Week 1)."""

    def bad(message):
        if strict:
            abort(400, message)

    view = args.get("view") or "month"
    if view not in VIEWS:
        bad("Choose the month or week view.")
        view = "month"
    if template:
        raw = args.get("week") or "1"
        if not raw.isdigit() or not 1 <= int(raw) <= TEMPLATE_WEEKS:
            bad(f"Choose a week from 1 to {TEMPLATE_WEEKS}.")
            raw = "1"
        return view, TEMPLATE_EPOCH + timedelta(days=(int(raw) - 1) * 7)
    raw = args.get("date")
    if not raw:
        return view, today
    try:
        cursor = date.fromisoformat(raw)
    except ValueError:
        bad("That date is not valid. Use the calendar's Previous and Next buttons.")
        return view, today
    if not FIRST_DATE <= cursor <= LAST_DATE:
        bad("Choose a date between 2000 and 2099.")
        return view, today
    return view, cursor


def week_first(day, week_start):
    """The first day of the week holding `day`; week_start is 0 (Monday) to 6 (Sunday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def add_months(day, months):
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def calendar_grid(view, cursor, week_start, today):
    """A month (whole weeks around it) or a week of a dated calendar. No Previous before
    2000, no Next after 2099: the calendar refuses those dates."""
    names = [WEEKDAY_NAMES[(week_start + i) % 7] for i in range(7)]
    if view == "week":
        first = week_first(cursor, week_start)
        last = first + timedelta(days=6)
        title = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
        prev = max(first - timedelta(days=7), FIRST_DATE) if first > FIRST_DATE else None
        next_ = first + timedelta(days=7) if last < LAST_DATE else None
        month = None
    else:
        month_first = cursor.replace(day=1)
        first = week_first(month_first, week_start)
        last = week_first(add_months(month_first, 1) - timedelta(days=1), week_start) + timedelta(days=6)
        title = f"{month_first:%B %Y}"
        prev = add_months(month_first, -1) if month_first > FIRST_DATE else None
        next_ = add_months(month_first, 1) if add_months(month_first, 1) <= LAST_DATE else None
        month = month_first.month
    weeks = []
    day = first
    while day <= last:
        days = []
        for _ in range(7):
            days.append(
                Day(
                    date=day,
                    label=str(day.day),
                    long_label=f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
                    outside=month is not None and day.month != month,
                    today=day == today,
                    in_range=FIRST_DATE <= day <= LAST_DATE,
                )
            )
            day += timedelta(days=1)
        weeks.append(("", days))
    return Grid(view, cursor, first, last, title, weeks, names, prev, next_, today)


def template_grid(view, cursor):
    """Four weeks (or one) of a template, labelled Week 1, Week 2, ... and Day 1 to Day 7."""
    size = 1 if view == "week" else TEMPLATE_BLOCK
    week_index = (cursor - TEMPLATE_EPOCH).days // 7
    week_index -= week_index % size
    first = TEMPLATE_EPOCH + timedelta(days=7 * week_index)
    last = first + timedelta(days=7 * size - 1)
    weeks = []
    for w in range(week_index, week_index + size):
        days = [
            Day(
                date=TEMPLATE_EPOCH + timedelta(days=7 * w + d),
                label=f"Day {d + 1}",
                long_label=f"Week {w + 1}, Day {d + 1}",
            )
            for d in range(7)
        ]
        weeks.append((f"Week {w + 1}", days))
    title = f"Week {week_index + 1}" if size == 1 else f"Weeks {week_index + 1}–{week_index + size}"
    prev = first - timedelta(days=7 * size) if week_index > 0 else None
    next_ = first + timedelta(days=7 * size) if week_index + size < TEMPLATE_WEEKS else None
    return Grid(view, cursor, first, last, title, weeks, [f"Day {d}" for d in range(1, 8)], prev, next_, None)
