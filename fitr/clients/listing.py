"""The rows of Clients' Active clients and Past clients tabs, read for display only: each
client (one email address) with their subscriptions to the coach's programs, as plain objects
holding the text and links a row shows, rather than ORM instances. At 1,000 clients, loading a
page of them as mapped subscriptions, programs and users (and building each row's four links in
the template) took two thirds of the page's time; each link is filled from one template a page
(fitr.web.link_maker), not looked up a row."""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, func, select

from fitr.accounts.models import User
from fitr.clients.rules import PAGE_ROWS, TABS, like
from fitr.extensions import db
from fitr.programs.models import GROUP, Program
from fitr.subscriptions.models import Subscription
from fitr.subscriptions.queries import joined_if_ended, matching
from fitr.web import link_maker, local, template_url_for


@dataclass(slots=True)
class ClientProgram:
    """One subscription in a client's row: its program, dates, and the links of its buttons."""

    subscription_id: int
    display_name: str  # the client's name as the coach knows it
    name: str  # the name the invite gave (or the email): what the buttons' hidden text says
    program_id: int
    program_name: str
    program_type: str
    start_date: date | None
    ended_at: datetime | None
    # The row's links: the program page, Calendar (1-2-1; None for a Group), Overview, Move to
    # program (Re-subscribe), End subscription (Active clients)
    program_link: str = ""
    own_calendar_link: str | None = None
    overview_link: str = ""
    move_link: str = ""
    end_link: str = ""

    @property
    def started(self):
        """'3 Nov 2026', or '' before a start date."""
        return _short_date(self.start_date)

    @property
    def ended(self):
        """The day it ended where the coach is, or ''."""
        return _short_date(local(self.ended_at)) if self.ended_at else ""

    @property
    def calendar_link(self):
        """The client's own calendar, or the program's shared one (Group)."""
        return self.own_calendar_link or template_url_for("calendars.shared_calendar", program_id=self.program_id)


@dataclass(slots=True)
class ClientLine:
    """One client (one email address) with their subscriptions to the coach's programs."""

    name: str
    email: str
    subscriptions: list = field(default_factory=list)


def _short_date(day):
    return f"{day.day} {day:%b %Y}" if day else ""


def client_lines(coach_id, tab, query="", only=None, page=1, here=None, per_page=PAGE_ROWS):
    """One page of Active or Past clients: one line per client (by name), listing their programs
    with each one's links (End subscription returning to `here`); and whether a next page
    follows. One query. `only`: just these subscriptions (ids), for example those that need
    training."""
    status, _label = TABS[tab]
    pattern = like(query)
    values = {"coach_id": coach_id, "status": status, "offset": (page - 1) * per_page, "limit": per_page + 1}
    if pattern:
        values["pattern"] = pattern
    if only is not None:
        values["only"] = list(only)
    links = _Links(tab, here)
    lines = {}
    for sub_id, email, client_name, user_name, start, ended, program_id, program_name, program_type in db.session.execute(
        _statement(pattern is not None, only is not None), values
    ):
        display_name = user_name if user_name is not None else (client_name or email)  # Subscription.display_name
        line = lines.get(email)
        if line is None:
            line = lines[email] = ClientLine(display_name, email)
        line.subscriptions.append(
            ClientProgram(sub_id, display_name, client_name or email, program_id, program_name, program_type, start, ended,
                          *links.of(program_id, sub_id, program_type))
        )
    lines = list(lines.values())
    return lines[:per_page], len(lines) > per_page


class _Links:
    """A row's links (ClientProgram's), each filled from its link's template, made once a page."""

    def __init__(self, tab, here):
        ids = ("program_id", "subscription_id")
        self.program = link_maker("clients.program", ("program_id",))
        self.calendar = link_maker("calendars.client_calendar", ids)
        self.overview = link_maker("clients.overview", ids)
        self.move = link_maker("clients.move", ids)
        self.end = link_maker("clients.end_subscription", ("subscription_id",), next=here) if tab == "active" else None

    def of(self, program_id, subscription_id, program_type):
        return (self.program(program_id),
                self.calendar(program_id, subscription_id) if program_type != GROUP else None,
                self.overview(program_id, subscription_id),
                self.move(program_id, subscription_id),
                self.end(subscription_id) if self.end else "")  # fmt: skip


@cache
def _statement(searching, only):
    """Built once per shape and run with bound values: building it cost about as much as running it."""
    sort_name = func.lower(func.coalesce(User.name, Subscription.client_name, Subscription.client_email))

    def scoped(statement):
        statement = (
            statement.join(Program, Subscription.program_id == Program.id)
            .outerjoin(User, Subscription.client_id == User.id)
            .where(Program.coach_id == bindparam("coach_id"), Subscription.status == bindparam("status"), joined_if_ended())
        )
        if searching:
            statement = statement.where(matching(bindparam("pattern")))
        if only:
            statement = statement.where(Subscription.id.in_(bindparam("only", expanding=True)))
        return statement

    # The page's clients (by email, as a line is one email), then their subscriptions.
    shown = (
        scoped(select(Subscription.client_email, func.min(sort_name).label("sort_name")).select_from(Subscription))
        .group_by(Subscription.client_email)
        .order_by(func.min(sort_name), Subscription.client_email)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery()
    )
    columns = (Subscription.id, Subscription.client_email, Subscription.client_name, User.name, Subscription.start_date,
               Subscription.ended_at, Program.id, Program.name, Program.type)  # fmt: skip
    return (
        scoped(select(*columns).select_from(Subscription))
        .join(shown, shown.c.client_email == Subscription.client_email)
        .order_by(shown.c.sort_name, Subscription.client_email, Program.name, Subscription.id)
    )
