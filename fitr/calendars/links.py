"""Links into a calendar, built in one place (notices, Home and emails all point at a day)."""

from flask import url_for

from fitr.programs.models import GROUP


def calendar_day_url(program_id, program_type, subscription_id, day):
    """That day of a client's calendar: their own (1-2-1), or the program's shared one (Group)."""
    if program_type == GROUP:
        return url_for("calendars.shared_calendar", program_id=program_id, date=day.isoformat())
    return url_for("calendars.client_calendar", program_id=program_id, subscription_id=subscription_id, date=day.isoformat())
