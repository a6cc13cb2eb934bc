"""On a 360 px phone: a coach with 60 clients pages through a program's Active clients and
searches them, by the links' and the search box's names, without scrolling sideways."""

import re

from conftest import assert_accessible, has_horizontal_scroll, log_in
from playwright.sync_api import expect
from test_clients_paging import join


def test_coach_pages_and_searches_a_programs_clients_on_a_360px_phone(app, browser_page, coach, make_program, today):
    program = make_program(coach, status="published", name="Big 1-2-1")
    join(app, program, 0, 60, today=today)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page)
    page.goto(f"/programs/{program}")
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_text("Member 059", exact=True)).to_be_visible()
    expect(panel.get_by_text("Member 009", exact=True)).to_have_count(0)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    pages = page.get_by_role("navigation", name="Pages of Active clients")
    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(rf"/programs/{program}/clients/active\?page=2$"))
    expect(panel.get_by_text("Member 009", exact=True)).to_be_visible()
    expect(panel.get_by_text("Member 059", exact=True)).to_have_count(0)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    pages.get_by_role("link", name="Previous page").click()
    expect(panel.get_by_text("Member 059", exact=True)).to_be_visible()

    page.get_by_label("Search clients").fill("member007")
    expect(page).to_have_url(re.compile(rf"/programs/{program}/clients/active\?q=member007$"))
    expect(panel.get_by_text("Member 007", exact=True)).to_be_visible()
    expect(panel.get_by_role("link", name="Calendar of Member 007")).to_be_visible()
    expect(page.get_by_role("tab", name="Active clients (60)")).to_have_attribute("aria-selected", "true")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
