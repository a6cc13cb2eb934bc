"""Every table, imported in one place so Alembic and create_app() see them all."""

from fitr.auth.models import PasswordReset, User
from fitr.programs.models import Program, Subscription

__all__ = ["PasswordReset", "Program", "Subscription", "User"]
from fitr.invites.models import Invite, InviteLink, Notice  # noqa: E402

__all__ += ["Invite", "InviteLink", "Notice"]
