"""Calendars and what is on them: sessions and their prescriptions.

A template calendar stores its sessions on dates counted from TEMPLATE_EPOCH (Week 1 Day 1),
so moving, copying and editing work the same on every kind of calendar; copying a template
to a client shifts each date by (start - TEMPLATE_EPOCH).
"""

import datetime as dt
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.library.models import Prescribed, PrescriptionFields
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription

# The kinds of calendar: a 1-2-1 client's own, a Group program's shared one, a program's template.
CLIENT_CALENDAR, SHARED_CALENDAR, TEMPLATE_CALENDAR = "client", "group", "template"
TEMPLATE_EPOCH = date(2000, 1, 3)  # Week 1 Day 1 of every program template
TEMPLATE_WEEKS = 52
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)  # a dated calendar's range


class Calendar(db.Model):
    """One calendar: a 1-2-1 client's own (pending clients too), a Group program's shared one,
    or a program's template."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every change to what the calendar shows (fitr.calendars.versions): the calendar
    # fragment's ETag, so switching back to an unchanged calendar costs a 304.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    program: Mapped[Program] = relationship(lazy="raise")
    subscription: Mapped[Subscription | None] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("kind IN ('client', 'group', 'template')", name="known_kind"),
        CheckConstraint("(kind = 'client') = (subscription_id IS NOT NULL)", name="client_has_subscription"),
        # A program's calendars by kind: its one shared calendar found without reading the
        # calendars of its thousand clients.
        Index("ix_calendar_program_kind", "program_id", "kind"),
        # A program has at most one shared calendar and one template.
        Index(
            "uq_calendar_program_kind",
            "program_id",
            "kind",
            unique=True,
            sqlite_where=text("kind IN ('group', 'template')"),
            postgresql_where=text("kind IN ('group', 'template')"),
        ),
    )

    @property
    def is_template(self):
        return self.kind == TEMPLATE_CALENDAR


class Prescription(PrescriptionFields, db.Model):
    """One exercise of a session, in order."""

    owner_key = "session_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calendar_session.id", ondelete="CASCADE"), index=True)


class Session(Prescribed, db.Model):
    """One planned workout on one date of one calendar; several a day, ordered by position."""

    __tablename__ = "calendar_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendar.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)  # bumped on each save: a stale editor is told
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    calendar: Mapped[Calendar] = relationship(lazy="raise")
    prescriptions: Mapped[list[Prescription]] = relationship(
        order_by=Prescription.position, cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    __table_args__ = (Index("ix_calendar_session_calendar_date", "calendar_id", "date", "position"),)
