"""Sign up, log in, log out and reset a forgotten password."""

import re
from datetime import timedelta

import pytest
from factories import PASSWORD, count
from sqlalchemy import select
from werkzeug.security import check_password_hash

from fitr.accounts.models import PasswordReset, User
from fitr.accounts.rules import authenticate, reset_password, start_password_reset
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.tokens import hash_token


def test_coach_signs_up_and_lands_on_home_which_starts_with_a_program(client, auth, app):
    response = auth.signup(name="Casey Coach", email="Casey@Example.com ")
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = client.get("/home").get_data(as_text=True)
    assert "Start with a program" in home and 'href="/programs/new"' in home
    page = client.get("/programs/").get_data(as_text=True)
    assert "Casey Coach" in page and "No programs yet" in page
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "casey@example.com"
        # never the password itself: a hash that the password checks against
        assert PASSWORD not in user.password_hash and user.password_hash != PASSWORD
        assert check_password_hash(user.password_hash, PASSWORD)


def test_coach_logs_out_and_logs_in_again(client, auth):
    auth.signup()
    assert auth.logout().status_code == 302
    assert client.get("/programs/").status_code == 302  # logged out: sent to Log in
    response = auth.login(email="CASEY@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert "Casey Coach" in client.get("/programs/").get_data(as_text=True)


def test_log_out_is_a_post_only_action(logged_in):
    assert logged_in.get("/logout").status_code == 405
    assert logged_in.get("/programs/").status_code == 200


@pytest.mark.parametrize("existing", ["casey@example.com", "CASEY@EXAMPLE.COM", " Casey@example.com "])
def test_sign_up_with_taken_email_in_any_case_changes_nothing_and_answers_as_for_a_new_address(
    client, auth, app, coach, existing
):
    response = auth.signup(name="Second", email=existing)
    assert response.status_code == 200
    assert "We sent a link to <strong>casey@example.com</strong>" in response.get_data(as_text=True)
    assert count(app, User) == 1
    assert auth.login().status_code == 302  # the account and its password are as they were


@pytest.mark.parametrize(
    "form, field_message",
    [
        ({"name": "Casey", "email": "not-an-email", "password": PASSWORD}, "Enter a valid email address"),
        ({"name": "Casey", "email": "casey@", "password": PASSWORD}, "Enter a valid email address"),
        ({"name": "Casey", "email": "casey@example.com", "password": "short"}, "Use at least 8 characters"),
        ({"name": "", "email": "casey@example.com", "password": PASSWORD}, "Enter your name"),
        ({"name": "Casey", "email": "", "password": PASSWORD}, "Enter your email address"),
        ({"name": "Casey", "email": "casey@example.com", "password": ""}, "Choose a password"),
        ({"name": "x" * 101, "email": "casey@example.com", "password": PASSWORD}, "Use at most 100 characters"),
        ({"name": "Casey", "email": "a" * 250 + "@example.com", "password": PASSWORD}, "too long"),
        ({}, "Enter your name"),
    ],
)
def test_bad_sign_up_gets_the_form_back_with_a_message_and_400(client, app, form, field_message):
    response = client.post("/signup", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_message in html
    assert 'aria-invalid="true"' in html
    assert count(app, User) == 0


def test_wrong_password_and_unknown_email_get_the_same_message(auth, coach):
    wrong_password = auth.login(password="wrong password!")
    unknown_email = auth.login(email="nobody@example.com")
    assert wrong_password.status_code == unknown_email.status_code == 400
    message = "That email and password do not match an account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)


def test_login_follows_next_to_a_local_page(client, coach):
    response = client.post("/login?next=/clients/", data={"email": "casey@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/clients/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil.example"]
)
def test_login_never_redirects_off_site(client, coach, evil):
    response = client.post("/login", query_string={"next": evil}, data={"email": "casey@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home"


def test_protected_page_sends_visitor_to_login_and_back(client, coach):
    response = client.get("/clients/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/clients/")


def test_protected_page_asked_by_htmx_redirects_the_whole_page(client):
    response = client.get("/programs/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=/programs/")


@pytest.mark.config(OPEN_SIGNUP=False)
def test_closed_signup_refuses_new_coaches(client, auth, app, coach):
    page = client.get("/signup")
    assert page.status_code == 403 and "Sign-up is closed" in page.get_data(as_text=True)
    assert auth.signup(email="new@example.com").status_code == 403
    assert count(app, User) == 1


@pytest.mark.config(OPEN_SIGNUP=False)
def test_closed_signup_still_lets_the_first_account_be_made(auth, app):
    assert auth.signup().status_code == 302
    assert count(app, User) == 1


@pytest.mark.config(LOGIN_RATE_LIMIT="3 per minute")
def test_login_attempts_are_rate_limited(auth, coach):
    for _ in range(3):
        assert auth.login(password="wrong password!").status_code == 400
    blocked = auth.login()  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)


# --- password reset ----------------------------------------------------------------

def reset_link(message):
    return re.search(r"http://localhost(/reset-password/\S+)", message.get_body(("plain",)).get_content()).group(1)


def test_coach_resets_forgotten_password_by_email(client, auth, coach, smtp):
    response = client.post("/forgot-password", data={"email": "Casey@Example.com"})
    assert response.status_code == 302
    [message] = smtp.wait_for(1)
    assert message["To"] == "casey@example.com"
    link = reset_link(message)

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 400
    assert auth.login(password="a brand new password").status_code == 302


def test_reset_link_works_only_once(client, coach, smtp):
    client.post("/forgot-password", data={"email": "casey@example.com"})
    link = reset_link(smtp.wait_for(1)[0])
    client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"})
    client.post("/logout")
    again = client.post(link, data={"password": "another password!", "confirm": "another password!"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_expired_reset_link_is_refused(client, app, coach):
    with app.app_context():
        _, token = start_password_reset("casey@example.com", timedelta(hours=-1))
        db.session.commit()
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_unknown_reset_link_is_not_found(client):
    response = client.get("/reset-password/made-up-token")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)


def test_reset_mismatched_passwords_change_nothing(client, app, coach):
    with app.app_context():
        _, token = start_password_reset("casey@example.com", timedelta(hours=1))
        db.session.commit()
    response = client.post(f"/reset-password/{token}", data={"password": "a brand new password", "confirm": "different"})
    assert response.status_code == 400 and "do not match" in response.get_data(as_text=True)
    with app.app_context():
        assert authenticate("casey@example.com", PASSWORD) is not None


def test_forgot_password_for_unknown_email_says_the_same_and_sends_nothing(client, smtp):
    response = client.post("/forgot-password", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "If an account exists for that email" in response.get_data(as_text=True)
    assert smtp.wait_for(1, timeout=0.5) == []


def test_only_the_token_hash_is_stored_and_a_new_password_ends_older_links(app, coach):
    with app.app_context():
        _, first = start_password_reset("casey@example.com", timedelta(hours=1))
        _, second = start_password_reset("casey@example.com", timedelta(hours=1))
        db.session.commit()
        hashes = set(db.session.scalars(select(PasswordReset.token_hash)))
        assert hashes == {hash_token(first), hash_token(second)}
        reset_password(second, "a brand new password")
        db.session.commit()
        assert all(r.used_at is not None and r.used_at <= utcnow() for r in db.session.scalars(select(PasswordReset)))
