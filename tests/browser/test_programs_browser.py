"""A coach creates, publishes and edits a 1-2-1 program on a phone, in a real browser."""

import re

from conftest import assert_accessible, has_horizontal_scroll, log_in
from playwright.sync_api import expect


def test_coach_creates_publishes_and_edits_a_1_2_1_program(browser_page, coach):
    page = browser_page
    log_in(page)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    # Go to Programs and click Create program.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="Create program").first.click()
    expect(page.get_by_role("heading", name="Create program")).to_be_visible()
    expect(page.get_by_label("1-2-1", exact=True)).to_be_checked()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_label("Name").fill("Strength Block")
    page.get_by_label("Description").fill("Four weeks.\nThree sessions a week.")
    page.get_by_label("1-2-1", exact=True).check()

    # Free (invite-only) clears and disables the price; unticking it brings the price back.
    page.get_by_label("Amount").fill("49.99")
    page.get_by_label("Free (invite-only)").check()
    expect(page.get_by_label("Amount")).to_be_disabled()
    expect(page.get_by_label("Amount")).to_have_value("")
    page.get_by_label("Free (invite-only)").uncheck()
    expect(page.get_by_label("Amount")).to_be_enabled()
    expect(page.get_by_label("Amount")).to_have_value("49.99")

    page.get_by_label("Currency").select_option("GBP")
    page.get_by_label("Billing period").select_option("monthly")
    page.get_by_label("Sunday").check()
    page.get_by_label("Welcome message").fill("Welcome aboard!")
    page.get_by_label("Clients can see ahead").select_option("14")
    page.get_by_role("button", name="Create program").click()

    # A new program is a draft: Add client is disabled, and says why.
    expect(page.get_by_role("heading", name="Strength Block")).to_be_visible()
    expect(page.get_by_text("Program created as a draft")).to_be_visible()
    expect(page.get_by_role("button", name="Add client")).to_be_disabled()
    expect(page.get_by_text("Publish the program to add clients.")).to_be_visible()
    expect(page.get_by_text("£49.99 / month").first).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. You can now add clients.")).to_be_visible()
    expect(page.get_by_role("link", name="Add client")).to_be_visible()
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    # The tabs swap with htmx and the URL names the tab shown.
    expect(page.get_by_role("tab", name=re.compile("Active clients"))).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name=re.compile("Pending invites")).click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/clients/pending$"))
    expect(page.get_by_role("tab", name=re.compile("Pending invites"))).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("No pending invites.")).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit program")).to_be_visible()
    expect(page.get_by_label("Amount")).to_have_value("49.99")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Name").fill("Strength Block II")
    page.get_by_label("Amount").fill("59")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", name="Strength Block II")).to_be_visible()
    expect(page.get_by_text("Program saved.")).to_be_visible()
    expect(page.get_by_text("£59.00 / month").first).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    card = page.locator(".program-card", has_text="Strength Block II")
    expect(card).to_contain_text("1-2-1")
    expect(card).to_contain_text("Published")
    expect(card).to_contain_text("0 active clients")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_bad_price_shows_a_message_next_to_the_field(browser_page, coach):
    page = browser_page
    log_in(page)
    page.goto("/programs/new")
    page.get_by_label("Name").fill("Strength Block")
    page.get_by_label("Amount").fill("-5")
    page.get_by_role("button", name="Create program").click()
    expect(page.locator("#price-error")).to_have_text("The price cannot be negative.")
    expect(page.get_by_label("Amount")).to_have_attribute("aria-invalid", "true")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)


def test_public_program_page_fits_a_phone(browser_page, app, coach, make_program):
    from fitr.extensions import db
    from fitr.programs.models import Program

    program_id = make_program(coach, status="published", name="Hypertrophy " * 8, price_minor=12000,
                              currency="USD", billing_period="weekly",
                              description="Twelve weeks of building.\n" + "Supercalifragilistic" * 6)
    with app.app_context():
        slug = db.session.get(Program, program_id).public_slug
    page = browser_page
    page.goto(f"/p/{slug}")
    expect(page.get_by_text("Coached by Casey Coach")).to_be_visible()
    expect(page.get_by_text("$120.00 / week")).to_be_visible()
    expect(page.get_by_role("link", name="casey@example.com")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_unpublished_program_with_clients_explains_why_delete_is_disabled_on_a_360px_phone(
    browser_page, coach, make_program, add_subscription, make_invite
):
    program = make_program(coach, status="published", name="Strength Block")
    add_subscription(program, "bo@example.com", status="active", name="Bo Diddley")
    make_invite(program, "ada@example.com")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)
    page.goto(f"/programs/{program}")
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("Unpublished: the program is a draft again.")).to_be_visible()

    delete = page.get_by_role("button", name="Delete", exact=True)
    expect(delete).to_be_disabled()
    expect(delete).to_have_accessible_description(re.compile(r"This program has 2 clients .* Archive it instead"))
    assert page.get_by_role("link", name="Delete").count() == 0
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("tab", name="Pending invites (1)").click()
    expect(page.get_by_role("note")).to_contain_text("Paused while unpublished")
    expect(page.get_by_role("button", name=re.compile("^Revoke"))).to_be_visible()
    assert page.get_by_role("button", name=re.compile("^(Resend|Copy link)")).count() == 0
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def tab_to(page, name, limit=60):
    """Press Tab until the element with this accessible name has focus (a keyboard user's way)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return True
    return False


def test_keyboard_user_reaches_every_tab_of_the_program_page_and_add_client(
    browser_page, coach, make_program, add_subscription, make_invite
):
    program = make_program(coach, status="published", name="Strength Block")
    add_subscription(program, "bo@example.com", status="active", name="Bo Diddley")
    make_invite(program, "ada@example.com")
    page = browser_page
    log_in(page)
    page.goto(f"/programs/{program}")
    expect(page.get_by_role("tab", name="Active clients (1)")).to_have_attribute("aria-selected", "true")

    assert tab_to(page, "Pending invites (1)"), "Pending invites cannot be reached with the Tab key"
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="Pending invites (1)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_text("ada@example.com", exact=True)).to_be_visible()

    page.goto(f"/programs/{program}/clients/new")
    assert tab_to(page, "Invite link"), "Invite link cannot be reached with the Tab key"
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Turn on invite link")).to_be_visible()
    assert page.js_errors == []


def test_a_long_active_clients_list_is_the_page_not_a_small_scroll_box(browser, live_server, coach, make_program, add_subscription):
    # The calendar's client switcher once shared its class with these rows and capped them at
    # 40% of the screen in a box of their own; the buttons lost their centred labels too.
    program = make_program(coach, status="published", name="Big 1-2-1")
    for n in range(30):
        add_subscription(program, f"client{n}@example.com", status="active", name=f"Client {n:02d}")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    log_in(page)
    page.goto(f"/programs/{program}")
    rows = page.get_by_role("list").filter(has_text="Client 00")
    expect(rows.get_by_role("listitem")).to_have_count(30)
    assert rows.evaluate("ul => ul.scrollHeight <= ul.clientHeight + 1")
    calendar = page.get_by_role("link", name="Calendar of Client 00")
    assert calendar.evaluate("a => getComputedStyle(a).display") == "flex"
    context.close()
