"""A limit per account on guessing its password: after 5 wrong passwords for one address, from
any number of IP addresses, logging in to it is slowed down (each try waits 1 minute, then 2,
4, ... an hour at most), but never for a browser that logged in to it before; its owner is
emailed once; a login starts the count again."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import PASSWORD
from sqlalchemy import select

from fitr import create_app
from fitr.accounts.models import LoginThrottle
from fitr.accounts.throttle import count_attempt, delay, record_failure
from fitr.extensions import db

WRONG = "not the password at all"
REFUSED = "Too many failed attempts for this account. Try again in {}, or reset your password."


def attempt(client, n, password=WRONG, email="casey@example.com"):
    """One login attempt from its own IP address (10.0.<n>): the per-address limit never applies."""
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250 + 1}"})  # fmt: skip


def guesses(client, count, start=0, email="casey@example.com"):
    """`count` wrong passwords from as many IP addresses; their statuses."""
    return [attempt(client, start + n, email=email).status_code for n in range(count)]


def wait(time_machine, **delta):
    time_machine.move_to(datetime.now(UTC) + timedelta(**delta))


def slowing_emails(smtp):
    return [m for m in smtp.delivered() if m["Subject"] == "Someone is trying to log in to your fitr account"]


@pytest.mark.config(LOGIN_RATE_LIMIT="10 per minute")  # the limit per IP address, as deployed
def test_thirty_wrong_passwords_from_thirty_addresses_are_slowed_after_five_and_the_owner_is_told_once(
    app, client, coach, smtp, time_machine
):
    assert guesses(client, 30) == [400] * 5 + [429] * 25
    refused = attempt(client, 31, password=PASSWORD)  # the right password waits too, unchecked
    assert refused.status_code == 429 and REFUSED.format("1 minute") in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"] == "60"

    [email] = slowing_emails(smtp)
    assert email["To"] == "casey@example.com"
    assert "wrong password for your fitr account 5 times" in smtp.text(email)
    assert "http://localhost/forgot-password" in smtp.text(email)

    # After the delay one more try is taken; another wrong one doubles the delay, and no second email.
    wait(time_machine, minutes=1, seconds=1)
    assert attempt(client, 32).status_code == 400
    again = attempt(client, 33, password=PASSWORD)
    assert again.status_code == 429 and REFUSED.format("2 minutes") in again.get_data(as_text=True)
    assert len(slowing_emails(smtp)) == 1

    wait(time_machine, minutes=2, seconds=1)
    assert attempt(client, 34, password=PASSWORD).status_code == 302  # the right password works

    # The login started the count again: 5 more wrong passwords (from browsers it does not know)
    # before the next slowing, and only now a second email.
    assert guesses(app.test_client(), 6, start=40) == [400] * 5 + [429]
    assert len(slowing_emails(smtp)) == 2


def test_a_browser_that_logged_in_before_is_never_slowed_down(app, client, coach, smtp):
    owner = app.test_client()
    assert owner.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 302
    owner.post("/logout")

    assert guesses(client, 30) == [400] * 5 + [429] * 25
    assert owner.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 302
    # Its login started the count again for everyone.
    assert attempt(client, 50, password=PASSWORD).status_code == 302


def test_a_known_browser_cookie_counts_only_for_its_own_account_and_cannot_be_forged(app, client, coach, other_coach):
    olives = app.test_client()
    assert olives.post("/login", data={"email": "olive@example.com", "password": PASSWORD}).status_code == 302
    olives.post("/logout")
    [olive_cookie] = [c for c in olives._cookies.values() if c.key.startswith("known_browser_")]

    assert guesses(client, 6) == [400] * 5 + [429]
    # Olive's browser is known to Olive's account, not to Casey's; nor is her cookie under Casey's name.
    assert olives.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 429
    stranger = app.test_client()
    stranger.set_cookie(f"known_browser_{coach}", olive_cookie.value, path="/login")
    assert stranger.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 429
    stranger.set_cookie(f"known_browser_{coach}", "made-up.value", path="/login")
    assert stranger.post("/login", data={"email": "casey@example.com", "password": PASSWORD}).status_code == 429


def test_a_password_reset_ends_the_slowing_and_the_exemption_of_other_browsers(app, client, coach, smtp):
    laptop = app.test_client()
    laptop.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    laptop.post("/logout")
    assert guesses(client, 6) == [400] * 5 + [429]

    phone = app.test_client()
    phone.post("/forgot-password", data={"email": "casey@example.com"})
    [reset] = [m for m in smtp.delivered() if m["Subject"] == "Reset your fitr password"]
    link = smtp.text(reset).split("http://localhost", 2)[1].split()[0]
    new = "a brand new passphrase"
    assert phone.post(link, data={"password": new, "confirm": new}).status_code == 302
    phone.post("/logout")
    assert phone.post("/login", data={"email": "casey@example.com", "password": new}).status_code == 302

    # The laptop's cookie was made with the old password: known no more, until it logs in again.
    assert guesses(client, 5, start=60) == [400] * 5
    assert laptop.post("/login", data={"email": "casey@example.com", "password": new}).status_code == 429


def test_an_address_without_an_account_is_slowed_down_the_same_and_nobody_is_emailed(app, client, coach, smtp):
    assert guesses(client, 6, email="nobody@example.com") == [400] * 5 + [429]
    refused = attempt(client, 7, email="nobody@example.com")
    assert REFUSED.format("1 minute") in refused.get_data(as_text=True)
    assert slowing_emails(smtp) == []
    assert attempt(client, 8, password=PASSWORD).status_code == 302  # another address is not slowed


def test_wrong_passwords_on_one_server_count_on_another(app, client, coach):
    """The count is in the database: another process or server with the same database (a second
    app, with its own engine and connections) sees it."""
    other_server = create_app(dict(app.config))
    other = other_server.test_client()
    assert guesses(client, 3) + guesses(other, 2, start=3) == [400] * 5
    assert attempt(client, 9, password=PASSWORD).status_code == 429
    assert attempt(other, 10, password=PASSWORD).status_code == 429
    with other_server.app_context():
        db.engine.dispose()


def test_each_attempt_counts_before_its_password_is_checked_and_the_delays_double(app, coach):
    """Attempts are counted before their password is checked; only a wrong password starts the
    wait, so several tabs logging in at once with the right one are never refused, while a wrong
    password on top of five counted attempts slows every attempt after it."""
    with app.app_context():
        tries = [count_attempt("casey@example.com") for _ in range(7)]
        db.session.commit()
        assert [t.refused for t in tries] == [False] * 7
        record_failure("casey@example.com")
        db.session.commit()
        assert count_attempt("casey@example.com").refused
        assert db.session.scalar(select(LoginThrottle.failures)) == 7
    assert [delay(n) // timedelta(minutes=1) for n in range(5, 14)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
