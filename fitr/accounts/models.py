"""Users, the browsers they are logged in on, and the single-use links that reset a password or
prove an email address. Only a hash of any token is stored."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, select, true
from sqlalchemy.orm import Mapped, mapped_column

from fitr.clock import utcnow
from fitr.extensions import db, login_manager
from fitr.tokens import hash_token


class User(UserMixin, db.Model):
    """Anyone who uses fitr: a coach, a client, or both."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower-cased
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    units: Mapped[str] = mapped_column(String(2), default="kg")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA, e.g. Europe/London
    # Light or dark pages: system (the device's setting), light or dark; see accounts.rules.THEMES.
    theme: Mapped[str] = mapped_column(String(6), default="system", server_default="system")
    # Coaches sign up; clients get an account by accepting an invite. The flag only picks the
    # navigation and the start page: anyone can still coach, be coached, or both.
    is_coach: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When the address was proven (a link emailed to it was used, or an emailed invite was
    # accepted); an account that signed itself up cannot log in before.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What fitr emails them (Settings): new comments and messages (batched), and, for a coach,
    # the daily digest at 07:00 where they are.
    email_comments: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_messages: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When the owner was emailed that logging in to this account is slowed down (too many wrong
    # passwords); None again once they log in, so the next time they are told again.
    login_warned_at: Mapped[datetime | None] = mapped_column(default=None)

    # The login (browser) this user was loaded for; see Login and load_user.
    login_token = None

    def __repr__(self):
        return f"<User {self.email}>"

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    def get_id(self):
        """What the session and "Keep me logged in" cookies hold: the user and one login of
        theirs, so ending that login (or all of them) ends every copy of those cookies."""
        return f"{self.id}:{self.login_token}"


class Login(db.Model):
    """One browser where the user logged in. Log out ends it; a password change or reset, or
    Log out everywhere, ends all of the user's logins."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class LoginThrottle(db.Model):
    """Wrong passwords typed for one address, across every process and server: after a few,
    logging in to it is slowed down (fitr.accounts.throttle). Kept for any address typed, with
    an account or not, so being slowed down tells nobody which addresses have accounts; only
    a hash of the address is stored."""

    __tablename__ = "login_throttle"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Attempts counted since the last login (each is counted before its password is checked,
    # and a right password forgets them all, so this is the number of wrong ones).
    failures: Mapped[int] = mapped_column(default=0)
    counted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # the last one
    refused_until: Mapped[datetime | None] = mapped_column(default=None)


class PasswordReset(db.Model):
    """A single-use, expiring password-reset link; only the token's hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = db.relationship(lazy="joined")


class EmailConfirmation(db.Model):
    """A single-use, expiring link that proves an address, sent when someone signs up (or joins
    through an invite link) with it. It carries what they chose, so whoever proves the address
    sets the account's name and password, and what to do next (join a program)."""

    __tablename__ = "email_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_token: Mapped[str | None] = mapped_column(String(200), default=None)  # an invite link's
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = db.relationship(lazy="joined")


@login_manager.user_loader
def load_user(cookie_id):
    """The user a session or "Keep me logged in" cookie names, while its login is still on."""
    user_id, _, token = (cookie_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 9 or not token or len(token) > 100:
        return None
    user = db.session.scalar(
        select(User)
        .join(Login, Login.user_id == User.id)
        .where(User.id == int(user_id), Login.token_hash == hash_token(token), Login.ended_at.is_(None))
    )
    if user is not None:
        user.login_token = token
    return user
