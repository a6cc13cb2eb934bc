"""Trust in accounts: a login ends when it should (Log out, a password change or reset, Log out
everywhere), an address is proven before its account can log in, one password rule, and
Settings' time zone."""

import re

import pytest
from conftest import PASSWORD
from sqlalchemy import func, select

from fitr.accounts.models import Login, User
from fitr.extensions import db

CONFIRM_LINK = re.compile(r"https?://\S+/confirm/[A-Za-z0-9_\-]+")


def user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def copy_of_cookies(client, app):
    """A second browser holding a copy of this one's cookies."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def logged_in_as(client):
    """Who the page says is logged in, or None (a redirect to Log in)."""
    response = client.get("/my/settings")
    return None if response.status_code == 302 else response.status_code


# --- a login ends when it should ---------------------------------------------------------------


def test_a_copied_session_cookie_stops_working_after_log_out(app, client, auth, coach):
    auth.login()
    thief = copy_of_cookies(client, app)
    assert logged_in_as(thief) == 200
    auth.logout()
    assert logged_in_as(thief) is None and logged_in_as(client) is None


def test_a_copied_keep_me_logged_in_cookie_stops_working_after_log_out(app, client, auth, coach):
    client.post("/login", data={"email": "casey@example.com", "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert logged_in_as(thief) == 200  # the cookie alone logs in, as "Keep me logged in" promises
    auth.logout()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert logged_in_as(fresh) is None


def test_a_password_reset_ends_every_login_of_the_account(app, client, auth, coach, smtp):
    auth.login()
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": "casey@example.com", "password": PASSWORD, "remember": "y"})
    client.post("/logout")
    client.post("/forgot-password", data={"email": "casey@example.com"})
    link = re.search(r"https?://\S+/reset-password/\S+", smtp.text(smtp.wait_for(1)[0])).group(0)
    path = link.split("localhost", 1)[-1]
    response = client.post(path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert logged_in_as(other_browser) is None  # the other browser's login ended
    assert logged_in_as(client) == 200  # the one that reset it is logged in afresh


def test_change_password_asks_for_the_current_one_and_logs_out_every_other_browser(app, client, auth, coach):
    auth.login()
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    new = "a brand new passphrase"

    wrong = client.post("/my/settings/password", data={"current": "nope", "password": new, "confirm": new})
    assert wrong.status_code == 400 and "That is not your current password." in wrong.get_data(as_text=True)
    assert logged_in_as(other_browser) == 200

    right = client.post("/my/settings/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert right.status_code == 302
    assert logged_in_as(client) == 200 and logged_in_as(other_browser) is None
    auth.logout()
    assert auth.login(password=new).status_code == 302


def test_log_out_everywhere_ends_every_login_this_one_too(app, client, auth, coach):
    auth.login()
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": "casey@example.com", "password": PASSWORD, "remember": "y"})
    response = client.post("/my/settings/logout-everywhere", follow_redirects=True)
    assert "You are logged out everywhere." in response.get_data(as_text=True)
    assert logged_in_as(client) is None and logged_in_as(other_browser) is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Login).where(Login.ended_at.is_(None))) == 0


# --- an address is proven before it is trusted -------------------------------------------------


@pytest.mark.config(OPEN_SIGNUP=True)
def test_a_second_sign_up_confirms_its_address_before_it_can_log_in(app, client, auth, coach, smtp):
    response = auth.signup(name="Olive Other", email="olive@example.com")
    assert response.status_code == 200
    assert "We sent a link to" in response.get_data(as_text=True) and "olive@example.com" in response.get_data(as_text=True)
    assert logged_in_as(client) is None
    assert not user(app, "olive@example.com").email_confirmed

    refused = auth.login(email="olive@example.com")
    assert refused.status_code == 403 and "Confirm your email address first" in refused.get_data(as_text=True)

    link = CONFIRM_LINK.search(smtp.text(smtp.wait_for(1)[0])).group(0)
    path = link.split("localhost", 1)[-1]
    assert client.get(path).status_code == 200  # a page with a button: a mail scanner's visit uses nothing
    assert not user(app, "olive@example.com").email_confirmed
    confirmed = client.post(path, follow_redirects=True)
    assert "Your email address is confirmed." in confirmed.get_data(as_text=True)
    assert user(app, "olive@example.com").email_confirmed and logged_in_as(client) == 200
    assert client.post(path).status_code == 410  # single use


def test_signing_up_with_an_address_that_has_an_account_answers_the_same_and_tells_its_owner(app, client, auth, coach, smtp):
    response = auth.signup(name="Mallory", email="Casey@Example.com", password="mallory's own passphrase")
    assert response.status_code == 200 and "We sent a link to" in response.get_data(as_text=True)
    [message] = smtp.wait_for(1)
    assert message["To"] == "casey@example.com"
    assert "Someone tried to sign up to fitr with your email address" in message["Subject"]
    assert "/confirm/" not in smtp.text(message)
    assert auth.login().status_code == 302  # Casey's password is unchanged


def test_proving_an_address_someone_else_registered_takes_the_account_over(app, client, auth, coach, smtp):
    mallory = app.test_client()
    mallory.post("/signup", data={"name": "Mallory", "email": "ada@example.com", "password": "mallory's own passphrase"})
    client.post("/signup", data={"name": "Ada Lovelace", "email": "ada@example.com", "password": "ada's real passphrase"})
    links = [CONFIRM_LINK.search(smtp.text(m)).group(0).split("localhost", 1)[-1] for m in smtp.wait_for(2)]
    client.post(links[1])  # Ada opens the link sent to her inbox after her own sign-up
    ada = user(app, "ada@example.com")
    assert ada.name == "Ada Lovelace" and ada.email_confirmed
    assert mallory.post("/login", data={"email": "ada@example.com", "password": "mallory's own passphrase"}).status_code == 400
    # The earlier link (made with Mallory's password) died when the address was proven.
    assert client.post(links[0]).status_code == 410
    assert user(app, "ada@example.com").name == "Ada Lovelace"


def test_the_host_confirms_an_account_by_hand(app, runner, auth, coach, client):
    client.post("/signup", data={"name": "Olive Other", "email": "olive@example.com", "password": "olive's own passphrase"})
    result = runner.invoke(args=["confirm-account", "OLIVE@example.com"])
    assert "Confirmed olive@example.com" in result.output
    assert auth.login(email="olive@example.com", password="olive's own passphrase").status_code == 302


@pytest.mark.parametrize("password, why", [
    ("short", "at least 8"),
    ("x" * 129, "at most 128"),
    ("password123", "too easy to guess"),
    ("qwertyuiop", "too easy to guess"),
    ("olive@example.com", "too easy to guess"),
    ("aaaaaaaaaaaa", "too easy to guess"),
])  # fmt: skip
def test_one_password_rule_for_sign_up(client, auth, coach, password, why):
    response = auth.signup(name="Olive Other", email="olive@example.com", password=password)
    assert response.status_code == 400
    assert why in response.get_data(as_text=True)


def test_settings_show_and_change_the_time_zone(app, client, auth, coach):
    auth.login()
    page = client.get("/my/settings").get_data(as_text=True)
    assert '<option selected value="UTC">UTC</option>' in page or 'value="UTC" selected' in page
    saved = client.post("/my/settings", data={"units": "kg", "time_zone": "Pacific/Kiritimati"})
    assert saved.status_code == 302 and user(app, "casey@example.com").time_zone == "Pacific/Kiritimati"
    refused = client.post("/my/settings", data={"units": "kg", "time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 400 and "Choose a time zone from the list." in refused.get_data(as_text=True)
    assert user(app, "casey@example.com").time_zone == "Pacific/Kiritimati"


def test_the_first_account_of_a_fitr_without_email_needs_no_confirmation(app, client, auth):
    response = auth.signup(name="Casey Coach", email="casey@example.com")
    assert response.status_code == 302 and logged_in_as(client) == 200
    assert user(app, "casey@example.com").email_confirmed


@pytest.mark.config(PASSWORD_RESETS_PER_HOUR=2)
def test_reset_emails_to_one_address_are_limited_per_hour_and_the_answer_never_says_so(app, client, coach, smtp):
    answers = [client.post("/forgot-password", data={"email": "casey@example.com"}) for _ in range(3)]
    unknown = client.post("/forgot-password", data={"email": "nobody@example.com"})
    assert {(a.status_code, a.headers["Location"]) for a in [*answers, unknown]} == {(302, "/login")}
    assert len(smtp.wait_for(3, timeout=2)) == 2


def test_accepting_an_emailed_invite_takes_over_an_address_someone_registered_without_proving_it(
    app, client, invited_client, smtp
):
    mallory = app.test_client()
    mallory.post("/signup", data={"name": "Mallory", "email": "ada@example.com", "password": "mallory's own passphrase"})
    page = client.get(f"/invite/{invited_client.token}").get_data(as_text=True)
    assert "Create your account" in page  # not "Log in": nobody proved that address yet
    accepted = client.post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": "ada's real passphrase"})
    assert accepted.status_code == 302
    ada = user(app, "ada@example.com")
    assert ada.name == "Ada Lovelace" and ada.email_confirmed and not ada.is_coach
    assert mallory.post("/login", data={"email": "ada@example.com", "password": "mallory's own passphrase"}).status_code == 400


@pytest.mark.parametrize("zone, day, hour", [("UTC", "10 Nov 2026", "11:00"), ("Pacific/Kiritimati", "11 Nov 2026", "01:00")])
def test_dates_and_times_show_where_the_coach_is(app, client, auth, coach, invited_client, zone, day, hour, time_machine):
    from datetime import UTC, datetime

    from fitr.invites.models import Invite
    from fitr.notices.models import Notice

    with app.app_context():
        db.session.get(User, coach).time_zone = zone
        db.session.get(Invite, invited_client.id).expires_at = datetime(2026, 11, 10, 11, 0)
        db.session.add(Notice(user_id=coach, text="Ada joined", created_at=datetime(2026, 11, 10, 11, 0)))
        db.session.commit()
    time_machine.move_to(datetime(2026, 11, 5, 12, 0, tzinfo=UTC))  # before the invite expires
    auth.login()
    pending = client.get("/clients/pending").get_data(as_text=True)
    assert f"<dt>Expires</dt><dd>{day}</dd>" in pending
    assert f"{day}, {hour}" in client.get("/notices").get_data(as_text=True)


def test_forgot_password_does_not_wait_for_the_mail_server(app, client, coach, smtp):
    """The answer takes as long for an address with an account (an email to send) as without
    one: the email goes out after the answer, so a slow SMTP server tells nothing. (How long it
    takes is `make bench`'s business; here: the request hands the email to the outbox.)"""
    response = client.post("/forgot-password", data={"email": "casey@example.com"})
    assert response.status_code == 302
    assert smtp.messages == []  # the request itself sent nothing
    [message] = smtp.wait_for(1, timeout=5)  # the worker does
    assert message["Subject"] == "Reset your fitr password"
