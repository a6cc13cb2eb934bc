"""The dates of a subscriber's calendar its client may see: from their start to today plus the
program's Clients can see ahead (all when 0); nothing while pending; nothing after an ended
subscription ended (or an unpaid one's grace period). The client's pages show only these dates, and the coach's calendar counts a
session Missed only inside them."""

from dataclasses import dataclass
from datetime import date, timedelta

from fitr.clock import local, utcnow
from fitr.subscriptions.models import ACTIVE, ENDED, PENDING


@dataclass(frozen=True)
class Window:
    """The dates of a subscription's calendar its client may see; `last` None = no limit."""

    first: date | None
    last: date | None

    def __contains__(self, day):
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)

    def clip(self, first, last):
        """(first, last) cut to the window, or None when they do not overlap."""
        if self.first is not None:
            first = max(first, self.first)
        if self.last is not None:
            last = min(last, self.last)
        return (first, last) if first <= last else None


def visible_window(subscription, today, program=None, client=None):
    """From the subscription's start date to today + the program's Clients can see ahead (all
    when 0). A pending subscription shows nothing; an ended one nothing after it ended (and
    nothing after today). `today` and the days it started and ended are the client's (`client`:
    whose time zone). `program` defaults to subscription.program (load it)."""
    program = program or subscription.program
    if subscription.status == PENDING:
        return None
    first = subscription.start_date
    if first is None and subscription.started_at is not None:
        first = local(subscription.started_at, client).date()
    if subscription.status == ACTIVE and subscription.lapsed(utcnow()):  # unpaid past its grace period
        return Window(first, min(local(subscription.grace_ends_at, client).date(), today))
    if subscription.status == ENDED:
        ended = local(subscription.ended_at, client).date() if subscription.ended_at else today
        return Window(first, min(ended, today))
    ahead = program.client_see_ahead_days  # 7 in a Session 1 Day 1 program, whatever the setting
    last = today + timedelta(days=ahead) if ahead else None
    return Window(first, last)
