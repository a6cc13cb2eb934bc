"""Invite a client by email, and the client accepts: as a new user, as an existing user, or
not at all (wrong account, bad links, weak password)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from factories import PASSWORD, accept_link, count, element, make_user, one
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars.models import Calendar
from fitr.extensions import db
from fitr.invites.models import Invite
from fitr.notices.models import Notice
from fitr.subscriptions.models import Subscription
from fitr.tokens import hash_token


def subscriptions(app, **where):
    with app.app_context():
        statement = select(Subscription).filter_by(**where).order_by(Subscription.id)
        return db.session.scalars(statement).all()






def path_of(url):
    return urlsplit(url).path


# --- the coach invites ---------------------------------------------------------------------------


def test_coach_invites_client_by_email_and_the_email_carries_an_absolute_accept_link(
    app, smtp, logged_in, published_program
):
    response = logged_in.post(
        f"/programs/{published_program}/clients/new",
        data={"emails": "  Ada@Example.COM ", "message": "See you Monday!\nBring chalk."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/programs/{published_program}/clients/pending")

    [message] = smtp.wait_for(1)
    assert message["To"] == "ada@example.com"
    assert message["From"] == "fitr <coach-mail@fitr.test>"
    assert message["Reply-To"] == "casey@example.com"
    assert message["Subject"] == "Casey Coach invited you to Powerlifting 1-2-1 on fitr"
    text, html = smtp.text(message), smtp.html(message)
    assert "Casey Coach" in text and "Powerlifting 1-2-1" in text and "Bring chalk." in text
    link = accept_link(text)
    assert link.startswith("http://localhost/invite/")
    assert f'href="{link}"' in html

    invite = one(app, Invite, email="ada@example.com")
    assert invite.status == "pending" and invite.delivery_status == "sent" and invite.send_count == 1
    assert invite.token_hash == hash_token(link.rsplit("/", 1)[1])
    assert invite.expires_at - invite.created_at >= timedelta(days=13, hours=23)
    [subscription] = subscriptions(app)
    assert subscription.status == "pending" and subscription.client_id is None
    assert count(app, Calendar, subscription_id=subscription.id) == 1  # a pending client owns one


@pytest.mark.config(BASE_URL="https://coach.example.org")
def test_accept_link_is_built_from_the_configured_base_url(smtp, logged_in, published_program):
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    [message] = smtp.wait_for(1)
    assert accept_link(smtp.text(message)).startswith("https://coach.example.org/invite/")


def test_several_addresses_each_get_their_own_invite(app, smtp, logged_in, published_program):
    response = logged_in.post(
        f"/programs/{published_program}/clients/new",
        data={"emails": "ada@example.com, bo@example.com\ncy@example.com;\n\nADA@example.com"},
    )
    assert response.status_code == 302
    messages = smtp.wait_for(3)
    assert sorted(m["To"] for m in messages) == ["ada@example.com", "bo@example.com", "cy@example.com"]
    links = {accept_link(smtp.text(m)) for m in messages}
    assert len(links) == 3
    assert count(app, Invite) == 3 and count(app, Subscription, status="pending") == 3


def test_malformed_addresses_are_reported_one_by_one_and_the_valid_ones_still_sent(
    app, smtp, logged_in, published_program
):
    response = logged_in.post(
        f"/programs/{published_program}/clients/new",
        data={"emails": "ada@example.com, not-an-email, bo@@example.com, cy@example.com"},
    )
    assert response.status_code == 200  # two invited: a success, with two addresses left to fix
    page = response.get_data(as_text=True)
    assert "“not-an-email” is not a valid email address." in page
    assert "“bo@@example.com” is not a valid email address." in page
    assert "Sending the invite to ada@example.com, cy@example.com:" in page
    assert "Invited:" not in page  # said once, in the message at the top
    assert sorted(m["To"] for m in smtp.wait_for(2)) == ["ada@example.com", "cy@example.com"]
    assert count(app, Invite) == 2


def test_more_than_fifty_addresses_are_refused_and_nothing_is_sent(app, smtp, logged_in, published_program):
    emails = "\n".join(f"client{i}@example.com" for i in range(51))
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": emails})
    assert response.status_code == 400
    assert "You entered 51 addresses: invite at most 50 at once." in response.get_data(as_text=True)
    assert count(app, Invite) == 0 and count(app, Subscription) == 0
    assert smtp.delivered() == []


def test_coach_cannot_invite_their_own_address(app, logged_in, published_program):
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "Casey@Example.com"})
    assert response.status_code == 400
    assert "casey@example.com is your own address." in response.get_data(as_text=True)
    assert count(app, Invite) == 0


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_coach_cannot_invite_to_a_draft_or_archived_program(app, logged_in, coach, make_program, status):
    program = make_program(coach, status=status)
    page = logged_in.get(f"/programs/{program}/clients/new")
    assert page.status_code == 409
    response = logged_in.post(f"/programs/{program}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 409
    assert ("archived" if status == "archived" else "Publish it before adding clients") in response.get_data(as_text=True)
    assert count(app, Invite) == 0 and count(app, Subscription) == 0


def test_coach_cannot_invite_to_another_coachs_program(app, logged_in, other_coach, make_program):
    theirs = make_program(other_coach, status="published")
    response = logged_in.post(f"/programs/{theirs}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 404
    assert count(app, Invite) == 0


def test_inviting_an_active_client_says_so_and_sends_nothing(
    app, smtp, logged_in, published_program, add_subscription
):
    add_subscription(published_program, "ada@example.com", status="active", name="Ada")
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 400
    assert "ada@example.com is already an active client in this program. Nothing was sent." in response.get_data(as_text=True)
    assert count(app, Invite) == 0
    assert smtp.wait_for(1, timeout=0.3) == []


def test_inviting_an_address_with_a_pending_invite_offers_resend(app, logged_in, published_program, invited_client):
    response = logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ada@example.com already has a pending invite to this program." in page
    assert f'action="/invites/{invited_client.id}/resend"' in page
    assert count(app, Invite) == 1


def test_a_client_can_be_invited_to_several_programs(app, coach, make_program, make_invite):
    first = make_program(coach, status="published", name="Strength 1-2-1")
    second = make_program(coach, status="published", name="Conditioning 1-2-1")
    make_invite(first, "ada@example.com")
    make_invite(second, "ada@example.com")
    assert count(app, Subscription, client_email="ada@example.com") == 2
    assert count(app, Calendar, kind="client") == 2


# --- the client accepts ----------------------------------------------------------------------


def test_client_accepts_invite_as_a_new_user_and_appears_under_active_clients(
    app, smtp, client, logged_in, published_program, today
):
    logged_in.post(f"/programs/{published_program}/clients/new", data={"emails": "ada@example.com", "message": "Hi Ada"})
    link = accept_link(smtp.text(smtp.wait_for(1)[0]))
    logged_in.post("/logout")

    page = client.get(path_of(link))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in ("Casey Coach", "Powerlifting 1-2-1", "£99.00 / month", "Hi Ada", "ada@example.com", "Accept invite"):
        assert shown in html
    invited_email = element(html, "input", id="invited-email")
    assert invited_email["value"] == "ada@example.com" and "readonly" in invited_email

    response = client.post(path_of(link), data={"name": "Ada Lovelace", "password": PASSWORD})
    assert response.status_code == 302
    [subscription] = subscriptions(app)
    assert response.headers["Location"] == "/my"  # Today, which welcomes them to the program
    assert subscription.status == "active" and subscription.start_date == today
    ada = one(app, User, email="ada@example.com")
    assert subscription.client_id == ada.id and ada.name == "Ada Lovelace"
    assert one(app, Invite, email="ada@example.com").status == "accepted"
    assert count(app, Calendar, subscription_id=subscription.id) == 1

    landed = client.get(response.headers["Location"])
    assert "You joined Powerlifting 1-2-1." in landed.get_data(as_text=True)

    # The coach is told: an email and a notice in the app.
    joined_mail = smtp.wait_for(2)[1]
    assert joined_mail["To"] == "casey@example.com"
    assert joined_mail["Subject"] == "Ada Lovelace joined Powerlifting 1-2-1"
    assert one(app, Notice).text == "Ada Lovelace joined Powerlifting 1-2-1"

    client.post("/logout")
    client.post("/login", data={"email": "casey@example.com", "password": PASSWORD})
    active = client.get(f"/programs/{published_program}/clients/active").get_data(as_text=True)
    assert "Ada Lovelace" in active


def test_existing_user_logs_in_and_accepts_the_invite(app, client, invited_client):
    make_user(app, "Ada Lovelace", "ada@example.com")
    page = client.get(f"/invite/{invited_client.token}").get_data(as_text=True)
    assert "You already have a fitr account with" in page
    login = f"/login?next=/invite/{invited_client.token}"
    assert login in page.replace("%2F", "/")

    response = client.post(login, data={"email": "ada@example.com", "password": PASSWORD})
    assert response.headers["Location"] == f"/invite/{invited_client.token}"
    assert "Accepting as <strong>Ada Lovelace</strong>" in client.get(f"/invite/{invited_client.token}").get_data(as_text=True)

    response = client.post(f"/invite/{invited_client.token}")
    assert response.status_code == 302
    [subscription] = subscriptions(app)
    assert subscription.status == "active" and subscription.client_id == one(app, User, email="ada@example.com").id
    assert count(app, User) == 2


def test_logged_in_user_with_another_email_is_told_and_offered_log_out(app, client, auth, invited_client):
    make_user(app, "Bo", "bo@example.com")
    auth.login("bo@example.com")
    page = client.get(f"/invite/{invited_client.token}").get_data(as_text=True)
    assert "This invite is for ada@example.com, but you are logged in as bo@example.com." in page
    assert "Log out" in page
    assert client.post(f"/invite/{invited_client.token}").status_code == 403
    assert subscriptions(app)[0].status == "pending"

    response = client.post(f"/invite/{invited_client.token}/logout")
    assert response.headers["Location"] == f"/invite/{invited_client.token}"
    assert "Create your account" in client.get(f"/invite/{invited_client.token}").get_data(as_text=True)


def test_weak_password_on_acceptance_is_refused_and_nothing_is_made(app, client, invited_client):
    for password, message in (("short", "Use at least 8 characters."), ("aaaaaaaaaa", "too easy to guess")):
        response = client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": password})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert count(app, User, email="ada@example.com") == 0
    assert subscriptions(app)[0].status == "pending"


def test_missing_name_on_acceptance_is_refused(app, client, invited_client):
    response = client.post(f"/invite/{invited_client.token}", data={"name": " ", "password": PASSWORD})
    assert response.status_code == 400
    assert "Enter your name." in response.get_data(as_text=True)
    assert count(app, User, email="ada@example.com") == 0


def test_waiver_must_be_agreed_to_and_welcome_message_shows_after_joining(
    app, client, coach, make_program, make_invite
):
    program = make_program(
        coach, status="published", name="Strength 1-2-1",
        waiver="I train at my own risk.", welcome_message="Welcome! Start with the warm-up.",
    )
    invited = make_invite(program, "ada@example.com")
    page = client.get(f"/invite/{invited.token}").get_data(as_text=True)
    assert "I train at my own risk." in page and 'name="agree"' in page and "required" in page

    refused = client.post(f"/invite/{invited.token}", data={"name": "Ada", "password": PASSWORD})
    assert refused.status_code == 400
    assert "tick the box to agree" in refused.get_data(as_text=True)
    assert count(app, User, email="ada@example.com") == 0
    # Only the tick is missing: the form keeps what was typed, so the phone user only ticks.
    assert element(refused.get_data(as_text=True), "input", name="password")["value"] == PASSWORD
    assert element(refused.get_data(as_text=True), "input", name="name")["value"] == "Ada"
    assert "no-store" in refused.headers["Cache-Control"]  # no cache keeps the page holding it

    response = client.post(f"/invite/{invited.token}", data={"name": "Ada", "password": PASSWORD, "agree": "y"})
    assert response.status_code == 302
    landed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Welcome! Start with the warm-up." in landed


def test_start_date_from_the_invite_is_the_clients_start(app, client, published_program, make_invite, today):
    start = today + timedelta(days=10)
    invited = make_invite(published_program, "ada@example.com", start_date=start)
    client.post(f"/invite/{invited.token}", data={"name": "Ada", "password": PASSWORD})
    assert subscriptions(app)[0].start_date == start


def test_next_week_start_rule_sets_the_start_date(app, client, coach, make_program, make_invite, today):
    program = make_program(coach, status="published", start_rule="next_week_start", week_start=0)
    invited = make_invite(program, "ada@example.com")
    client.post(f"/invite/{invited.token}", data={"name": "Ada", "password": PASSWORD})
    start = subscriptions(app)[0].start_date
    assert start.weekday() == 0 and 0 <= (start - today).days < 7


# --- links that cannot be used ---------------------------------------------------------------


def test_unknown_or_tampered_token_shows_a_clear_page(app, client, invited_client):
    tampered = invited_client.token[:-2] + ("AA" if not invited_client.token.endswith("AA") else "BB")
    for token in ("nope", tampered, "x" * 300):
        response = client.get(f"/invite/{token}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "This invite link is not valid." in page
        assert "ada@example.com" not in page and "Powerlifting" not in page
        assert client.post(f"/invite/{token}", data={"name": "Ada", "password": PASSWORD}).status_code == 404
    assert count(app, User) == 1


def test_expired_invite_is_refused_with_a_clear_page(app, client, invited_client):
    with app.app_context():
        invite = db.session.get(Invite, invited_client.id)
        invite.expires_at = invite.created_at - timedelta(seconds=1)
        db.session.commit()
    response = client.get(f"/invite/{invited_client.token}")
    assert response.status_code == 410
    assert "This invite has expired. Ask your coach to send a new one." in response.get_data(as_text=True)
    response = client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD})
    assert response.status_code == 410
    assert count(app, User, email="ada@example.com") == 0


def test_expiry_follows_the_invite_expiry_days_setting(app, published_program, make_invite):
    app.config["INVITE_EXPIRY_DAYS"] = 3
    invited = make_invite(published_program, "ada@example.com")
    invite = one(app, Invite, id=invited.id)
    assert timedelta(days=2, hours=23) < invite.expires_at - invite.created_at < timedelta(days=3, minutes=1)


def test_used_link_is_refused_and_never_makes_a_second_subscription(app, client, invited_client):
    client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD})
    client.post("/logout")
    response = client.post(f"/invite/{invited_client.token}", data={"name": "Eve", "password": PASSWORD})
    assert response.status_code == 410
    assert "This invite has already been accepted." in response.get_data(as_text=True)
    assert count(app, Subscription) == 1 and count(app, User) == 2


def test_double_click_by_the_accepting_user_lands_on_their_program(app, client, auth, invited_client):
    make_user(app, "Ada", "ada@example.com")
    auth.login("ada@example.com")
    first = client.post(f"/invite/{invited_client.token}")
    second = client.post(f"/invite/{invited_client.token}")
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert count(app, Subscription) == 1


def test_invite_to_a_program_archived_since_is_refused(app, client, invited_client, published_program):
    from fitr.programs.models import Program

    with app.app_context():
        db.session.get(Program, published_program).status = "archived"
        db.session.commit()
    response = client.get(f"/invite/{invited_client.token}")
    assert response.status_code == 410
    assert "not taking new clients" in response.get_data(as_text=True)


def test_the_client_sees_only_their_own_program_page(app, client, auth, invited_client):
    client.post(f"/invite/{invited_client.token}", data={"name": "Ada", "password": PASSWORD})
    sid = subscriptions(app)[0].id
    assert client.get(f"/my/programs/{sid}").status_code == 200
    assert "Powerlifting 1-2-1" in client.get("/my/programs").get_data(as_text=True)
    client.post("/logout")
    make_user(app, "Bo", "bo@example.com")
    auth.login("bo@example.com")
    assert client.get(f"/my/programs/{sid}").status_code == 404


def test_a_malformed_address_is_reported_next_to_the_email_box_left_to_fix(
    app, smtp, logged_in, published_program
):
    response = logged_in.post(
        f"/programs/{published_program}/clients/new",
        data={"emails": "ada@example.com, not-an-email", "message": "See you Monday!"},
    )
    assert response.status_code == 200  # Ada invited; one address left to fix
    page = response.get_data(as_text=True)
    box = page.split('id="emails"', 1)[1].split("</textarea>", 1)[0]
    assert box.endswith("not-an-email")  # only the address still to fix is left in the box
    error = page.split('id="emails-error"', 1)[1].split("</p>", 1)[0]
    assert "“not-an-email” is not a valid email address." in error
    textarea = element(page, "textarea", id="emails")
    assert textarea["aria-invalid"] == "true" and "emails-error" in textarea["aria-describedby"].split()
    assert page.count("is not a valid email address") == 1  # said once, next to the field
    assert "Sending the invite to ada@example.com:" in page


def test_an_unticked_waiver_is_reported_with_the_other_mistakes_at_once(app, client, coach, make_program, make_invite):
    program = make_program(coach, status="published", waiver="I train at my own risk.")
    invited = make_invite(program, "ada@example.com")
    refused = client.post(f"/invite/{invited.token}", data={"name": "", "password": "short"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Enter your name." in page and "Use at least 8 characters." in page
    assert "Read the waiver and tick the box to agree to it." in page.split('id="agree-error"', 1)[1]
    assert count(app, User, email="ada@example.com") == 0
    assert not element(page, "input", name="password").get("value")  # a refused password is typed again


def test_log_in_to_accept_fills_in_the_invited_address(app, client, invited_client):
    make_user(app, "Ada Lovelace", "ada@example.com")
    page = client.get(f"/invite/{invited_client.token}").get_data(as_text=True)
    link = element(page, "a", text="Log in to accept")
    assert link["class"] == "button primary"  # the page's one main action
    login = link["href"]
    form = client.get(login).get_data(as_text=True)
    assert element(form, "input", id="email")["value"] == "ada@example.com"
    response = client.post(login, data={"email": "ada@example.com", "password": PASSWORD})
    assert response.headers["Location"] == f"/invite/{invited_client.token}"


def test_coach_opening_an_invite_they_sent_sees_a_preview_and_cannot_accept_it(
    app, logged_in, published_program, invited_client
):
    response = logged_in.get(f"/invite/{invited_client.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is the invite you sent to ada@example.com, as they see it." in page
    assert "Accept invite" not in page and "Log out, then accept" not in page
    assert f'href="/programs/{published_program}/clients/pending"' in page
    refused = logged_in.post(f"/invite/{invited_client.token}", data={})
    assert refused.status_code == 403
    assert count(app, User, email="ada@example.com") == 0
