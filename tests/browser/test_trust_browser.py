"""Trust, in a real browser: an account takes the time zone of the device it was made on, and
Log out everywhere ends every browser's login, "Keep me logged in" included."""

import re

from conftest import PASSWORD, PHONE, assert_accessible, has_horizontal_scroll, log_in
from playwright.sync_api import expect
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.extensions import db


def new_page(browser, live_server, **options):
    """A phone-sized tab in a browser of its own (its own cookies), recording script errors."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def time_zone_of(app, email):
    with app.app_context():
        return db.session.scalar(select(User.time_zone).where(User.email == email))


def test_a_coach_signing_up_in_california_gets_californias_time_zone_and_can_change_it(app, browser, live_server):
    page = new_page(browser, live_server, timezone_id="America/Los_Angeles")
    page.goto("/signup")
    page.get_by_label("Name").fill("Casey Coach")
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    assert time_zone_of(app, "casey@example.com") == "America/Los_Angeles"

    page.goto("/my/settings")
    expect(page.get_by_label("Time zone")).to_have_value("America/Los_Angeles")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("dates in Europe/London")).to_be_visible()
    assert time_zone_of(app, "casey@example.com") == "Europe/London"
    assert not has_horizontal_scroll(page) and page.js_errors == []
    assert_accessible(page)
    page.context.close()


def test_log_out_everywhere_ends_every_browsers_login_and_keep_me_logged_in(app, browser, live_server, coach):
    laptop = new_page(browser, live_server)
    log_in(laptop)
    phone = new_page(browser, live_server)
    phone.goto("/login")
    phone.get_by_label("Email").fill("casey@example.com")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_label("Keep me logged in").check()
    phone.get_by_role("button", name="Log in").click()
    expect(phone).to_have_url(re.compile(r"/home$"))
    remembered = [c for c in phone.context.cookies() if c["name"] == "remember_token"]
    assert remembered, "Keep me logged in sets its cookie"

    laptop.goto("/my/settings")
    laptop.once("dialog", lambda dialog: dialog.accept())
    laptop.get_by_role("button", name="Log out everywhere").click()
    expect(laptop.get_by_text("You are logged out everywhere.")).to_be_visible()

    phone.goto("/programs/")
    expect(phone).to_have_url(re.compile(r"/login"))
    # A copy of the "Keep me logged in" cookie alone, in a fresh browser, opens nothing either.
    stranger = new_page(browser, live_server)
    stranger.context.add_cookies(remembered)
    stranger.goto("/programs/")
    expect(stranger).to_have_url(re.compile(r"/login"))
    for page in (laptop, phone, stranger):
        page.context.close()


def test_a_second_coach_signs_up_on_a_phone_and_confirms_by_the_emailed_link(app, browser, live_server, coach, smtp):
    page = new_page(browser, live_server)
    page.goto("/signup")
    page.get_by_label("Name").fill("Olive Other")
    page.get_by_label("Email").fill("olive@example.com")
    page.get_by_label("Password").fill("olive's own passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("olive@example.com")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    [message] = smtp.wait_for(1)
    link = re.search(r"https?://\S+(/confirm/\S+)", smtp.text(message)).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm your email")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("Your email address is confirmed.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/home$"))
    assert page.js_errors == []
    page.context.close()
