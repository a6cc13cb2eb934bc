"""Account rules: plain functions that routes, CLI commands and tests call.

An account is made one way (`_new_user`), either proven (an emailed invite was accepted, the
host made it) or self-registered, which proves its address with an emailed link before it can
log in. Whoever proves an address owns its account: proving one that someone else registered
takes it over and ends all its logins. Every way of proving it (`prove_address`) ends the
account's other confirmation links, and once proven no link replaces its password.
"""

from datetime import timedelta
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from fitr.accounts.models import EmailConfirmation, Login, PasswordReset, User
from fitr.clock import utcnow
from fitr.errors import RuleError
from fitr.extensions import db
from fitr.text import check_text
from fitr.tokens import hash_token, new_token
from fitr.units import UNITS

MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_NAME = 100
CONFIRM_DAYS = 3  # how long a link that proves an address works
TIME_ZONES = frozenset(available_timezones())
# Light or dark pages (Settings, Theme); System follows the device's own setting.
THEMES = {"system": "System", "light": "Light", "dark": "Dark"}
THEME_CHOICE = "Choose System, Light or Dark."
_DUMMY_HASHES = {}  # per hashing method: compared against for an unknown email (the same cost)
ACCOUNT_EXISTS = "An account with this email already exists. Log in instead."
PROVEN_ALREADY = (
    "This link is no longer valid: this email address has been confirmed since. "
    "Log in with your email and password, or reset your password if you do not know it."
)


def hash_password(password):
    """A password's hash, by the configured method (werkzeug's scrypt unless the test suite asks
    for a quicker one)."""
    return generate_password_hash(password, current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _dummy_hash():
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method)
    return _DUMMY_HASHES[method]


class AccountError(RuleError):
    """An account rule refused."""


def normalise_email(email):
    """Emails match whatever their case or surrounding spaces."""
    return (email or "").strip().lower()


def find_user(email):
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_email(email):
    """A deliverable-looking address, lower-cased; else AccountError next to Email."""
    email = normalise_email(email)
    try:
        if len(email) > 254:
            raise EmailNotValidError(email)
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError("Enter a valid email address, like name@example.com.", "email", code="invalid") from None
    return email


def check_name(name, empty_message="Enter your name."):
    """A person's name as typed: visible text within MAX_NAME characters."""
    name = check_text(name, "name", MAX_NAME, error=AccountError)
    if not name:
        raise AccountError(empty_message, "name", code="name")
    return name


def check_password(password, email="", name=""):
    """The one password rule: 8 to 128 characters, not the email address or the name, and not
    easy to guess (a commonly used password, a keyboard pattern, a repeated key: zxcvbn's
    score below 2, with the email and name as words it knows)."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters.", "password", code="weak_password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters.", "password", code="weak_password")
    email = normalise_email(email)
    known = [word for word in (email, email.split("@")[0], (name or "").lower()) if word]
    if password.strip().lower() in known or zxcvbn(password[:64], user_inputs=known)["score"] < 2:
        raise AccountError(
            "That password is too easy to guess (a common password, or your name or email). Choose another.",
            "password",
            code="weak_password",
        )
    return password


def check_time_zone(name):
    """An IANA time zone name (as a browser reports it); anything else is UTC."""
    return name if name in TIME_ZONES else "UTC"


def _new_user(name, email, password_hash, is_coach, time_zone, proven):
    user = User(
        name=name,
        email=email,
        password_hash=password_hash,
        is_coach=is_coach,
        time_zone=check_time_zone(time_zone),
        email_confirmed_at=utcnow() if proven else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def create_account(name, email, password, is_coach=True, time_zone="UTC"):
    """An account whose address is proven: a client accepting an emailed invite, an account the
    host makes (`flask create-user`), the first account of a fitr without email. An account
    someone else registered with this address but never proved becomes this one (their logins
    end). Raises AccountError next to the field that is wrong; code "email_taken" when a proven
    account has this email."""
    email = check_email(email)
    name = check_name(name)
    check_password(password, email, name)
    existing = find_user(email)
    if existing is not None and existing.email_confirmed:
        raise AccountError(ACCOUNT_EXISTS, "email", code="email_taken")
    password_hash = hash_password(password)
    if existing is not None:
        proven_since = AccountError(ACCOUNT_EXISTS, "email", code="email_taken")  # by another request
        _take_over(existing, name, password_hash, check_time_zone(time_zone), refused=proven_since)
        existing.is_coach = is_coach
        return existing
    return _new_user(name, email, password_hash, is_coach, time_zone, proven=True)


def _take_over(user, name, password_hash, time_zone, refused):
    """Whoever proves the address of an account nobody proved yet owns it: their name, password
    and time zone, and every login made before ends. An account proven already (a moment ago,
    by another request too: the UPDATE is conditional) keeps its own: raises `refused`."""
    taken = db.session.execute(
        update(User)
        .where(User.id == user.id, User.email_confirmed_at.is_(None))
        .values(name=name, password_hash=password_hash, time_zone=time_zone, email_confirmed_at=utcnow())
    ).rowcount  # the default synchronisation sets the same values on `user`
    if taken != 1:
        raise refused
    prove_address(user)
    end_logins(user.id)
    db.session.flush()


def prove_address(user):
    """The one way an address becomes proven, whichever proved it (the emailed confirmation link,
    an accepted emailed invite, a password reset, the host by hand): the account is confirmed,
    and every confirmation link of it still pending dies with it, so none can later set the
    name and password that someone else chose when signing up with this address."""
    now = utcnow()
    db.session.execute(
        update(EmailConfirmation)
        .where(EmailConfirmation.user_id == user.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now


# --- signing up, and proving an address ------------------------------------------------------


def register(name, email, password, is_coach=True, time_zone="UTC", join_token=None):
    """Self sign-up (Sign up, or joining through an invite link as a new visitor). Returns
    (user, token): `token` is the link that proves the address, to email to it; None when the
    address already has a proven account (its owner is told instead, and the visitor sees the
    same answer). An unproven account keeps its values until someone proves the address."""
    email = check_email(email)
    name = check_name(name)
    check_password(password, email, name)
    # One password hash whatever the address: the answer takes as long for an address with an
    # account as for a new one (the hash is most of the time), so time tells nothing.
    password_hash = hash_password(password)
    user = find_user(email)
    if user is not None and user.email_confirmed:
        return user, None
    if user is None:
        user = _new_user(name, email, password_hash, is_coach, time_zone, proven=False)
    return user, _confirmation(user, name, password_hash, check_time_zone(time_zone), join_token)


def resend_confirmation(user):
    """A new link for an unproven account whose owner just typed its password (Log in)."""
    return _confirmation(user, user.name, user.password_hash, user.time_zone)


def _confirmation(user, name, password_hash, time_zone, join_token=None):
    token = new_token()
    db.session.add(
        EmailConfirmation(
            user_id=user.id,
            token_hash=hash_token(token),
            name=name,
            password_hash=password_hash,
            time_zone=time_zone,
            join_token=join_token,
            expires_at=utcnow() + timedelta(days=CONFIRM_DAYS),
        )
    )
    db.session.flush()
    return token


def confirmation_for_token(token):
    """The unused, unexpired confirmation a link points at, of an account nobody has proven yet;
    else AccountError (code "proven" when its address was proven since, whichever way)."""
    confirmation = None
    if token and len(token) <= 200:
        confirmation = db.session.scalar(
            select(EmailConfirmation).where(EmailConfirmation.token_hash == hash_token(token))
        )
    if confirmation is None:
        raise AccountError("This link is not valid. Check that you copied all of it, or sign up again.", code="invalid")
    if confirmation.user.email_confirmed:
        raise AccountError(PROVEN_ALREADY, code="proven")
    if confirmation.used_at is not None:
        raise AccountError("This link was already used. Log in with your email and password.", code="used")
    if confirmation.expires_at <= utcnow():
        raise AccountError("This link has expired. Sign up again to get a new one.", code="expired")
    return confirmation


def confirm_email(token):
    """Prove an address with the link emailed to it: the account takes the name, password and
    time zone chosen at sign-up, is confirmed, and every earlier login and every other link of
    it ends (whoever registered the address before, without proving it, is locked out). An
    account proven already keeps its password (AccountError "proven"). Returns the
    confirmation (its user, and the invite link to join, if any)."""
    confirmation = confirmation_for_token(token)
    claimed = db.session.execute(
        update(EmailConfirmation)
        .where(EmailConfirmation.id == confirmation.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise AccountError("This link was already used. Log in with your email and password.", code="used")
    _take_over(confirmation.user, confirmation.name, confirmation.password_hash, confirmation.time_zone,
               refused=AccountError(PROVEN_ALREADY, code="proven"))  # fmt: skip
    return confirmation


def confirm_account(email):
    """The host proves an address by hand (`flask confirm-account`): the account as it is."""
    user = find_user(email)
    if user is None:
        raise AccountError(f"There is no account for {normalise_email(email)}.", "email")
    prove_address(user)
    return user


# --- logging in and out ----------------------------------------------------------------------


def authenticate(email, password):
    """The user with these credentials, or None; both failures take the same time."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def start_login(user):
    """A new login for this browser: its token goes into the cookies (User.get_id)."""
    token = new_token()
    db.session.add(Login(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    user.login_token = token
    return user


def end_login(user):
    """Log out: this browser's login ends, so no copy of its cookies works again."""
    if user.login_token:
        db.session.execute(
            update(Login)
            .where(Login.user_id == user.id, Login.token_hash == hash_token(user.login_token), Login.ended_at.is_(None))
            .values(ended_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def end_logins(user_id):
    """Every login of the user ends: each browser, and each "Keep me logged in" cookie."""
    db.session.execute(
        update(Login)
        .where(Login.user_id == user_id, Login.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def change_password(user, current, new):
    """Change password (Settings): the current one is asked for; every login ends (the caller
    logs this browser in again)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise AccountError("That is not your current password.", "current", code="wrong_password")
    check_password(new, user.email, user.name)
    user.password_hash = hash_password(new)
    end_logins(user.id)
    return user


# --- a forgotten password --------------------------------------------------------------------


def start_password_reset(email, valid_for, per_hour=3):
    """(user, a fresh reset token) for the account with this email; (None, None) when there is
    no such account, and no token when `per_hour` links went to it in the last hour already."""
    user = find_user(email)
    if user is None:
        return None, None
    recent = db.session.scalar(
        select(func.count(PasswordReset.id)).where(
            PasswordReset.user_id == user.id, PasswordReset.created_at > utcnow() - timedelta(hours=1)
        )
    )
    if recent >= per_hour:
        return user, None
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
    """Set a new password through a reset link: the link and any older ones stop working, and
    every login of the account ends. The emailed link proves the address too."""
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
    user = reset.user
    user.password_hash = hash_password(new_password)
    prove_address(user)
    end_logins(user.id)
    return user


# --- Settings --------------------------------------------------------------------------------


def update_settings(user, units, time_zone, theme):
    """Units of load, time zone, and light or dark pages."""
    if units not in UNITS:
        raise AccountError("Choose kg or lb.", "units")
    if time_zone not in TIME_ZONES:
        raise AccountError("Choose a time zone from the list.", "time_zone")
    if theme not in THEMES:
        raise AccountError(THEME_CHOICE, "theme")
    user.units = units
    user.time_zone = time_zone
    user.theme = theme
