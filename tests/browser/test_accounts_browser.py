"""A coach signs up, logs out and logs in again on a phone, in a real browser."""

import re

from conftest import assert_accessible, has_horizontal_scroll
from playwright.sync_api import expect


def test_coach_signs_up_logs_out_and_logs_in_on_a_phone(browser_page):
    page = browser_page
    page.goto("/")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Sign up as a coach").click()

    expect(page.get_by_role("heading", name="Sign up", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Name").fill("Casey Coach")
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Start with a program")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_text("Casey Coach", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_label("Email").fill("CASEY@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    expect(page.get_by_role("heading", name="Programs", exact=True)).to_be_visible()
    expect(page.get_by_text("No programs yet")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_wrong_password_shows_a_message_next_to_the_form(browser_page, coach):
    page = browser_page
    page.goto("/login")
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("That email and password do not match an account.")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
