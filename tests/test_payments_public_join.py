"""Join from a paid program's public page: with card payments on, the visitor makes an account
(or logs in), goes to Stripe Checkout and is active once Stripe's signed event confirms the
payment; without Stripe the page says to contact the coach, as before."""

import pytest
from factories import count, element, elements, make_user, one, sign_up_and_join
from stripe_stub import sign

from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


@pytest.fixture
def slug(app, published_program):
    with app.app_context():
        return db.session.get(Program, published_program).public_slug


def post_event(client, payload):
    return client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload)}, content_type="application/json")


def test_without_stripe_the_public_page_says_contact_the_coach(app, client, slug):
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert "Contact Casey Coach at" in page and not elements(page, "a", "Join")
    assert client.get(f"/p/{slug}/join").status_code == 404
    assert client.post(f"/p/{slug}/join", data={"name": "Ada", "email": "ada@example.com", "password": "x" * 12}).status_code == 404


def test_a_logged_in_client_joins_from_the_public_page_and_pays(app, client, auth, stripe_stub, slug, today):
    make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert element(page, "a", "Join")["href"] == f"/p/{slug}/join"
    auth.login("ada@example.com")
    page = client.get(f"/p/{slug}/join").get_data(as_text=True)
    assert element(page, "button", "Join and pay") is not None and "£99.00 / month" in page
    response = client.post(f"/p/{slug}/join")
    assert response.status_code == 303 and response.headers["Location"] == f"{stripe_stub.url}/pay/cs_test_1"
    sub = one(app, Subscription)
    assert (sub.status, sub.payment, sub.price_minor, sub.client_email) == ("pending", "awaiting", 9900, "ada@example.com")
    assert stripe_stub.checkouts["cs_test_1"]["metadata"]["fitr_subscription_id"] == str(sub.id)
    # Back without paying, then again: the same place, a new Checkout.
    assert client.post(f"/p/{slug}/join").headers["Location"] == f"{stripe_stub.url}/pay/cs_test_2"
    assert count(app, Subscription) == 1
    assert post_event(client, stripe_stub.completed_event("cs_test_2")).status_code == 200
    assert (one(app, Subscription).status, one(app, Subscription).payment, one(app, Subscription).start_date) == ("active", "paid", today)
    # Joined: the page sends her to her training, with no second subscription.
    response = client.post(f"/p/{slug}/join")
    assert response.status_code == 302 and response.headers["Location"] == "/my"
    assert count(app, Subscription) == 1


def test_a_new_visitor_signs_up_confirms_and_goes_to_checkout(app, client, smtp, stripe_stub, slug):
    response = sign_up_and_join(client, smtp, f"/p/{slug}/join", "Ben Newman", "ben@example.com")
    assert response.status_code == 303 and response.headers["Location"].startswith(f"{stripe_stub.url}/pay/")
    sub = one(app, Subscription)
    assert (sub.client_email, sub.payment, sub.status) == ("ben@example.com", "awaiting", "pending")


def test_the_coach_cannot_join_their_own_program(app, client, logged_in, stripe_stub, slug):
    page = logged_in.get(f"/p/{slug}/join").get_data(as_text=True)
    assert "This is your own program's public page" in page and not elements(page, "button", "Join and pay")
    assert logged_in.post(f"/p/{slug}/join").status_code == 403
    assert count(app, Subscription) == 0 and stripe_stub.checkouts == {}


def test_someone_invited_is_sent_to_their_invite(app, client, auth, stripe_stub, slug, published_program, make_invite):
    make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    make_invite(published_program, "ada@example.com")
    auth.login("ada@example.com")
    response = client.post(f"/p/{slug}/join")
    assert response.status_code == 400
    assert "Casey Coach has invited you to Powerlifting 1-2-1: join with the link in their email." in response.get_data(as_text=True)
    assert one(app, Subscription).payment == "" and stripe_stub.checkouts == {}


def test_a_free_draft_or_unknown_program_has_no_join(app, client, coach, stripe_stub, make_program):
    draft = make_program(coach, name="Draft", price_minor=9900, currency="GBP")
    with app.app_context():
        draft_slug = db.session.get(Program, draft).public_slug
    for path in (f"/p/{draft_slug}/join", "/p/nothing-here/join", f"/p/{'x' * 40}/join"):
        assert client.get(path).status_code == 404
