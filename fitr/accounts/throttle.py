"""A limit per account on guessing its password, whatever the number of IP addresses guessing.

After SLOW_AFTER wrong passwords for one address, logging in to it is slowed down: each further
attempt waits a delay that doubles (1 minute, 2, 4, ... an hour at most), and until it has
passed attempts are refused without their password being checked. A browser that logged in to
the account before (its known-browser cookie, fitr.accounts.login) is never refused, so a
stranger cannot lock the owner out; the owner is emailed once when the slowing starts, and
again only after they have logged in. A login forgets the count. The count is a row in the
database, so every gunicorn process and every server shares it.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from fitr import mail
from fitr.accounts.models import LoginThrottle, User
from fitr.accounts.rules import normalise_email
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.tokens import hash_token
from fitr.web import absolute_url

SLOW_AFTER = 5  # wrong passwords before logging in to an address is slowed down
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)  # a count nobody added to for this long starts again


@dataclass
class Attempt:
    """One login attempt for an address, as counted: the wrong passwords so far (this attempt
    included: it is counted before its password is checked), or how long it must wait."""

    failures: int
    wait: timedelta | None = None

    @property
    def refused(self):
        return self.wait is not None

    @property
    def slowed(self):
        return self.failures >= SLOW_AFTER

    @property
    def retry_after(self):
        """Whole seconds to wait (a refused attempt's Retry-After)."""
        return math.ceil(self.wait.total_seconds())


def delay(failures):
    """How long the attempts after the `failures`th wrong password wait: 1 minute after the 5th,
    doubling with each one after it, an hour at most."""
    return min(FIRST_DELAY * 2 ** (failures - SLOW_AFTER), LONGEST_DELAY)


def refusal(wait):
    """What a refused attempt is told."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        f"Too many failed attempts for this account. Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
        "or reset your password."
    )


def _key(email):
    return hash_token(normalise_email(email))


def _add_if_missing(key, now):
    """The address's row, made if it has none (two requests at once make one): True when made."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LoginThrottle).values(email_hash=key, failures=0, counted_at=now)
    return db.session.execute(statement.on_conflict_do_nothing(index_elements=[LoginThrottle.email_hash])).rowcount == 1


def count_attempt(email, known_browser=False):
    """Count a login attempt for `email` (any address: one without an account is slowed down
    the same way, so being refused tells nothing) before its password is checked; the caller
    commits at once, so guesses sent together cannot slip past before the first is counted.
    While the address is slowed down the attempt is refused (not counted, its password not to
    be checked), unless this browser logged in to its account before."""
    now = utcnow()
    key = _key(email)
    row = None
    while row is None:  # a login at the same moment may delete the row between insert and read
        if _add_if_missing(key, now):  # a new address: rows of addresses gone quiet go (most have no account)
            db.session.execute(delete(LoginThrottle).where(LoginThrottle.counted_at < now - FORGET_AFTER))
        row = db.session.scalar(
            select(LoginThrottle)
            .where(LoginThrottle.email_hash == key)
            .with_for_update()  # PostgreSQL: attempts at one address take turns; SQLite: the insert locked
            .execution_options(populate_existing=True)
        )
    if row.counted_at < now - FORGET_AFTER:
        row.failures, row.refused_until = 0, None
    if row.refused_until is not None and row.refused_until > now and not known_browser:
        return Attempt(row.failures, wait=row.refused_until - now)
    row.failures += 1
    row.counted_at = now
    return Attempt(row.failures)


def record_failure(email):
    """After a wrong password: from the SLOW_AFTER-th on, the attempts after it wait. Only a
    wrong password starts the wait, so right ones counted at the same moment (several tabs
    logging in at once) never slow their own address down. The caller commits."""
    now = utcnow()
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.email_hash == _key(email)).with_for_update())
    if row is not None and row.failures >= SLOW_AFTER:
        row.refused_until = now + delay(row.failures)


def forget_failures(user):
    """The right password: the count of wrong ones for the account's address starts again, and
    its owner will be told again the next time logging in to it is slowed down."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email_hash == _key(user.email)))
    user.login_warned_at = None


def warn_owner(user, attempt):
    """After a wrong password: when it slowed logging in to `user`'s account down, email its owner,
    once until they log in (a conditional UPDATE: two wrong passwords at once send one email).
    The caller commits."""
    if user is None or not attempt.slowed or user.login_warned_at is not None:
        return False
    told = db.session.execute(
        update(User)
        .where(User.id == user.id, User.login_warned_at.is_(None))
        .values(login_warned_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if told != 1:
        return False
    mail.send(
        user.email,
        "Someone is trying to log in to your fitr account",
        "login_slowed",
        user=user,
        failures=attempt.failures,
        minutes=int(FIRST_DELAY.total_seconds() // 60),
        longest=int(LONGEST_DELAY.total_seconds() // 60),
        reset=absolute_url("accounts.forgot_password"),
    )
    return True
