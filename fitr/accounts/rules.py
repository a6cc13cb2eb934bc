"""Account rules: plain functions that routes, CLI commands and tests call."""

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from fitr.accounts.models import PasswordReset, User
from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.text import check_text
from fitr.tokens import hash_token, new_token
from fitr.units import UNITS

MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_NAME = 100
# Compared against when the email is unknown, so a wrong email costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(RuleError):
    """An account rule refused."""


def normalise_email(email):
    """Emails match whatever their case or surrounding spaces."""
    return (email or "").strip().lower()


def find_user(email):
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_name(name, empty_message="Enter your name."):
    """A person's name as typed: visible text within MAX_NAME characters."""
    name = check_text(name, "name", MAX_NAME, error=AccountError)
    if not name:
        raise AccountError(empty_message, "name", code="name")
    return name


def check_password(password, email="", name=""):
    """A new password: long enough, not too long, and not the email, name or one repeated key."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters.", "password", code="weak_password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters.", "password", code="weak_password")
    guessable = {normalise_email(email), normalise_email(email).split("@")[0], (name or "").lower()} - {""}
    if password.strip().lower() in guessable or len(set(password)) < 4:
        raise AccountError("That password is too easy to guess. Choose another.", "password", code="weak_password")
    return password


def create_account(name, email, password, is_coach=True):
    """A new account: a coach who signs up, or a client who joins through an invite
    (is_coach=False). Raises AccountError next to the field that is wrong; code "email_taken"
    when the email already has an account."""
    email = normalise_email(email)
    name = check_name(name)
    check_password(password, email, name)
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists. Log in instead.", "email", code="email_taken")
    user = User(name=name, email=email, password_hash=generate_password_hash(password), is_coach=is_coach)
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
    token = new_token()
    db.session.add(PasswordReset(user=user, token_hash=hash_token(token), expires_at=utcnow() + valid_for))
    db.session.flush()
    return user, token


def reset_for_token(token):
    """The reset a link points at; raises AccountError when it is unknown, used or expired."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token or "")))
    if reset is None:
        raise AccountError("This password reset link is not valid. Ask for a new one.", code="invalid")
    if reset.used_at is not None:
        raise AccountError("This password reset link has already been used. Ask for a new one.", code="used")
    if reset.expires_at < utcnow():
        raise AccountError("This password reset link has expired. Ask for a new one.", code="expired")
    return reset


def reset_password(token, new_password):
    """Set a new password through a reset link; the link and any older ones stop working."""
    reset = reset_for_token(token)
    check_password(new_password, reset.user.email, reset.user.name)
    now = utcnow()
    # Claim the link atomically so two submissions cannot both use it.
    claimed = db.session.execute(
        PasswordReset.__table__.update()
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise AccountError("This password reset link has already been used. Ask for a new one.", code="used")
    db.session.execute(
        PasswordReset.__table__.update()
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    reset.user.password_hash = generate_password_hash(new_password)
    return reset.user


def set_units(user, units):
    """Loads are stored once and shown in the unit the user chooses."""
    if units not in UNITS:
        raise AccountError("Choose kg or lb.", "units")
    user.units = units
