"""Delivery is never a reason to lose an invite: SMTP down or not configured, Resend (with a
limit per hour), Copy link (a fresh link, the old one dead), Revoke, and expiry."""

from datetime import timedelta

import pytest
from conftest import Mailbox, free_port, run_worker
from factories import PASSWORD, accept_link, element
from sqlalchemy import func, select

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.delivery import expire_overdue_invites
from fitr.invites.models import Invite
from fitr.subscriptions.models import Subscription

DOWN_PORT = free_port()  # nothing listens here until a test starts a server on it


def invite_row(app, invite_id):
    with app.app_context():
        return db.session.get(Invite, invite_id)


def only_invite(app):
    with app.app_context():
        return db.session.scalars(select(Invite)).one()


@pytest.fixture
def smtp_later():
    """Start a real SMTP server on DOWN_PORT when the test says so (SMTP comes back up)."""
    from aiosmtpd.controller import Controller

    started = []

    def start():
        mailbox = Mailbox("127.0.0.1", DOWN_PORT)
        controller = Controller(mailbox, hostname="127.0.0.1", port=DOWN_PORT)
        controller.start()
        started.append(controller)
        return mailbox

    yield start
    for controller in started:
        controller.stop()


@pytest.mark.config(MAIL_SERVER="127.0.0.1", MAIL_PORT=DOWN_PORT)
def test_with_smtp_down_the_invite_is_saved_shown_sending_and_goes_out_when_smtp_is_back(
    app, logged_in, published_program, smtp_later, time_machine
):
    time_machine.move_to(utcnow(), tick=False)
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 302
    told = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sending the invite to ada@example.com" in told

    run_worker(app)  # the worker finds SMTP down: the email waits for its next try
    invite = only_invite(app)
    assert invite.status == "pending" and invite.delivery_status == "sending"
    assert invite.delivery_error == "the mail server could not be reached or refused the email."  # words, not errno
    assert invite.sent_at is None and invite.send_count == 1

    pending = logged_in.get("/clients/pending").get_data(as_text=True)
    assert "ada@example.com" in pending and "Sending…" in pending
    assert f"/invites/{invite.id}/resend" in pending and f"/invites/{invite.id}/copy-link" in pending

    mailbox = smtp_later()
    run_worker(app, sweep=True)
    assert mailbox.messages == []  # not due yet: the next try is a minute after the first
    time_machine.shift(timedelta(minutes=1, seconds=1))
    run_worker(app, sweep=True)
    [message] = mailbox.wait_for(1)
    invite = only_invite(app)
    assert invite.delivery_status == "sent" and invite.delivery_error is None and invite.send_count == 1
    assert "Sent" in logged_in.get("/clients/pending").get_data(as_text=True)

    logged_in.post("/logout")
    link = accept_link(Mailbox.text(message))
    accepted = logged_in.post(link.split("localhost", 1)[1], data={"name": "Ada", "password": PASSWORD})
    assert accepted.status_code == 302


def test_without_mail_configured_the_invite_is_saved_and_the_coach_can_copy_the_link(
    app, client, logged_in, published_program
):
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    invite = only_invite(app)
    assert invite.status == "pending" and invite.delivery_status == "not_configured"
    assert invite.delivery_error == "This server does not send email: use Copy link and send the link yourself."

    # Right there, a plain sentence and the invite's link to copy: no server setting named.
    told = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    toast = element(told, "div", class_="toast toast-warning")
    assert "This server does not send email, so the invite to ada@example.com was saved but not emailed." in toast.text
    sent_link = accept_link(toast.html)
    assert "readonly" in element(toast.html, "input", value=sent_link, id="not-sent-1")
    assert element(toast.html, "label", for_="not-sent-1").text == "Invite link for ada@example.com"
    assert f'data-copy="{sent_link}"' in toast.html
    assert "MAIL_" not in told and "Pending invites" in toast.text
    assert "This server does not send email: use Copy link" in logged_in.get("/clients/pending").get_data(as_text=True)
    assert app.test_client().get(sent_link.split("localhost", 1)[1]).status_code == 200  # the copied link works

    response = logged_in.post(f"/invites/{invite.id}/copy-link")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = accept_link(page)
    assert "readonly" in element(page, "input", value=link) and f'data-copy="{link}"' in page

    # htmx gets just the link box, for the row it was pressed in.
    fragment = logged_in.post(f"/invites/{invite.id}/copy-link", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "/invite/" in fragment
    assert accept_link(fragment) != link  # each copy is a fresh link ...

    logged_in.post("/logout")
    old = client.get(link.split("localhost", 1)[1])
    assert old.status_code == 404  # ... and the previous one stops working
    new = client.get(accept_link(fragment).split("localhost", 1)[1])
    assert new.status_code == 200


def test_copy_link_invalidates_the_emailed_link(app, smtp, client, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    emailed = accept_link(smtp.text(smtp.wait_for(1)[0]))
    copied = accept_link(logged_in.post(f"/invites/{only_invite(app).id}/copy-link").get_data(as_text=True))
    assert client.get(emailed.split("localhost", 1)[1]).status_code == 404
    assert client.get(copied.split("localhost", 1)[1]).status_code == 200


def test_resend_sends_a_fresh_link_and_works_up_to_a_limit_per_hour(app, smtp, client, logged_in, published_program):
    app.config["INVITE_SENDS_PER_HOUR"] = 3
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    invite_id = only_invite(app).id
    smtp.wait_for(1)
    assert logged_in.post(f"/invites/{invite_id}/resend").status_code == 302
    smtp.wait_for(2)
    assert logged_in.post(f"/invites/{invite_id}/resend").status_code == 302
    refused = logged_in.post(f"/invites/{invite_id}/resend")
    assert refused.status_code == 429
    assert "sent 3 times in the last hour" in refused.get_data(as_text=True)
    messages = smtp.wait_for(3)
    assert len(messages) == 3
    links = [accept_link(smtp.text(m)) for m in messages]
    assert len(set(links)) == 3
    assert client.get(links[0].split("localhost", 1)[1]).status_code == 404
    assert client.get(links[-1].split("localhost", 1)[1]).status_code == 200

    # An hour later the coach can resend again.
    with app.app_context():
        invite = db.session.get(Invite, invite_id)
        invite.send_window_start = utcnow() - timedelta(hours=1, minutes=1)
        db.session.commit()
    assert logged_in.post(f"/invites/{invite_id}/resend").status_code == 302
    assert invite_row(app, invite_id).send_count == 4


def test_revoked_invite_leaves_pending_invites_and_its_link_shows_a_clear_page(
    app, client, logged_in, invited_client, published_program
):
    response = logged_in.post(f"/invites/{invited_client.id}/revoke", data={"next": "/clients/pending"})
    assert response.status_code == 302 and response.headers["Location"] == "/clients/pending"
    assert invite_row(app, invited_client.id).status == "revoked"
    assert f'id="invite-{invited_client.id}"' not in logged_in.get("/clients/pending").get_data(as_text=True)
    past = logged_in.get("/clients/past").get_data(as_text=True)
    assert "ada@example.com" not in past  # never joined, so never a past client

    logged_in.post("/logout")
    page = client.get(f"/invite/{invited_client.token}")
    assert page.status_code == 410
    assert "This invite was withdrawn by the coach." in page.get_data(as_text=True)
    assert client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD}).status_code == 410

    # Revoked twice: said plainly.
    client.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    again = client.post(f"/invites/{invited_client.id}/revoke")
    assert again.status_code == 409 and "This invite was revoked." in again.get_data(as_text=True)


def test_revoked_address_can_be_invited_again(app, logged_in, invited_client, published_program):
    logged_in.post(f"/invites/{invited_client.id}/revoke")
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite).where(Invite.status == "pending")) == 1


def test_expired_invites_leave_pending_invites(app, logged_in, invited_client):
    assert "ada@example.com" in logged_in.get("/clients/pending").get_data(as_text=True)
    with app.app_context():
        invite = db.session.get(Invite, invited_client.id)
        invite.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "ada@example.com" not in logged_in.get("/clients/pending").get_data(as_text=True)
    invite = invite_row(app, invited_client.id)
    assert invite.status == "expired"
    with app.app_context():
        assert db.session.get(Subscription, invited_client.subscription_id).status == "ended"


def test_expiring_overdue_invites_never_touches_an_accepted_one(app, client, invited_client):
    client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD})
    with app.app_context():
        expire_overdue_invites(utcnow() + timedelta(days=30))
        db.session.commit()
        assert db.session.get(Invite, invited_client.id).status == "accepted"
        assert db.session.get(Subscription, invited_client.subscription_id).status == "active"


def test_resend_of_an_accepted_invite_is_refused(app, client, logged_in, invited_client):
    other = client.application.test_client()
    other.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD})
    response = logged_in.post(f"/invites/{invited_client.id}/resend")
    assert response.status_code == 409
    assert "This invite was already accepted." in response.get_data(as_text=True)


def test_a_refused_resend_leads_back_to_the_page_it_was_pressed_on(app, smtp, logged_in, published_program):
    app.config["INVITE_SENDS_PER_HOUR"] = 1
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    invite_id = only_invite(app).id

    from_program = logged_in.post(f"/invites/{invite_id}/resend")
    assert from_program.status_code == 429
    assert f'<a href="/programs/{published_program}/clients/pending">Back</a>' in from_program.get_data(as_text=True)

    from_clients = logged_in.post(f"/invites/{invite_id}/resend", data={"next": "/clients/pending"})
    assert '<a href="/clients/pending">Back</a>' in from_clients.get_data(as_text=True)


# --- limits a signed-up stranger cannot use to flood inboxes -----------------------------------


@pytest.mark.config(INVITES_PER_COACH_HOUR=3)
def test_a_coach_sends_a_limited_number_of_invite_emails_per_hour(app, smtp, logged_in, published_program):
    response = logged_in.post(f"/programs/{published_program}/clients/new",
                              data={"emails": "a@example.com, b@example.com, c@example.com, d@example.com"})  # fmt: skip
    assert response.status_code == 200  # three invited; the fourth is refused
    assert "You have sent 3 invite emails in the last hour" in response.get_data(as_text=True)
    assert sorted(m["To"] for m in smtp.wait_for(3)) == ["a@example.com", "b@example.com", "c@example.com"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 3  # d was not invited at all


@pytest.mark.config(INVITES_PER_COACH_DAY=2)
def test_a_coach_sends_a_limited_number_of_invite_emails_per_day(app, smtp, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "a@example.com, b@example.com"})
    refused = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "c@example.com"})
    assert refused.status_code == 400 and "invite emails today" in refused.get_data(as_text=True)
    assert len(smtp.wait_for(2)) == 2


@pytest.mark.config(INVITES_PER_ADDRESS_DAY=2)
def test_one_address_receives_a_limited_number_of_invite_emails_per_day(app, smtp, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    invite = only_invite(app)
    smtp.wait_for(1)
    assert logged_in.post(f"/invites/{invite.id}/resend").status_code == 302
    refused = logged_in.post(f"/invites/{invite.id}/resend")
    assert refused.status_code == 429
    assert "ada@example.com was sent 2 invite emails today" in refused.get_data(as_text=True)
    assert len(smtp.wait_for(2)) == 2
