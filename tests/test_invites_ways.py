"""The other three ways in: Add manually (then Send invite), Invite current clients, and a
program's Invite link."""

from datetime import timedelta

import pytest
from factories import (
    PASSWORD,
    accept_link,
    confirm_path,
    count,
    element,
    make_user,
    rows,
    sign_up_and_join,
)
from sqlalchemy import select

from fitr.calendars.models import Calendar, Session
from fitr.calendars.rules import add_session, calendar_for_subscription
from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.invite_link import link_token
from fitr.invites.models import Invite, InviteLink
from fitr.notices.models import Notice
from fitr.subscriptions.models import Subscription

# --- Add manually ------------------------------------------------------------------------------


def test_manually_added_client_gets_no_email_until_send_invite_and_finds_the_written_session_after_accepting(
    app, smtp, client, logged_in, coach, published_program, today
):
    response = logged_in.post(
        f"/programs/{published_program}/clients/manual", data={"name": "Ada Lovelace", "email": "Ada@Example.com"}
    )
    assert response.status_code == 302
    assert smtp.wait_for(1, timeout=0.5) == []
    [invite] = rows(app, Invite)
    assert invite.email == "ada@example.com" and invite.delivery_status == "not_sent" and invite.token_hash is None

    # Pending invites shows them with Send invite, and a link to write their calendar.
    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    assert "Ada Lovelace" in pending and "Not sent yet" in pending
    assert f"/subscriptions/{invite.subscription_id}/send-invite" in pending
    assert f"/programs/{published_program}/clients/{invite.subscription_id}/calendar" in pending

    # The coach writes the first session on the pending client's own calendar.
    monday = today + timedelta(days=7 - today.weekday())
    with app.app_context():
        subscription = db.session.get(Subscription, invite.subscription_id)
        calendar = calendar_for_subscription(subscription)
        add_session(calendar, monday, coach, "Squat day")
        db.session.commit()
        calendar_id = calendar.id

    response = logged_in.post(f"/subscriptions/{invite.subscription_id}/send-invite")
    assert response.status_code == 302
    [message] = smtp.wait_for(1)
    assert message["To"] == "ada@example.com"
    logged_in.post("/logout")

    link = accept_link(smtp.text(message)).split("localhost", 1)[1]
    assert 'value="ada@example.com"' in client.get(link).get_data(as_text=True)
    assert client.post(link, data={"name": "Ada Lovelace", "password": PASSWORD}).status_code == 302

    [subscription] = rows(app, Subscription)
    assert subscription.status == "active"
    with app.app_context():
        [own] = db.session.scalars(select(Calendar).where(Calendar.subscription_id == subscription.id)).all()
        assert own.id == calendar_id
        assert [s.title for s in db.session.scalars(select(Session).where(Session.calendar_id == own.id))] == ["Squat day"]


def test_a_client_added_manually_who_joins_under_another_name_is_told_to_the_coach_with_both(
    app, smtp, client, logged_in, coach, published_program
):
    logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Bob Smith", "email": "bob@example.com"})
    [invite] = rows(app, Invite)
    logged_in.post(f"/subscriptions/{invite.subscription_id}/send-invite")
    [message] = smtp.wait_for(1)
    logged_in.post("/logout")

    link = accept_link(smtp.text(message)).split("localhost", 1)[1]
    assert client.post(link, data={"name": "Robert Smith", "password": PASSWORD}).status_code == 302

    [notice] = rows(app, Notice, user_id=coach)
    assert notice.text == "Robert Smith (you added them as Bob Smith) joined Powerlifting 1-2-1"
    [_, joined] = smtp.wait_for(2)
    assert "Robert Smith (you added them as Bob Smith) (bob@example.com) joined Powerlifting 1-2-1" in smtp.text(joined)


def test_a_client_added_manually_who_joins_under_the_same_name_is_told_once(
    app, smtp, client, logged_in, coach, published_program
):
    logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Bob Smith", "email": "bob@example.com"})
    [invite] = rows(app, Invite)
    logged_in.post(f"/subscriptions/{invite.subscription_id}/send-invite")
    [message] = smtp.wait_for(1)
    logged_in.post("/logout")

    link = accept_link(smtp.text(message)).split("localhost", 1)[1]
    assert client.post(link, data={"name": "Bob Smith", "password": PASSWORD}).status_code == 302

    assert [n.text for n in rows(app, Notice, user_id=coach)] == ["Bob Smith joined Powerlifting 1-2-1"]


def test_add_manually_refuses_a_bad_email_or_a_missing_name(app, logged_in, published_program):
    response = logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "", "email": "nope"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the client&#39;s name." in page or "Enter the client's name." in page
    response = logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Ada", "email": "nope"})
    assert response.status_code == 400
    assert "“nope” is not a valid email address." in response.get_data(as_text=True)
    assert count(app, Subscription) == 0


def test_add_manually_an_address_with_a_pending_invite_is_refused(app, logged_in, published_program, invited_client):
    response = logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Ada", "email": "ada@example.com"})
    assert response.status_code == 400
    assert "already has a pending invite" in response.get_data(as_text=True)


def test_a_manual_invite_link_cannot_be_guessed_before_it_is_sent(app, client, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/clients/manual", data={"name": "Ada", "email": "ada@example.com"})
    [invite] = rows(app, Invite)
    assert invite.token_hash is None and invite.expires_at is None
    assert client.get("/invite/None").status_code == 404


# --- Invite current clients ------------------------------------------------------------------


@pytest.fixture
def current_clients(app, coach, make_program, add_subscription):
    """Ada (active) and Bo (past) in another program of the coach; Cy is another coach's client."""
    old = make_program(coach, status="published", name="Off-season")
    ada = make_user(app, "Ada Lovelace", "ada@example.com")
    bo = make_user(app, "Bo Diddley", "bo@example.com")
    cy = make_user(app, "Cy Young", "cy@example.com")
    add_subscription(old, "ada@example.com", status="active", client_id=ada)
    add_subscription(old, "bo@example.com", status="ended", client_id=bo)
    other = make_user(app, "Olive", "olive@example.com")
    theirs = make_program(other, status="published", name="Their program")
    add_subscription(theirs, "cy@example.com", status="active", client_id=cy)
    return {"ada": ada, "bo": bo, "cy": cy}


def test_coach_invites_several_current_clients_at_once(app, smtp, logged_in, published_program, current_clients):
    page = logged_in.get(f"/programs/{published_program}/clients/new?way=current").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Bo Diddley" in page and "Cy Young" not in page

    response = logged_in.post(
        f"/programs/{published_program}/clients/current",
        data={"clients": [current_clients["ada"], current_clients["bo"]], "message": "Next block!"},
    )
    assert response.status_code == 302
    messages = smtp.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["ada@example.com", "bo@example.com"]
    assert all("Next block!" in smtp.text(m) for m in messages)
    assert count(app, Subscription, Subscription.program_id == published_program, Subscription.status == "pending") == 2

    # They are no longer offered for this program.
    page = logged_in.get(f"/programs/{published_program}/clients/new?way=current").get_data(as_text=True)
    assert "Ada Lovelace" not in page and "Bo Diddley" not in page


def test_current_clients_list_is_searchable(logged_in, published_program, current_clients):
    fragment = logged_in.get(
        f"/programs/{published_program}/clients/current?q=DIDD&partial=clients", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Bo Diddley" in fragment and "Ada Lovelace" not in fragment and "<html" not in fragment
    assert "No client matches" in logged_in.get(f"/programs/{published_program}/clients/current?q=zzz").get_data(as_text=True)


def test_inviting_another_coachs_client_as_a_current_client_is_refused(app, logged_in, published_program, current_clients):
    response = logged_in.post(f"/programs/{published_program}/clients/current", data={"clients": [current_clients["cy"]]})
    assert response.status_code == 400
    assert "not yours" in response.get_data(as_text=True)
    assert count(app, Invite) == 0
    response = logged_in.post(f"/programs/{published_program}/clients/current", data={})
    assert response.status_code == 400 and "Choose at least one client." in response.get_data(as_text=True)


# --- Invite link -----------------------------------------------------------------------------


def the_link(app, path="/join/"):
    with app.test_request_context():
        link = db.session.scalar(select(InviteLink))
        return path + link_token(link)


def test_coach_turns_on_the_invite_link_and_a_new_client_joins_with_a_fresh_calendar(
    app, client, logged_in, published_program, smtp
):
    response = logged_in.post(f"/programs/{published_program}/invite-link", data={})
    assert response.status_code == 302
    page = logged_in.get(f"/programs/{published_program}/clients/new?way=link").get_data(as_text=True)
    path = the_link(app)
    assert "readonly" in element(page, "input", value=f"http://localhost{path}") and f'data-copy="http://localhost{path}"' in page
    with app.app_context():
        assert db.session.scalar(select(InviteLink.token_hash)) != path.rsplit("/", 1)[1]  # only a hash
    logged_in.post("/logout")

    page = client.get(path).get_data(as_text=True)
    assert "Casey Coach" in page and "Powerlifting 1-2-1" in page and "Sign up to join" in page
    asked = client.post(path, data={"name": "Dee", "email": "dee@example.com", "password": PASSWORD})
    assert asked.status_code == 200 and rows(app, Subscription) == []  # not in before the address is proven
    client.post(confirm_path(smtp, "dee@example.com"))
    assert "Join program" in client.get(path).get_data(as_text=True)
    response = client.post(path)
    assert response.status_code == 302
    [subscription] = rows(app, Subscription)
    assert subscription.status == "active" and subscription.client_email == "dee@example.com"
    assert count(app, Calendar, Calendar.subscription_id == subscription.id) == 1
    assert response.headers["Location"] == "/my"  # Today, which welcomes them to the program


def test_existing_user_logs_in_and_joins_with_the_invite_link_once(app, client, auth, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    logged_in.post("/logout")
    make_user(app, "Dee", "dee@example.com")
    auth.login("dee@example.com")
    path = the_link(app)
    assert "Joining as <strong>Dee</strong>" in client.get(path).get_data(as_text=True)
    first = client.post(path)
    second = client.post(path)
    assert first.status_code == second.status_code == 302
    assert count(app, Subscription) == 1
    with app.app_context():
        assert db.session.scalar(select(InviteLink.uses)) == 1


def test_invite_link_turned_off_is_refused_with_a_clear_page(app, client, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    path = the_link(app)
    assert logged_in.post(f"/programs/{published_program}/invite-link/off").status_code == 302
    logged_in.post("/logout")
    response = client.get(path)
    assert response.status_code == 410
    assert "This invite link has been turned off." in response.get_data(as_text=True)
    assert client.post(path, data={"name": "Dee", "email": "dee@example.com", "password": PASSWORD}).status_code == 410
    assert count(app, Subscription) == 0


def test_invite_link_expired_is_refused_with_a_clear_page(app, client, logged_in, published_program, today):
    logged_in.post(f"/programs/{published_program}/invite-link", data={"expires_on": (today + timedelta(days=1)).isoformat()})
    path = the_link(app)
    with app.app_context():
        db.session.scalar(select(InviteLink)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "This invite link has expired." in response.get_data(as_text=True)


def test_invite_link_used_up_is_refused_with_a_clear_page(app, client, logged_in, published_program, smtp):
    logged_in.post(f"/programs/{published_program}/invite-link", data={"max_uses": "1"})
    path = the_link(app)
    logged_in.post("/logout")
    assert sign_up_and_join(client, smtp, path, "Dee", "dee@example.com").status_code == 302
    client.post("/logout")
    response = client.get(path)
    assert response.status_code == 410
    assert "used as many times as the coach allowed" in response.get_data(as_text=True)
    assert count(app, Subscription) == 1


def test_regenerated_invite_link_kills_the_old_one(app, client, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    old = the_link(app)
    logged_in.post(f"/programs/{published_program}/invite-link/regenerate")
    new = the_link(app)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_invite_link_settings_are_checked(app, logged_in, published_program, today):
    response = logged_in.post(f"/programs/{published_program}/invite-link", data={"max_uses": "0"})
    assert response.status_code == 400 and "Enter a number from 1 to 10,000." in response.get_data(as_text=True)
    response = logged_in.post(
        f"/programs/{published_program}/invite-link", data={"expires_on": (today - timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400 and "Choose a date after today" in response.get_data(as_text=True)
    assert count(app, InviteLink) == 0


def test_joining_with_a_link_when_invited_takes_over_the_pending_invite(
    app, client, logged_in, published_program, invited_client, smtp
):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    path = the_link(app)
    logged_in.post("/logout")
    response = sign_up_and_join(client, smtp, path, "Ada", "ada@example.com")
    assert response.status_code == 302
    [subscription] = rows(app, Subscription)
    assert subscription.id == invited_client.subscription_id and subscription.status == "active"
    assert rows(app, Invite)[0].status == "accepted"


def test_weak_password_on_join_is_refused_and_nothing_is_made(app, client, logged_in, published_program):
    from fitr.accounts.models import User

    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    path = the_link(app)
    logged_in.post("/logout")
    response = client.post(path, data={"name": "Dee", "email": "dee@example.com", "password": "123"})
    assert response.status_code == 400
    assert count(app, User) == 1 and count(app, Subscription) == 0
    with app.app_context():
        assert db.session.scalar(select(InviteLink.uses)) == 0


def test_invite_link_turned_off_says_it_comes_back_as_the_same_link_when_turned_on(
    app, client, logged_in, published_program
):
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    path = the_link(app)
    off = logged_in.post(f"/programs/{published_program}/invite-link/off", follow_redirects=True)
    page = off.get_data(as_text=True)
    assert "does not work until you turn it on again" in page and "brings back the same link" in page
    assert "no longer works" not in page

    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    assert the_link(app) == path
    assert client.get(path).status_code == 200


def test_signing_up_through_the_invite_link_with_an_existing_account_answers_the_same_and_emails_its_owner(
    app, client, logged_in, published_program, smtp
):
    make_user(app, "Dee Client", "dee@example.com")
    logged_in.post(f"/programs/{published_program}/invite-link", data={})
    path = the_link(app)
    logged_in.post("/logout")
    response = client.post(path, data={"name": "Dee", "email": "Dee@example.com", "password": "someone else's guess"})
    assert response.status_code == 200  # the same answer as for an address without an account
    assert "We sent a link to" in response.get_data(as_text=True)
    [message] = smtp.wait_for(1)
    assert message["To"] == "dee@example.com" and "tried to sign up" in message["Subject"]
    assert "Powerlifting 1-2-1" in smtp.text(message) and "log in" in smtp.text(message)
    assert count(app, Subscription) == 0
