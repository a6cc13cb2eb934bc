"""A coach logs in on a phone, lands on Home, sees who needs training and who missed yesterday,
and goes from there to the client's calendar to write the next sessions."""

from datetime import timedelta

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import plan
from playwright.sync_api import expect

pytestmark = pytest.mark.dates


def test_the_coach_lands_on_home_and_goes_from_needs_training_to_the_calendar(app, gym, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    for day in (gym.today, gym.today + timedelta(days=1), gym.today + timedelta(days=2)):
        plan(app, gym.ada_sub, day)
        plan(app, gym.ada_team, day)
    plan(app, gym.ben_sub, gym.today - timedelta(days=1), title="Bench day")

    log_in(page)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    needs = page.locator("[data-section=needs-training]")
    expect(needs.get_by_role("heading")).to_have_text("Needs training (1)")
    expect(needs.get_by_role("listitem")).to_have_text("Ben Athlete · Strength 1-2-1 · 0 days scheduled ahead")
    missed = page.locator("[data-section=missed]")
    expect(missed.get_by_role("link", name="Ben Athlete: Bench day")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    needs.get_by_role("link", name="Ben Athlete").click()
    expect(page.locator(f'[data-date="{gym.today.isoformat()}"]').first).to_be_visible()
    expect(page.get_by_role("heading", name="Ben Athlete")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Needs training (1)").click()
    expect(page.get_by_role("link", name="Needs training for Ben Athlete: 0 days scheduled ahead")).to_be_visible()
    expect(page.get_by_text("Ada Athlete")).to_have_count(0)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
