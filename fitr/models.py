"""Every table, imported in one place so Alembic and create_app() see them all."""

from fitr.auth.models import PasswordReset, User
from fitr.programs.models import Program, Subscription

__all__ = ["PasswordReset", "Program", "Subscription", "User"]
from fitr.calendar.models import (  # noqa: E402
    Calendar,
    Exercise,
    Prescription,
    Session,
    Workout,
    WorkoutItem,
)

__all__ += ["Calendar", "Exercise", "Prescription", "Session", "Workout", "WorkoutItem"]
from fitr.invites.models import Invite, InviteLink, Notice  # noqa: E402

__all__ += ["Invite", "InviteLink", "Notice"]
from fitr.athlete.models import FeedToken, ManualRecord, SessionLog, SetLog  # noqa: E402

__all__ += ["FeedToken", "ManualRecord", "SessionLog", "SetLog"]
