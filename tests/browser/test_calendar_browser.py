"""The coach's calendar in a real browser: add a session inline, switch client without a page
reload, move a session, copy a week to another client."""

import re
from datetime import date

import pytest
from conftest import PASSWORD, has_horizontal_scroll
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}


def log_in(page, email="casey@example.com"):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/programs"))


def calendar_path(program, sub, **query):
    path = f"/programs/{program.id}/clients/{sub}/calendar"
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def coach_page(browser_page, one_to_one):
    log_in(browser_page)
    return browser_page


def unexpected(errors):
    """Script errors, leaving out the browser's and htmx's notes about a 400 we asked for."""
    return [e for e in errors if "status of 400" not in e and "Response Status Error Code 400" not in e]


def day(page, iso):
    return page.locator(f'[data-date="{iso}"]')


def test_coach_adds_a_session_inline_with_prescriptions(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name="Add session on 2026-11-03").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title").fill("Lower body")
    dialog.get_by_label("Exercise", exact=True).fill("Back Squat")
    dialog.get_by_label("Sets").fill("5")
    dialog.get_by_label("Reps").fill("5")
    dialog.get_by_label("Load").fill("100")
    dialog.get_by_role("button", name="Add exercise").click()
    dialog.locator("#prescriptions-1-exercise").fill("Romanian Deadlift")
    dialog.locator("#prescriptions-1-sets").fill("3")
    dialog.locator("#prescriptions-1-reps").fill("8-10")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    cell = day(page, "2026-11-03")
    expect(cell).to_contain_text("Lower body")
    expect(cell).to_contain_text("Back Squat 5×5 @ 100 kg · Romanian Deadlift 3×8-10")
    assert page.evaluate("window.__marker") == 1
    # Open it again, fix a mistake the server points out, and save.
    cell.get_by_role("button", name=re.compile("Lower body")).click()
    dialog.get_by_label("Sets").first.fill("500")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_contain_text("Sets must be from 1 to 50.")
    dialog.get_by_label("Sets").first.fill("4")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    expect(cell).to_contain_text("Back Squat 4×5 @ 100 kg")
    assert page.evaluate("window.__marker") == 1
    assert unexpected(page.js_errors) == []


def test_switching_client_swaps_the_calendar_without_a_page_reload(coach_page, one_to_one, app):
    from fixtures_calendar import plan

    plan(app, one_to_one.id, one_to_one.ben, title="Ben's day")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    expect(page.locator("#calendar-title")).to_contain_text("Ada Athlete")
    page.evaluate("window.__marker = 1")
    page.get_by_role("link", name="Ben Athlete").click()
    expect(page.locator("#calendar-title")).to_contain_text("Ben Athlete")
    expect(day(page, "2026-11-03")).to_contain_text("Ben's day")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.ben, view="month", date="2026-11-01"))
    assert page.evaluate("window.__marker") == 1
    expect(page.get_by_role("link", name="Ben Athlete")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Next month").click()
    expect(page.locator(".cal-period")).to_have_text("December 2026")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.ben, view="month", date="2026-12-01"))
    page.go_back()
    expect(page.locator(".cal-period")).to_have_text("November 2026")
    page.go_back()
    expect(page.locator("#calendar-title")).to_contain_text("Ada Athlete")
    assert page.js_errors == []


@pytest.mark.parametrize("view", ["month", "week"])
def test_calendar_fits_a_phone_screen(coach_page, one_to_one, app, view):
    from fixtures_calendar import plan

    plan(app, one_to_one.id, one_to_one.ada, title="A rather long session title that must wrap on a phone")
    page = coach_page
    page.goto(calendar_path(one_to_one, one_to_one.ada, view=view, date="2026-11-03"))
    expect(day(page, "2026-11-03")).to_contain_text("A rather long session title")
    assert not has_horizontal_scroll(page)
    page.get_by_role("button", name="Add session on 2026-11-04").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert not has_horizontal_scroll(page)


def test_coach_moves_a_session_by_drag_and_drop_and_with_the_date_field(coach_page, one_to_one, app):
    from fixtures_calendar import plan

    plan(app, one_to_one.id, one_to_one.ada, title="Lower body")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    page.drag_and_drop('[data-date="2026-11-03"] .session', '[data-date="2026-11-05"]')
    expect(day(page, "2026-11-05")).to_contain_text("Lower body")
    expect(day(page, "2026-11-03")).not_to_contain_text("Lower body")
    expect(page.get_by_role("status")).to_contain_text("Moved “Lower body” to Thu 5 Nov 2026.")
    page.get_by_role("button", name="Undo").click()
    expect(day(page, "2026-11-03")).to_contain_text("Lower body")
    # Keyboard and phone users: the editor's date field.
    day(page, "2026-11-03").get_by_role("button", name=re.compile("Lower body")).click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#to-date").fill("2026-11-20")
    dialog.get_by_role("button", name="Move", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(day(page, "2026-11-20")).to_contain_text("Lower body")
    expect(day(page, "2026-11-03")).not_to_contain_text("Lower body")
    assert page.evaluate("window.__marker") == 1
    assert page.js_errors == []


def test_coach_copies_a_week_to_another_client(coach_page, one_to_one, app):
    from fixtures_calendar import plan

    plan(app, one_to_one.id, one_to_one.ada, title="Lower body")
    plan(app, one_to_one.id, one_to_one.ada, day=date(2026, 11, 5), title="Upper body")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, view="week", date="2026-11-03"))
    page.evaluate("window.__marker = 1")
    page.get_by_text("Copy a day or week").click()
    form = page.locator(".copy-form")
    form.get_by_label("A week (7 days)").check()
    form.locator("#copy-source-date").fill("2026-11-02")
    form.locator("#copy-to-date").fill("2026-11-09")
    form.get_by_label("Ada Athlete").uncheck()
    form.get_by_label("Cleo Athlete").check()
    form.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status")).to_contain_text("Copied the week from Mon 2 Nov 2026 to Mon 9 Nov 2026 on 1 calendar: 2 sessions.")
    page.get_by_role("link", name="Cleo Athlete").click()
    expect(page.locator("#calendar-title")).to_contain_text("Cleo Athlete")
    page.get_by_role("link", name="Next week").click()
    expect(day(page, "2026-11-10")).to_contain_text("Lower body")
    expect(day(page, "2026-11-12")).to_contain_text("Upper body")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.cleo, view="week", date="2026-11-09"))
    page.set_viewport_size({"width": 375, "height": 740})
    assert not has_horizontal_scroll(page)
    assert page.evaluate("window.__marker") == 1
    assert page.js_errors == []
