"""Where the coach writes: a month's Add session shows on the day under the pointer or the
keyboard (always on a phone's day list), and the week view shows each session in full, its
superset labelled, for the coach and for the client."""

import re

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import NOV_3
from playwright.sync_api import expect

from fitr.calendars import rules as calendar_rules
from fitr.extensions import db
from fitr.library import exercises as library_exercises
from fitr.subscriptions.models import Subscription

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
UPPER = [  # (exercise, sets, reps, kg, other columns)
    ("Bench Press", 3, 8, 70, {"rounds": 3, "rpe": 8}),
    ("Barbell Row", 3, 8, 60, {"joined": True, "tempo": "3-1-X-0"}),
    ("Back Squat", 5, 5, 100, {"rest_seconds": 120}),
    ("Plank", None, None, None, {"duration_seconds": 45}),
]


@pytest.fixture
def upper_day(app, one_to_one):
    """Ada's calendar with a 4-exercise session on 3 November: a superset, then two on their own."""
    with app.app_context():
        calendar = calendar_rules.calendar_for_subscription(db.session.get(Subscription, one_to_one.ada))
        found = library_exercises.resolve_exercises(one_to_one.coach_id, [name for name, *_ in UPPER])
        rows = [
            {"exercise_id": found[name.lower()].id, "sets": sets, "reps_min": reps, "reps_max": reps, "load_value": kg,
             "load_unit": "kg" if kg else None, **other}
            for name, sets, reps, kg, other in UPPER
        ]  # fmt: skip
        calendar_rules.add_session(calendar, NOV_3, one_to_one.coach_id, "Upper", "", rows)
        db.session.commit()
    return f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar"


def opacity(locator):
    return float(locator.evaluate("e => getComputedStyle(e).opacity"))


def test_month_shows_add_session_on_hover_and_focus_and_always_on_a_phone(browser_page, upper_day):
    page = browser_page
    log_in(page)
    page.set_viewport_size(DESKTOP)
    page.goto(upper_day + "?date=2026-11-01")
    add = page.get_by_role("button", name="Add session on 2026-11-05")
    other = page.get_by_role("button", name="Add session on 2026-11-06")
    assert opacity(add) == 0 and opacity(other) == 0  # a month of quiet cells
    page.locator('[data-date="2026-11-05"]').hover()
    assert opacity(add) == 1 and opacity(other) == 0
    other.focus()  # the keyboard reaches it, and it shows
    page.mouse.move(0, 0)
    assert opacity(other) == 1 and opacity(add) == 0
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_contain_text("Fri 6 Nov 2026")
    # A phone's day list shows it on every day, without hovering.
    page.set_viewport_size(PHONE)
    page.goto(upper_day + "?date=2026-11-01")
    assert opacity(page.get_by_role("button", name="Add session on 2026-11-05")) == 1
    assert not has_horizontal_scroll(page)


def test_week_view_shows_each_session_in_full_with_its_superset(browser_page, upper_day, one_to_one):
    page = browser_page
    log_in(page)
    page.set_viewport_size(DESKTOP)
    page.goto(upper_day + "?view=week&date=2026-11-03")
    rows = page.locator('[data-date="2026-11-03"] .session-rows li')
    expect(rows).to_have_text([
        "Superset A · 3 rounds: A1 Bench Press 3×8 @ 70 kg · RPE 8",
        "A2 Barbell Row 3×8 @ 60 kg · Tempo 3-1-X-0",
        "B Back Squat 5×5 @ 100 kg · Rest 2:00",
        "C Plank 45s",
    ])  # fmt: skip
    # The month keeps its short summary.
    page.goto(upper_day + "?date=2026-11-01")
    expect(page.locator('[data-date="2026-11-03"] .session-summary')).to_have_text(
        "A1 Bench Press 3×8 @ 70 kg · A2 Barbell Row 3×8 @ 60 kg · B Back Squat 5×5 @ 100 kg · +1 more"
    )
    page.set_viewport_size(PHONE)
    page.goto(upper_day + "?view=week&date=2026-11-03")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    # The client's week shows the same session in full, on their phone.
    page.get_by_role("button", name="Log out").click()
    log_in(page, "ada@example.com")
    page.goto(f"/my/programs/{one_to_one.ada}/calendar?view=week&date={NOV_3.isoformat()}")
    expect(page.locator('[data-date="2026-11-03"] .session-rows li')).to_have_count(4)
    expect(page.locator('[data-date="2026-11-03"] .session-rows li').first).to_contain_text("A1 Bench Press 3×8 @ 70 kg")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)


def test_copy_to_clients_loads_its_clients_when_opened_and_copies(browser_page, upper_day, one_to_one):
    page = browser_page
    log_in(page)
    page.set_viewport_size(PHONE)
    page.goto(upper_day + "?date=2026-11-01")
    page.locator('[data-date="2026-11-03"]').get_by_role("button", name=re.compile("Upper")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Ben Athlete")).to_have_count(0)  # not loaded until asked for
    dialog.get_by_text("Copy to clients", exact=True).first.click()
    dialog.get_by_label("Ben Athlete").check()
    dialog.get_by_role("button", name="Copy to clients").click()
    expect(page.get_by_role("status")).to_contain_text("Copied “Upper” to 1 client on Tue 3 Nov 2026.")
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ben}/calendar?view=week&date=2026-11-03")
    expect(page.locator('[data-date="2026-11-03"] .session-rows li')).to_have_count(4)
    assert_accessible(page)
