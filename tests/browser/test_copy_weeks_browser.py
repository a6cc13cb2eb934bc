"""Copy weeks on a 360 px phone, by keyboard: weeks 1-2 onto weeks 3-4 with +2.5 kg a week,
previewed, confirmed, shown on the calendar, then undone."""

from datetime import date

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import calendar_id, calendar_rows, plan
from playwright.sync_api import expect

PHONE_360 = {"width": 360, "height": 740}


def test_coach_copies_two_weeks_with_progression_previews_confirms_and_undoes(app, browser_page, one_to_one):
    plan(app, one_to_one.ada, date(2026, 11, 3), exercises=(("Back Squat", 3, 5, 100),))
    plan(app, one_to_one.ada, date(2026, 11, 12), title="Upper body", exercises=(("Bench Press", 4, 8, 60),))
    cid = calendar_id(app, one_to_one.ada)
    page = browser_page
    page.set_viewport_size(PHONE_360)
    log_in(page)
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date=2026-11-02")

    page.get_by_text("Copy and templates").focus()  # the header's menu, by keyboard
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Copy weeks").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Copy weeks")).to_be_focused()
    first = page.get_by_role("group", name="From the week of")
    expect(first.get_by_label("Date")).to_have_value("2026-11-02")
    page.get_by_role("group", name="Through the week of").get_by_label("Date").fill("2026-11-09")
    page.get_by_role("group", name="Onto the weeks from").get_by_label("Date").fill("2026-11-16")
    page.get_by_label("Progression").select_option(label="kg per week")
    page.get_by_label("Amount per week").fill("2.5")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.keyboard.press("Enter")  # submits the form: Preview

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("2 sessions will be added (2 on each calendar), +2.5 kg a week")
    expect(preview).to_contain_text("Tue 17 Nov 2026: Lower body")
    expect(preview).to_contain_text("Back Squat 3×5 @ 102.5 kg")
    expect(preview).to_contain_text("Bench Press 4×8 @ 65 kg")
    assert len(calendar_rows(app, cid)) == 2  # nothing written yet
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Copy 2 sessions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Copied 2 weeks")).to_contain_text("+2.5 kg a week: 2 sessions.")
    expect(page.locator('[data-date="2026-11-17"]')).to_contain_text("Lower body")
    expect(page.locator('[data-date="2026-11-26"]')).to_contain_text("Upper body")
    assert [r[2] for r in calendar_rows(app, cid)][2:] == [[("Back Squat", 3, "5", 102.5)], [("Bench Press", 4, "8", 65.0)]]
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Removed")).to_contain_text("Removed the 2 sessions this copy made.")
    expect(page.locator('[data-date="2026-11-17"]')).not_to_contain_text("Lower body")
    assert [r[0] for r in calendar_rows(app, cid)] == [date(2026, 11, 3), date(2026, 11, 12)]
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
