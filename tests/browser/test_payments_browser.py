"""On a 360 px phone: a client joins a paid program through its invite link, leaves Stripe
Checkout once (stood in by tests/stripe_stub.py), finishes paying from My programs, and lands
on Today once Stripe's signed event has confirmed the payment; the coach sees them as active."""

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import make_user, one
from playwright.sync_api import expect

from fitr.accounts.models import User
from fitr.extensions import db
from fitr.invites.invite_link import link_token, turn_on_link
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def fits_and_reads(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)


def ada_opens_the_invite_link(app, stripe_stub, page, live_server, coach, program_id):
    """Stripe's events go to the live server; Ada, a client, logs in on a 360 px phone and opens
    the program's invite link. Returns the page."""
    stripe_stub.webhook_url = f"{live_server.url}/stripe/webhook"
    make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    with app.test_request_context():
        token = link_token(turn_on_link(db.session.get(Program, program_id), db.session.get(User, coach)))
        db.session.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "ada@example.com")
    page.goto(f"/join/{token}")
    return page


def test_a_client_pays_for_a_program_on_checkout_and_starts_training(app, stripe_stub, browser_page, live_server, coach, published_program):
    page = ada_opens_the_invite_link(app, stripe_stub, browser_page, live_server, coach, published_program)
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


def test_a_client_whose_payment_failed_sees_it_on_her_phone_and_cancels(app, stripe_stub, browser_page, live_server, coach, published_program):
    """Ada pays by card; a renewal fails: Today and My programs say Payment failed with Update
    card; she cancels at the period end and sees when it ends."""
    from stripe_stub import event, post_webhook

    webhook = f"{live_server.url}/stripe/webhook"
    page = ada_opens_the_invite_link(app, stripe_stub, browser_page, live_server, coach, published_program)
    page.get_by_role("button", name="Join program").click()
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    [params] = stripe_stub.checkouts.values()
    failed = {"id": "in_failed", "object": "invoice", "customer": "cus_test_1", "amount_paid": 0, "currency": "gbp",
              "status": "open", "parent": {"type": "subscription_details", "subscription_details": {
                  "subscription": "sub_test_cs_test_1", "metadata": params["metadata"]}},
              "lines": {"data": [{"period": {"start": 1_797_000_000, "end": 1_797_000_000 + 30 * 86400}}]}}  # fmt: skip
    assert post_webhook(webhook, event("invoice.payment_failed", failed)) == 200
    page.reload()
    expect(page.get_by_text("Payment failed")).to_be_visible()
    expect(page.get_by_role("button", name="Update card for Powerlifting 1-2-1")).to_be_visible()
    fits_and_reads(page)

    page.goto("/my/programs")
    expect(page.get_by_text("Payment failed")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("link", name="Cancel subscription to Powerlifting 1-2-1").click()
    expect(page.get_by_role("heading", name="Cancel your subscription to Powerlifting 1-2-1?")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("button", name="Cancel subscription").click()
    expect(page.get_by_text("Your subscription to Powerlifting 1-2-1 is cancelled.")).to_be_visible()
    expect(page.get_by_text("Ends on")).to_be_visible()
    expect(page.get_by_role("button", name="Keep subscription to Powerlifting 1-2-1")).to_be_visible()
    fits_and_reads(page)
    assert stripe_stub.updates == [("sub_test_cs_test_1", {"cancel_at_period_end": "true"})]
    assert one(app, Subscription, client_email="ada@example.com").cancel_at_period_end is True
