"""Programs: a coach's 1-2-1, Group, Fixed Length and Session 1 Day 1 programs."""

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.accounts.models import User
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.units import DEFAULT_PLATES

ONE_TO_ONE = "1-2-1"
GROUP = "group"
FIXED = "fixed"  # Fixed Length: the whole template placed from the start date on joining
SELF_PACED = "self_paced"  # Session 1 Day 1: the client picks their start and moves their sessions
PROGRAM_TYPES = {
    ONE_TO_ONE: "1-2-1",
    GROUP: "Group",
    FIXED: "Fixed Length",
    SELF_PACED: "Session 1 Day 1 (self-paced)",
}
TEMPLATE_PLACED = (FIXED, SELF_PACED)  # types whose template is placed whole when a client joins
SELF_PACED_SEE_AHEAD = 7  # a Session 1 Day 1 client sees this many days ahead, whatever the setting

DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"
PROGRAM_STATUSES = {DRAFT: "Draft", PUBLISHED: "Published", ARCHIVED: "Archived"}

BILLING_PERIODS = {"one_off": "One-off", "weekly": "Weekly", "monthly": "Monthly", "yearly": "Yearly"}


def default_billing_period(program_type):
    """A Fixed Length program is sold once, for its length; the others month by month."""
    return "one_off" if program_type == FIXED else "monthly"

MAX_TRIAL_DAYS = 365
MAX_GRACE_DAYS = 60  # how long a client whose card payment failed keeps access, at most
START_RULES = {"accept_day": "The day they accept", "next_week_start": "The next week start"}
SEE_AHEAD_CHOICES = {7: "7 days", 14: "14 days", 28: "28 days", 0: "All"}  # 0 = no limit


def new_public_slug():
    """The random, unguessable part of a program's shareable URL (/p/<slug>)."""
    return secrets.token_urlsafe(8)


class Program(db.Model):
    """A coach's program: 1-2-1 (a calendar per client), Group (one shared calendar), Fixed
    Length or Session 1 Day 1 (a calendar per client, placed whole from the Program template)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(10), default=ONE_TO_ONE)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    price_minor: Mapped[int] = mapped_column(default=0)  # 0 = Free (invite-only)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    billing_period: Mapped[str] = mapped_column(String(10), default="one_off")
    trial_days: Mapped[int] = mapped_column(default=0, server_default="0")  # a free trial, 0 = none
    # Days a client keeps access after a card payment fails (from the first failure), 0 = none.
    grace_days: Mapped[int] = mapped_column(default=7, server_default="7")
    week_start: Mapped[int] = mapped_column(default=0)  # 0 = Monday, 6 = Sunday (date.weekday())
    start_rule: Mapped[str] = mapped_column(String(20), default="accept_day")
    welcome_message: Mapped[str] = mapped_column(Text, default="")
    waiver: Mapped[str] = mapped_column(Text, default="")
    see_ahead_days: Mapped[int] = mapped_column(default=0)  # 0 = all
    # An active client with fewer days of training scheduled ahead is marked Needs training; 0 = off.
    needs_training_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # Loads from percentages: a client with no training max set gets theirs from their estimated
    # 1RM when this is on; loads are rounded to the plate increment of the client's unit.
    use_estimated_1rm: Mapped[bool] = mapped_column(default=False, server_default=false())
    plate_kg: Mapped[float] = mapped_column(default=DEFAULT_PLATES["kg"], server_default=str(DEFAULT_PLATES["kg"]))
    plate_lb: Mapped[float] = mapped_column(default=DEFAULT_PLATES["lb"], server_default=str(DEFAULT_PLATES["lb"]))
    public_slug: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_slug)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)

    coach: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("type IN ('1-2-1', 'group', 'fixed', 'self_paced')", name="known_type"),
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="known_status"),
    )

    @property
    def is_free(self):
        return self.price_minor == 0

    @property
    def type_label(self):
        return PROGRAM_TYPES[self.type]

    @property
    def has_client_calendars(self):
        """Each client has their own calendar (every type but Group)."""
        return self.type != GROUP

    @property
    def places_template(self):
        return self.type in TEMPLATE_PLACED

    @property
    def client_see_ahead_days(self):
        """How many days ahead a client sees (0 = all): 7 in a Session 1 Day 1 program."""
        return SELF_PACED_SEE_AHEAD if self.type == SELF_PACED else self.see_ahead_days

    @property
    def status_label(self):
        return PROGRAM_STATUSES[self.status]

    @property
    def is_draft(self):
        return self.status == DRAFT

    @property
    def is_published(self):
        return self.status == PUBLISHED

    @property
    def is_archived(self):
        return self.status == ARCHIVED

    @property
    def has_public_page(self):
        """Only a published, paid program has a public page; a free one is invite-only."""
        return self.is_published and not self.is_free
