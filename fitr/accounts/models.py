"""Users and their password-reset tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db, login_manager

UNITS = ("kg", "lb")


class User(UserMixin, db.Model):
    """Anyone who uses fitr: a coach, a client, or both."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower-cased
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    units: Mapped[str] = mapped_column(String(2), default="kg")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Coaches sign up; clients get an account by accepting an invite. The flag only picks the
    # navigation and the start page: anyone can still coach, be coached, or both.
    is_coach: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<User {self.email}>"


class PasswordReset(db.Model):
    """A single-use, expiring password-reset link; only the token's hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = db.relationship(lazy="joined")


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
