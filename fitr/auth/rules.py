"""Account rules: plain functions that routes, CLI commands and tests call."""

import hashlib
import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from fitr.auth.models import PasswordReset, User
from fitr.clock import utcnow
from fitr.extensions import db

MIN_PASSWORD = 8
# Compared against when the email is unknown, so a wrong email costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AuthError(Exception):
    """An account rule refused; `code` says which."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_email(email):
    """Emails match whatever their case or surrounding spaces."""
    return (email or "").strip().lower()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(email):
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(name, email, password):
    """A new user; raises AuthError('email_taken') when the email already has an account."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AuthError("email_taken", "An account with this email already exists. Log in instead.")
    user = User(name=name.strip(), email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email, password):
    """The user with these credentials, or None; both failures take the same time."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def start_password_reset(email, valid_for):
    """A fresh reset token for the account with this email, or None when there is no such account."""
    user = find_user(email)
    if user is None:
        return None, None
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user=user, token_hash=hash_token(token), expires_at=utcnow() + valid_for))
    db.session.flush()
    return user, token


def reset_for_token(token):
    """The reset a link points at; raises AuthError when it is unknown, used or expired."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token or "")))
    if reset is None:
        raise AuthError("invalid", "This password reset link is not valid. Ask for a new one.")
    if reset.used_at is not None:
        raise AuthError("used", "This password reset link has already been used. Ask for a new one.")
    if reset.expires_at < utcnow():
        raise AuthError("expired", "This password reset link has expired. Ask for a new one.")
    return reset


def reset_password(token, new_password):
    """Set a new password through a reset link; the link and any older ones stop working."""
    reset = reset_for_token(token)
    now = utcnow()
    # Claim the link atomically so two submissions cannot both use it.
    claimed = db.session.execute(
        PasswordReset.__table__.update()
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise AuthError("used", "This password reset link has already been used. Ask for a new one.")
    db.session.execute(
        PasswordReset.__table__.update()
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    reset.user.password_hash = generate_password_hash(new_password)
    return reset.user

