"""Toasts on a phone: good news leaves by itself so it never sits over the page's own buttons,
and stays while the person is on its Dismiss button; an error stays until it is dismissed.
The page's timers run on Playwright's clock, moved on by the test, not by waiting."""

from conftest import log_in
from factories import PASSWORD, pay_by_card


def save_settings(page):
    page.goto("/my/settings")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/my/settings")
    return page.get_by_role("status").filter(has_text="Settings saved")


def test_good_news_leaves_by_itself_after_six_seconds(browser_page, coach):
    browser_page.clock.install()
    log_in(browser_page)
    toast = save_settings(browser_page)
    toast.wait_for()
    browser_page.clock.run_for(5_000)
    assert toast.is_visible()
    browser_page.clock.run_for(1_500)
    toast.wait_for(state="detached")


def test_good_news_stays_while_focus_is_on_its_dismiss_button_and_dismiss_removes_it(browser_page, coach):
    browser_page.clock.install()
    log_in(browser_page)
    toast = save_settings(browser_page)
    dismiss = toast.get_by_role("button", name="Dismiss")
    dismiss.focus()
    browser_page.clock.run_for(60_000)
    assert toast.is_visible()
    dismiss.click()
    toast.wait_for(state="detached")
    assert browser_page.evaluate("() => document.activeElement.id") == "main"


def test_an_error_stays_until_it_is_dismissed(app, gym, stripe_stub, browser_page):
    """Ada pays by card and Stripe fails to cancel it: her account stays, and the page says why
    in an error toast that waits for her."""
    pay_by_card(app, gym.ada_sub)
    browser_page.clock.install()
    log_in(browser_page, "ada@example.com")
    browser_page.goto("/my/settings/delete")
    browser_page.get_by_label("Password").fill(PASSWORD)
    stripe_stub.fail_next = True
    browser_page.get_by_role("button", name="Delete my account").click()
    error = browser_page.get_by_role("status").filter(has_text="could not be cancelled")
    error.wait_for()
    browser_page.clock.run_for(60_000)
    assert error.is_visible()
    error.get_by_role("button", name="Dismiss").click()
    error.wait_for(state="detached")
