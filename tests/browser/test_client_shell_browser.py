"""A client's phone shell at 360 x 740 (a phone, touch): the five tabs in a bar at the bottom, a
one-line header, 44 px targets, Start on today's session, and Messages' unread count. A coach's
navigation stays as it was."""

from conftest import has_horizontal_scroll, log_in
from factories import plan, update_user
from playwright.sync_api import expect

SMALL_PHONE = {"width": 360, "height": 740}
TABS = ["Today", "Calendar", "History", "Records", "Messages"]
TAP_MIN = 44  # px: the smallest touch target


def phone(browser, live_server):
    """A tab on a small touch phone, watched like browser_page's."""
    context = browser.new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    return context.new_page()


def as_client_only(app, user_id):
    """The gym's athletes are accounts that may coach; a client of fitr who only trains is not."""
    update_user(app, user_id, is_coach=False)


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def tab_bar(page):
    return page.get_by_role("navigation", name="Main").get_by_role("list").filter(has=page.get_by_role("link", name="Today"))


def test_a_client_on_a_phone_has_five_tabs_at_the_bottom_a_one_line_header_and_44px_targets(app, gym, browser, page_watch, live_server):
    as_client_only(app, gym.ada)
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day", exercises=[("Back Squat", 3, 5, 100)])
    page = page_watch.page(phone(browser, live_server))
    log_in(page, "ada@example.com")
    page.goto("/my")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    bar = tab_bar(page)
    tabs = bar.get_by_role("link")
    expect(tabs).to_have_text(TABS)
    expect(bar.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    for name in TABS[1:]:
        expect(bar.get_by_role("link", name=name)).not_to_have_attribute("aria-current", "page")
    bar_box = box(bar)
    assert abs(bar_box["y"] + bar_box["height"] - SMALL_PHONE["height"]) <= 1, bar_box  # at the bottom of the screen
    for index in range(tabs.count()):
        tab = box(tabs.nth(index))
        print(f"\n{TABS[index]} tab {tab['width']:.0f}x{tab['height']:.0f} px", end="")
        assert tab["width"] >= TAP_MIN and tab["height"] >= TAP_MIN, (TABS[index], tab)
        assert tab["y"] >= bar_box["y"] - 1  # one row, inside the bar
        expect(tabs.nth(index).locator("svg.icon")).to_be_attached()  # an icon above the label

    header = box(page.locator("header.site-header"))
    header_items = [page.get_by_role("link", name="fitr", exact=True), page.get_by_role("link", name="Settings"),
                    page.get_by_role("button", name="Log out")]  # fmt: skip
    print(f"\nheader {header['width']:.0f}x{header['height']:.0f} px")
    assert header["height"] < 2 * TAP_MIN, header  # one line of 44 px targets
    for item in header_items:
        found = box(item)
        assert found["height"] >= TAP_MIN and found["width"] >= TAP_MIN, found
        assert found["y"] + found["height"] <= header["y"] + header["height"] + 1  # on the header's one line

    card = page.locator(f'.planned[data-session-id="{session_id}"]')
    start = card.get_by_role("link", name="Start", exact=True)
    comment = card.get_by_role("link", name="Comment", exact=True)
    expect(start).to_have_accessible_description("Squat day")
    for target in (start, comment):
        found = box(target)
        print(f"\n{target.text_content().strip()} {found['width']:.0f}x{found['height']:.0f} px", end="")
        assert found["height"] >= TAP_MIN and found["width"] >= TAP_MIN, found
    comment_box = box(comment)
    assert comment_box["height"] < 2 * TAP_MIN  # "Comment" on one line, not a letter a line
    assert not has_horizontal_scroll(page)

    # The bar covers nothing: scrolled to the end, the page's last line is above it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("main > :last-child")
    assert box(last)["y"] + box(last)["height"] <= box(bar)["y"] + 1

    start.click()  # workout mode, full screen; Close leads to the session's page
    page.wait_for_url(f"**/my/sessions/{session_id}/workout")
    expect(page.get_by_role("heading", name="Squat day")).to_be_visible()
    expect(page.get_by_role("button", name="Finish workout")).to_be_visible()
    assert not has_horizontal_scroll(page)
    page.get_by_role("link", name="Close workout mode").click()
    page.wait_for_url(f"**/my/sessions/{session_id}")
    expect(page.get_by_role("heading", name="Squat day")).to_be_visible()
    expect(page.get_by_role("button", name="Save log")).to_be_visible()
    expect(tab_bar(page).get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    assert not has_horizontal_scroll(page)

    for name, heading in [("History", "Training history"), ("Records", "Personal Records"), ("Calendar", "My programs"), ("Messages", "Messages")]:
        tab_bar(page).get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(tab_bar(page).get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        expect(tab_bar(page).locator('[aria-current="page"]')).to_have_count(1)
        assert not has_horizontal_scroll(page), name
    assert page.js_errors == []


def test_calendar_opens_the_only_programs_calendar_and_my_programs_when_there_are_several(app, gym, browser, page_watch, live_server):
    as_client_only(app, gym.ben)
    as_client_only(app, gym.ada)
    page = page_watch.page(phone(browser, live_server))
    log_in(page, "ben@example.com")  # in Strength 1-2-1 only
    tab_bar(page).get_by_role("link", name="Calendar").click()
    page.wait_for_url(f"**/my/programs/{gym.ben_sub}/calendar")
    expect(tab_bar(page).get_by_role("link", name="Calendar")).to_have_attribute("aria-current", "page")
    assert not has_horizontal_scroll(page)

    page.get_by_role("button", name="Log out").click()
    log_in(page, "ada@example.com")  # in Strength 1-2-1 and Team Barbell
    tab_bar(page).get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="My programs")).to_be_visible()
    page.get_by_role("link", name="Calendar of Team Barbell").click()
    page.wait_for_url(f"**/my/programs/{gym.ada_team}/calendar")
    assert not has_horizontal_scroll(page)
    assert page.js_errors == []


def test_the_messages_tab_shows_the_unread_count_until_the_client_reads(app, gym, browser, page_watch, live_server):
    as_client_only(app, gym.ada)
    page = page_watch.page(phone(browser, live_server))
    log_in(page, "ada@example.com")
    messages = tab_bar(page).get_by_role("link", name="Messages")
    expect(messages).to_have_text("Messages")

    laptop_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    laptop = page_watch.page(laptop_context.new_page())
    log_in(laptop)
    laptop.goto(f"/messages/{gym.coach}/{gym.ada}")
    laptop.get_by_label("Your message").fill("Deload this week")
    laptop.get_by_role("button", name="Send").click()
    expect(laptop.get_by_role("log")).to_contain_text("Deload this week")

    page.reload()
    expect(messages).to_have_accessible_name("Messages 1 unread")
    badge = box(messages.locator(".badge"))
    tab = box(messages)
    assert tab["x"] <= badge["x"] and badge["x"] + badge["width"] <= tab["x"] + tab["width"]  # on the tab
    assert not has_horizontal_scroll(page)
    messages.click()
    page.get_by_role("link", name="Casey Coach").click()
    expect(page.get_by_role("log")).to_contain_text("Deload this week")
    tab_bar(page).get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(tab_bar(page).get_by_role("link", name="Messages")).to_have_accessible_name("Messages")
    expect(tab_bar(page).get_by_role("link", name="Messages")).to_have_text("Messages")
    assert page.js_errors == []


def test_a_coach_on_a_phone_keeps_their_navigation_and_has_no_tab_bar(app, gym, browser, page_watch, live_server):
    page = page_watch.page(phone(browser, live_server))
    log_in(page)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Programs")).to_be_visible()
    expect(nav.get_by_role("link", name="My training")).to_be_visible()
    expect(page.locator(".tab-bar")).to_have_count(0)
    expect(page.locator("body.has-tab-bar")).to_have_count(0)
    page.goto("/my")  # a coach who also trains: My training's tabs in the page, not a bar
    expect(page.get_by_role("navigation", name="My training")).to_be_visible()
    expect(page.locator(".tab-bar")).to_have_count(0)
    assert not has_horizontal_scroll(page)
    assert page.js_errors == []
