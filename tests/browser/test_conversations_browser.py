"""The loop of comments on a phone: a client comments on today's session, the coach is told and
answers in the session editor from another browser, and the answer appears on the client's phone
without a reload. Messages fit a 360 px phone too."""

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import plan
from playwright.sync_api import expect


@pytest.mark.config(POLL_SECONDS=1)
def test_a_client_comments_on_a_phone_and_sees_the_coachs_answer_without_reloading(app, gym, browser, browser_page, live_server):
    plan(app, gym.ada_sub, gym.today, title="Squat day")
    phone = browser_page
    phone.set_viewport_size({"width": 360, "height": 740})
    log_in(phone, "ada@example.com")
    phone.goto("/my")
    expect(phone.get_by_role("link", name="Comment", exact=True)).to_have_accessible_description("Squat day")
    phone.get_by_role("link", name="Comment", exact=True).click()
    expect(phone.get_by_role("heading", name="Comments")).to_be_visible()
    phone.get_by_label("Your comment").fill("Knee felt odd on set 3 <b>really</b>")
    phone.get_by_role("button", name="Comment", exact=True).click()
    thread = phone.get_by_role("log", name="Comments")
    expect(thread).to_contain_text("Knee felt odd on set 3 <b>really</b>")  # plain text, as typed
    expect(phone.get_by_label("Your comment")).to_have_value("")
    assert not has_horizontal_scroll(phone)
    assert_accessible(phone)

    laptop_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    laptop = laptop_context.new_page()
    try:
        log_in(laptop)
        expect(laptop.get_by_role("link", name="Messages 1 unread")).to_be_visible()
        laptop.goto("/notices")
        laptop.get_by_role("link", name="Ada Athlete commented on Squat day (Strength 1-2-1): “Knee felt odd on set 3 <b>really</b>”").click()
        dialog = laptop.get_by_role("dialog")
        expect(dialog.get_by_role("heading", name="Comments with Ada Athlete")).to_be_visible()
        expect(dialog.get_by_role("log")).to_contain_text("Knee felt odd on set 3")
        dialog.get_by_label("Your comment").fill("Drop to 90 kg next time: https://example.com/knees")
        dialog.get_by_role("button", name="Comment", exact=True).click()
        expect(dialog.get_by_role("log")).to_contain_text("Drop to 90 kg next time", timeout=10_000)  # a busy machine
    finally:
        laptop_context.close()

    expect(thread).to_contain_text("Drop to 90 kg next time", timeout=8_000)  # no reload: the poll brought it
    expect(thread.get_by_role("link", name="https://example.com/knees")).to_have_attribute("rel", "noopener nofollow")
    assert not has_horizontal_scroll(phone)
    assert_accessible(phone)
    assert phone.js_errors == []


def test_messages_work_on_a_360px_phone(app, gym, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "ada@example.com")
    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.get_by_role("heading", name="Messages", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Casey Coach").click()
    expect(page.get_by_role("heading", name="Messages with Casey Coach")).to_be_visible()
    page.get_by_label("Your message").fill("A very long message " + "without-any-spaces-at-all-" * 8)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("A very long message")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Edit your message").click()
    page.get_by_label("Edit your message").fill("Shorter")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("log")).to_contain_text("Shorter")
    expect(page.get_by_role("log")).to_contain_text("edited")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
