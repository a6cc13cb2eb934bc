"""On a 360 px phone: the billing period follows the program type until the coach picks one;
a visitor joins a paid program from its public page and pays on Checkout (the stand-in)."""

from datetime import datetime

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import PASSWORD, add_subscription, confirm_path, make_user, one
from playwright.sync_api import expect

from fitr.extensions import db
from fitr.programs.models import Program
from fitr.subscriptions.models import Subscription


def fits_and_reads(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)


def test_the_billing_period_follows_the_type_until_the_coach_picks_one(browser_page, coach):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)
    page.goto("/programs/new")
    period = page.get_by_label("Billing period")
    expect(period).to_have_value("monthly")
    page.get_by_label("Fixed Length").check()
    expect(period).to_have_value("one_off")
    page.get_by_label("Group").check()
    expect(period).to_have_value("monthly")
    page.get_by_label("Fixed Length").check()
    expect(period).to_have_value("one_off")
    fits_and_reads(page)
    # Once the coach picks a period, the type leaves it alone.
    period.select_option("yearly")
    page.get_by_label("1-2-1", exact=True).check()
    expect(period).to_have_value("yearly")


def test_a_visitor_joins_a_paid_program_from_its_public_page_and_pays(app, smtp, stripe_stub, browser_page, live_server, coach, published_program):
    stripe_stub.webhook_url = f"{live_server.url}/stripe/webhook"
    with app.app_context():
        slug = db.session.get(Program, published_program).public_slug
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"/p/{slug}")
    expect(page.get_by_text("£99.00 / month")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("link", name="Join", exact=True).click()

    # A new visitor makes an account; the emailed link proves it and brings her back.
    expect(page.get_by_role("heading", name="Join Powerlifting 1-2-1")).to_be_visible()
    fits_and_reads(page)
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up to join").click()
    expect(page.get_by_text("We sent a link to")).to_be_visible()
    page.goto(confirm_path(smtp, "ada@example.com"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("Joining as")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("button", name="Join and pay").click()

    # Stripe Checkout (the stand-in): she pays, and is in once Stripe's signed event arrived.
    expect(page.get_by_role("heading", name="Pay Powerlifting 1-2-1")).to_be_visible()
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_text("You joined Powerlifting 1-2-1.")).to_be_visible()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    fits_and_reads(page)
    subscription = one(app, Subscription, client_email="ada@example.com")
    assert (subscription.status, subscription.payment) == ("active", "paid")


def test_the_coach_sees_a_clients_money_and_the_move_question_on_a_phone(app, browser_page, coach, published_program, today):
    ada = make_user(app, "Ada Lovelace", "ada@example.com", is_coach=False)
    subscription = add_subscription(app, published_program, "ada@example.com", "active", client_id=ada, start_date=today)
    with app.app_context():
        s = db.session.get(Subscription, subscription)
        s.payment, s.price_minor, s.currency, s.billing_period = "paid", 9900, "GBP", "monthly"
        s.stripe_subscription_id, s.next_payment_at = "sub_ada", datetime(2026, 12, 10, 12, 0)
        db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)
    page.goto(f"/programs/{published_program}")
    expect(page.get_by_text("Plan: £99.00 / month · Active · Next payment Thu 10 Dec 2026, £99.00")).to_be_visible()
    expect(page.get_by_role("link", name="Download payments (CSV)")).to_be_visible()
    fits_and_reads(page)
    page.get_by_role("link", name="Overview of Ada Lovelace").click()
    money = page.get_by_role("region", name="Payment")
    expect(money).to_contain_text("Next payment")
    expect(money).to_contain_text("Thu 10 Dec 2026, £99.00")
    fits_and_reads(page)
    page.go_back()
    page.get_by_role("link", name="Move to program for Ada Lovelace").click()
    expect(page.get_by_role("group", name="Their card payment")).to_be_visible()
    expect(page.get_by_label("Cancel their card payment")).to_be_visible()
    expect(page.get_by_label("Keep it going")).to_be_visible()
    fits_and_reads(page)
