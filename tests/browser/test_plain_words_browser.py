"""Words a coach understands, in the browser: on a server without email an invite comes back as
a plain sentence with its link to copy, at 1280×800 and on a 360 px phone."""

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import accept_link
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def test_without_email_the_coach_gets_the_invite_link_to_copy_in_plain_words(browser_page, coach, make_program):
    program = make_program(coach, status="published", name="Strength 1-2-1", price_minor=4999, billing_period="monthly")
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page)
    for size, email in ((DESKTOP, "ada@example.com"), (PHONE, "ben@example.com")):
        page.set_viewport_size(size)
        page.goto(f"/programs/{program}")
        expect(page.get_by_text("ask the person who hosts fitr to follow “Take payments” in fitr’s README")).to_be_visible()
        page.get_by_role("link", name="Add client").click()
        page.get_by_role("textbox", name="Email").fill(email)
        page.get_by_role("button", name="Send invite").click()

        toast = page.locator(".toast-warning")
        expect(toast).to_contain_text(f"This server does not send email, so the invite to {email} was saved but not emailed.")
        link = page.get_by_role("textbox", name=f"Invite link for {email}")
        expect(link).to_be_visible()
        value = link.input_value()
        assert accept_link(value) == value
        toast.get_by_role("button", name=f"Copy the invite link for {email}").click()
        expect(toast.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == value
        assert "MAIL_" not in page.content() and "STRIPE_" not in page.content()
        assert not has_horizontal_scroll(page)
        assert_accessible(page)
