"""Proving an address: whichever way it is proven (the emailed confirmation link, an accepted
invite, a password reset, the host by hand), every other confirmation link of that account
dies, and a confirmation link never replaces the password of an account already proven."""

import re

import pytest
from factories import confirm_path
from sqlalchemy import select

from fitr.accounts.models import EmailConfirmation, User
from fitr.extensions import db

MALLORY = "mallory's own passphrase"
ADA = "ada's real passphrase"


def user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def logged_in_as(client):
    """200 when the browser is logged in, None when it is sent to Log in."""
    response = client.get("/my/settings")
    return None if response.status_code == 302 else response.status_code


def mallory_signs_up_as_ada(app, smtp):
    """An attacker signs up with Ada's address and a password of their own: the link that would
    prove it goes to Ada's inbox. Its path."""
    mallory = app.test_client()
    answer = mallory.post("/signup", data={"name": "Mallory", "email": "ada@example.com", "password": MALLORY})
    assert answer.status_code == 200 and "We sent a link to" in answer.get_data(as_text=True)
    return mallory, confirm_path(smtp, "ada@example.com")


def assert_dead_link(client, path):
    """The stale link says plainly it is no longer valid, with a 4xx, and changes nothing."""
    page = client.get(path)
    assert page.status_code == 410
    assert "This link is no longer valid" in page.get_data(as_text=True)
    assert 'href="/forgot-password">Reset your password' in page.get_data(as_text=True)
    pressed = client.post(path)
    assert pressed.status_code == 410 and "This link is no longer valid" in pressed.get_data(as_text=True)


def test_a_stale_confirmation_link_cannot_take_back_an_account_proven_by_accepting_an_invite(
    app, client, smtp, invited_client
):
    mallory, stale = mallory_signs_up_as_ada(app, smtp)

    # Ada accepts her coach's emailed invite as a new account: that proves the address.
    accepted = client.post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": ADA})
    assert accepted.status_code == 302 and logged_in_as(client) == 200

    # Later Ada finds the earlier "confirm your email" link in her inbox, opens it, presses the button.
    assert_dead_link(client, stale)

    assert logged_in_as(client) == 200  # her login goes on
    assert mallory.post("/login", data={"email": "ada@example.com", "password": MALLORY}).status_code == 400
    client.post("/logout")
    assert client.post("/login", data={"email": "ada@example.com", "password": ADA}).status_code == 302
    assert user(app, "ada@example.com").name == "Ada Lovelace"


def test_a_password_reset_ends_every_pending_confirmation_link(app, client, smtp):
    mallory, stale = mallory_signs_up_as_ada(app, smtp)

    client.post("/forgot-password", data={"email": "ada@example.com"})
    reset = re.search(r"https?://[^/\s]+(/reset-password/\S+)", smtp.text(smtp.wait_for(2)[-1])).group(1)
    changed = client.post(reset, data={"password": ADA, "confirm": ADA})
    assert changed.status_code == 302 and logged_in_as(client) == 200
    assert user(app, "ada@example.com").email_confirmed

    assert_dead_link(client, stale)
    assert logged_in_as(client) == 200
    assert mallory.post("/login", data={"email": "ada@example.com", "password": MALLORY}).status_code == 400


@pytest.mark.config(OPEN_SIGNUP=True)
def test_confirming_one_link_ends_every_other_link_of_the_account(app, client, smtp, coach):
    mallory, first = mallory_signs_up_as_ada(app, smtp)
    client.post("/signup", data={"name": "Ada Lovelace", "email": "ada@example.com", "password": ADA})
    second = confirm_path(smtp, "ada@example.com")
    assert second != first

    assert client.post(second).status_code == 302 and logged_in_as(client) == 200
    assert_dead_link(client, first)
    assert_dead_link(client, second)  # used: the account is proven, so it says the same
    assert logged_in_as(client) == 200
    assert mallory.post("/login", data={"email": "ada@example.com", "password": MALLORY}).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(EmailConfirmation.used_at)).all().count(None) == 0


def test_the_host_confirming_an_account_by_hand_ends_its_pending_links(app, client, runner, smtp):
    mallory, stale = mallory_signs_up_as_ada(app, smtp)
    # The host proves the address for the account as it was made (the first sign-up's values).
    assert "Confirmed ada@example.com" in runner.invoke(args=["confirm-account", "ada@example.com"]).output
    assert_dead_link(client, stale)


def test_a_link_made_before_the_account_was_proven_never_replaces_its_password(app, client, smtp, invited_client):
    """Defence in depth: a pending link left from before this fix (so still unused) on an
    account that is proven since changes nothing."""
    mallory, stale = mallory_signs_up_as_ada(app, smtp)
    client.post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": ADA})
    with app.app_context():  # as a database from before the fix holds it: the link still pending
        for confirmation in db.session.scalars(select(EmailConfirmation)):
            confirmation.used_at = None
        db.session.commit()

    assert_dead_link(client, stale)
    assert logged_in_as(client) == 200
    assert mallory.post("/login", data={"email": "ada@example.com", "password": MALLORY}).status_code == 400


def test_an_unproven_account_is_still_taken_over_by_whoever_proves_it(app, client, smtp):
    """What stays as it was: until the address is proven, its link sets the chosen password."""
    mallory, link = mallory_signs_up_as_ada(app, smtp)
    assert client.post(link).status_code == 302
    assert user(app, "ada@example.com").email_confirmed
    assert client.post("/logout").status_code == 302
    assert client.post("/login", data={"email": "ada@example.com", "password": MALLORY}).status_code == 302


def test_an_account_proven_by_another_request_a_moment_ago_keeps_its_password(app, smtp, invited_client):
    """The race: the link was read while the account was unproven, and another request proved
    it before this one pressed on. The take-over is one conditional UPDATE, so it refuses."""
    from fitr.accounts.rules import AccountError, confirm_email, confirmation_for_token

    mallory, stale = mallory_signs_up_as_ada(app, smtp)
    token = stale.rsplit("/", 1)[-1]
    with app.app_context():
        read = confirmation_for_token(token)  # read (and kept, as the request holds it): unproven
        assert not read.user.email_confirmed
        with db.engine.begin() as other_request:  # meanwhile Ada accepts her invite, proving it
            other_request.execute(User.__table__.update().values(email_confirmed_at=db.func.now(), password_hash="ada's"))
        with pytest.raises(AccountError) as refused:
            confirm_email(token)
        assert refused.value.code == "proven"
        db.session.rollback()
    assert user(app, "ada@example.com").password_hash == "ada's"
