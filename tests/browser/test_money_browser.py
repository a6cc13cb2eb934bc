"""On a 360 px phone: the billing period follows the program type until the coach picks one;
a visitor joins a paid program from its public page and pays on Checkout (the stand-in)."""

from conftest import assert_accessible, has_horizontal_scroll, log_in
from playwright.sync_api import expect


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
