"""On a 360 px screen: the coach sees a client sold at an old price, reads on the confirmation
page what Move to the current price does (a card client: from their next payment), and moves a
client who pays outside fitr."""

from datetime import datetime

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import add_subscription, make_user
from playwright.sync_api import expect

from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def fits_and_reads(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)


def sold_at_99(app, program_id, name, email, today, **fields):
    client_id = make_user(app, name, email, is_coach=False)
    sub_id = add_subscription(app, program_id, email, "active", client_id=client_id, start_date=today)
    with app.app_context():
        s = db.session.get(Subscription, sub_id)
        s.price_minor, s.currency, s.billing_period = 9900, "GBP", "monthly"
        for key, value in fields.items():
            setattr(s, key, value)
        db.session.commit()
    return sub_id


def test_the_coach_moves_clients_to_the_current_price_on_a_phone(app, browser_page, coach, published_program, today):
    sold_at_99(app, published_program, "Ada Lovelace", "ada@example.com", today, payment="paid",
               stripe_subscription_id="sub_ada", next_payment_at=datetime(2026, 12, 10, 12, 0))  # fmt: skip
    ben = sold_at_99(app, published_program, "Ben Bauer", "ben@example.com", today, payment="outside")
    with app.app_context():
        db.session.get(Program, published_program).price_minor = 12000
        db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)
    page.goto(f"/programs/{published_program}/clients/active")
    expect(page.get_by_text("Sold at £99.00 / month")).to_have_count(2)
    fits_and_reads(page)

    # A card client: the page says what Stripe will charge, and when (nothing is moved here).
    page.get_by_role("link", name="Move to the current price for Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Move Ada Lovelace to the current price?")).to_be_visible()
    expect(page.get_by_text("From their next payment, on Thu 10 Dec 2026, they are charged £120.00 / month.")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("link", name="Back").click()

    # A client who pays outside fitr simply holds the new price.
    page.get_by_role("link", name="Move to the current price for Ben Bauer").click()
    expect(page.get_by_text("their plan simply shows £120.00 / month from now on")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("button", name="Move to the current price").click()
    expect(page.get_by_text("Ben Bauer is moved to £120.00 / month.")).to_be_visible()
    expect(page.get_by_role("link", name="Move to the current price for Ben Bauer")).to_have_count(0)
    expect(page.get_by_text("Sold at £99.00 / month")).to_have_count(1)  # Ada's, still
    with app.app_context():
        assert db.session.get(Subscription, ben).price_minor == 12000
