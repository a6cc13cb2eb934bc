"""The program page's tabs after inviting: Pending invites with their delivery and buttons,
Active clients with their calendar and End subscription, and new subscribers showing up."""

import re
from datetime import timedelta

from conftest import PASSWORD
from sqlalchemy import select

from fitr.clock import utcnow
from fitr.extensions import db
from fitr.invites.models import Invite


def panel(response):
    return response.get_data(as_text=True).split('id="tab-panel"', 1)[1]


def test_pending_invites_tab_shows_email_sent_date_expiry_delivery_and_buttons(logged_in, published_program, invited_client):
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "ada@example.com" in page
    assert "Sent" in page and "Expires" in page and "Delivery" in page
    assert f"/invites/{invited_client.id}/resend" in page
    assert f"/invites/{invited_client.id}/revoke" in page
    assert f"/invites/{invited_client.id}/copy-link" in page
    assert f"/programs/{published_program}/clients/{invited_client.subscription_id}/calendar" in page


def test_program_page_opens_on_pending_invites_until_someone_joins_then_on_active_clients(
    app, client, logged_in, published_program, invited_client
):
    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    assert re.search(r'<a role="tab" id="tab-pending"[^>]*aria-selected="true"', page)

    app.test_client().post(f"/invite/{invited_client.token}", data={"name": "Ada Lovelace", "password": PASSWORD})

    page = logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    assert re.search(r'<a role="tab" id="tab-active"[^>]*aria-selected="true"', page)
    active = page.split('id="tab-panel"', 1)[1]
    assert "Ada Lovelace" in active and "ada@example.com" in active and "End subscription" in active
    assert f"/programs/{published_program}/clients/{invited_client.subscription_id}/calendar" in active


def test_active_tab_polls_for_new_subscribers_only_while_invites_are_pending(
    app, logged_in, published_program, add_subscription, make_invite
):
    add_subscription(published_program, "bo@example.com", status="active", name="Bo")
    poll = f'hx-get="/programs/{published_program}/clients/active" hx-trigger="every 30s"'
    assert poll not in logged_in.get(f"/programs/{published_program}").get_data(as_text=True)
    make_invite(published_program, "ada@example.com")
    assert poll in logged_in.get(f"/programs/{published_program}").get_data(as_text=True)


def test_end_subscription_from_the_program_page_moves_the_client_to_past_clients(
    app, logged_in, published_program, add_subscription
):
    sid = add_subscription(published_program, "bo@example.com", status="active", name="Bo Diddley")
    response = logged_in.post(f"/subscriptions/{sid}/end")
    assert response.headers["Location"] == f"/programs/{published_program}/clients/past"
    assert "Bo Diddley" in panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    assert "Bo Diddley" not in panel(logged_in.get(f"/programs/{published_program}/clients/active"))


def test_revoked_and_expired_invites_leave_the_program_tabs_and_are_not_past_clients(
    app, logged_in, published_program, make_invite
):
    revoked = make_invite(published_program, "ada@example.com")
    expired = make_invite(published_program, "bo@example.com")
    logged_in.post(f"/invites/{revoked.id}/revoke")
    with app.app_context():
        db.session.get(Invite, expired.id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = logged_in.get(f"/programs/{published_program}/clients/pending").get_data(as_text=True)
    assert "Pending invites (0)" in page and "Past clients (0)" in page
    assert "ada@example.com" not in panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert "bo@example.com" not in panel(logged_in.get(f"/programs/{published_program}/clients/past"))
    with app.app_context():
        assert db.session.scalar(select(Invite.status).where(Invite.id == expired.id)) == "expired"


def test_copy_link_on_the_program_page_swaps_in_a_fresh_link_box(logged_in, published_program, invited_client):
    page = panel(logged_in.get(f"/programs/{published_program}/clients/pending"))
    assert f'hx-post="/invites/{invited_client.id}/copy-link" hx-target="#invite-{invited_client.id}-link"' in page
    fragment = logged_in.post(f"/invites/{invited_client.id}/copy-link", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "readonly" in fragment and "data-copy=" in fragment and "<html" not in fragment
