"""Self sign-up as a request does it (Sign up, and joining through an invite link as a new
visitor): an unproven account and the emailed link that proves it, with the same answer on
screen whether or not the address already has an account."""

from fitr import mail
from fitr.accounts.rules import CONFIRM_DAYS, register
from fitr.extensions import db
from fitr.web import absolute_url, render


def send_confirmation(user, token, joining=None):
    """Email the link that proves the address (to the log when no MAIL_SERVER is set)."""
    mail.send(
        user.email,
        "Confirm your email address for fitr",
        "confirm_email",
        link=absolute_url("accounts.confirm", token=token),
        days=CONFIRM_DAYS,
        joining=joining,
    )


def tell_owner(user, joining=None):
    """Someone signed up (or joined) with an address that already has an account: its owner is
    told, and the visitor sees the same answer as for a new address."""
    mail.send(
        user.email,
        "Someone tried to sign up to fitr with your email address",
        "signup_attempt",
        user=user,
        login=absolute_url("accounts.login"),
        reset=absolute_url("accounts.forgot_password"),
        joining=joining,
    )


def sign_up(name, email, password, time_zone, is_coach=True, join_token=None, joining=None):
    """Self sign-up: an unproven account and the emailed link that proves it (or, for an address
    with an account, a note to its owner). Returns the page to show, which says the same either
    way. Commits."""
    user, token = register(name, email, password, is_coach, time_zone, join_token)
    if token is None:
        tell_owner(user, joining)
    else:
        send_confirmation(user, token, joining)
    db.session.commit()  # the account and its email together
    return render("accounts/check_email.html", email=user.email, days=CONFIRM_DAYS, joining=joining)
