"""Light and dark in a real browser: pages follow the device's setting until the user chooses
Light or Dark in Settings; and the watch every browser test runs under checks contrast in both
themes (tests/browser_watch.py)."""

import pytest
from browser_watch import PageWatch, accessible_now
from conftest import PHONE, log_in

LIGHT_PAGE = "rgb(246, 247, 249)"  # --color-bg of each theme (static/css/tokens.css)
DARK_PAGE = "rgb(15, 18, 23)"


def page_colour(page):
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


@pytest.fixture
def device(browser, live_server):
    """A phone whose own setting is light or dark: device("dark") is a new tab on one."""

    def open_on(scheme):
        context = browser.new_context(viewport=PHONE, base_url=live_server.url, color_scheme=scheme)
        context.set_default_timeout(10_000)
        return context.new_page()

    return open_on


def choose_theme(page, label):
    page.goto("/my/settings")
    page.get_by_role("radio", name=label).check()
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/my/settings")


def test_pages_follow_the_device_until_the_user_chooses_in_settings(device, coach):
    dark_phone = device("dark")
    dark_phone.goto("/login")
    assert page_colour(dark_phone) == DARK_PAGE
    log_in(dark_phone)
    assert page_colour(dark_phone) == DARK_PAGE  # System, the default
    choose_theme(dark_phone, "Light")
    assert page_colour(dark_phone) == LIGHT_PAGE
    dark_phone.goto("/programs/")
    assert page_colour(dark_phone) == LIGHT_PAGE

    light_phone = device("light")
    log_in(light_phone)
    assert page_colour(light_phone) == LIGHT_PAGE  # the choice is the user's, on every device
    choose_theme(light_phone, "Dark")
    assert page_colour(light_phone) == DARK_PAGE
    choose_theme(light_phone, "System")
    assert page_colour(light_phone) == LIGHT_PAGE


@pytest.fixture
def watched(chromium, live_server):
    """A watch of its own, and a page under it (not the test's own watch, which must stay clean)."""
    watch = PageWatch()
    context = watch.context(chromium.new_context(viewport=PHONE, base_url=live_server.url))
    page = watch.page(context.new_page())
    yield watch, page
    context.close()


def test_the_watch_finds_text_that_only_the_dark_theme_makes_unreadable(watched):
    watch, page = watched
    page.goto("/login")
    assert accessible_now(page) == []
    # Dark text written with a colour of its own: readable on the light page, not on the dark one.
    page.evaluate("() => { document.querySelector('h1').style.color = 'rgb(28, 35, 48)'; }")
    found = accessible_now(page)
    assert found and all("color-contrast (serious)" in v and "(dark theme)" in v for v in found), found
    assert page.evaluate("() => document.documentElement.dataset.theme") == "system"  # put back
    assert page_colour(page) == LIGHT_PAGE
