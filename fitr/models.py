"""Every table, imported in one place so Alembic and create_app() see them all."""

from fitr.auth.models import PasswordReset, User
from fitr.programs.models import Program, Subscription

__all__ = ["PasswordReset", "Program", "Subscription", "User"]
