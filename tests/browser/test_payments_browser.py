"""On a 360 px phone: a client joins a paid program through its invite link, leaves Stripe
Checkout once (stood in by tests/stripe_stub.py), finishes paying from My programs, and lands
on Today once Stripe's signed event has confirmed the payment; the coach sees them as active."""

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import make_user, one
from playwright.sync_api import expect

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.invites.links import link_token, turn_on_link
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def fits_and_reads(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)


def test_a_client_pays_for_a_program_on_checkout_and_starts_training(app, stripe_stub, browser_page, live_server, coach, published_program):
    stripe_stub.webhook_url = f"{live_server.url}/stripe/webhook"
    make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, published_program), db.session.get(User, coach)))
        db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    log_in(page, "ada@example.com")
    page.goto(f"/join/{token}")
    expect(page.get_by_text("£99.00 / month")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("button", name="Join program").click()

    # Stripe Checkout (the stand-in): Ada goes back without paying.
    expect(page.get_by_role("heading", name="Pay Powerlifting 1-2-1")).to_be_visible()
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_text("You left the payment page without paying.")).to_be_visible()
    expect(page.get_by_text("Awaiting payment")).to_be_visible()
    fits_and_reads(page)
    assert one(app, Subscription, client_email="ada@example.com").status == "pending"

    # Later she finishes paying.
    page.get_by_role("button", name="Finish paying for Powerlifting 1-2-1").click()
    expect(page.get_by_role("heading", name="Pay Powerlifting 1-2-1")).to_be_visible()
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_text("You joined Powerlifting 1-2-1.")).to_be_visible()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    fits_and_reads(page)
    subscription = one(app, Subscription, client_email="ada@example.com")
    assert (subscription.status, subscription.payment) == ("active", "paid")

    # The coach sees Ada among Active clients.
    page.get_by_role("button", name="Log out").click()
    log_in(page)
    page.goto(f"/programs/{published_program}/clients/active")
    expect(page.get_by_role("tabpanel").get_by_text("Ada Lovelace", exact=True)).to_be_visible()
    expect(page.get_by_role("tabpanel").get_by_text("Paid", exact=True)).to_be_visible()
    fits_and_reads(page)
