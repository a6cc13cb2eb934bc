"""In a real browser: going back to a month already seen is answered 304 (the browser shows the
calendar it kept), and a change made in between shows at once."""

from conftest import log_in
from factories import NOV_3, plan
from flask import request, request_finished
from playwright.sync_api import expect


def test_coach_goes_back_to_a_month_and_sees_it_unchanged_then_changed(app, browser_page, one_to_one):
    plan(app, one_to_one.ada, NOV_3, title="Lower body")
    page = browser_page
    answers = []  # what the server answered, as the browser's own cache hides a 304 from the page

    def answered(sender, response, **extra):
        if "/calendar" in request.path:
            answers.append((request.full_path, response.status_code))

    request_finished.connect(answered, app)
    log_in(page)
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date=2026-11-10")
    calendar = page.locator("#calendar")
    expect(calendar.get_by_text("Lower body")).to_be_visible()

    page.get_by_role("link", name="Next month").click()
    expect(page.locator(".cal-period")).to_contain_text("December 2026")
    page.get_by_role("link", name="Previous month").click()
    expect(calendar.get_by_text("Lower body")).to_be_visible()
    page.get_by_role("link", name="Next month").click()
    expect(page.locator(".cal-period")).to_contain_text("December 2026")
    assert any(status == 304 for url, status in answers if "date=2026-12" in url), answers

    plan(app, one_to_one.ada, NOV_3, title="Added meanwhile")  # another tab, another coach's device
    page.get_by_role("link", name="Previous month").click()
    expect(calendar.get_by_text("Added meanwhile")).to_be_visible()
    expect(calendar.get_by_text("Lower body")).to_be_visible()
    assert page.js_errors == []
    request_finished.disconnect(answered, app)
