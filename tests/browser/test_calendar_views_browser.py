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
    # The month shows a card: one line per exercise, folded past three.
    page.goto(upper_day + "?date=2026-11-01")
    expect(page.locator('[data-date="2026-11-03"] .card-lines > span')).to_have_text([
        "A1 · Bench Press · 3×8 @ 70 kg, RPE 8",
        "A2 · Barbell Row · 3×8 @ 60 kg",
        "B · Back Squat · 5×5 @ 100 kg",
        "+1 more",
    ])  # fmt: skip
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
    expect(page.get_by_role("status")).to_contain_text("Copied “Upper” to Ben Athlete’s calendar on Tue 3 Nov 2026.")
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ben}/calendar?view=week&date=2026-11-03")
    expect(page.locator('[data-date="2026-11-03"] .session-rows li')).to_have_count(4)
    assert_accessible(page)


def test_on_a_laptop_the_editor_is_a_panel_beside_the_calendar_and_full_screen_on_a_phone(browser_page, upper_day):
    page = browser_page
    log_in(page)
    page.set_viewport_size(DESKTOP)
    page.goto(upper_day + "?date=2026-11-01")
    page.get_by_role("button", name=re.compile("^Upper")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Bench Press")
    panel = dialog.bounding_box()
    grid = page.locator(".cal-grid").bounding_box()
    # The panel sits at the right, the calendar's whole month in view beside it, not under it.
    assert panel["x"] + panel["width"] == DESKTOP["width"] and panel["height"] == DESKTOP["height"]
    assert grid["x"] + grid["width"] <= panel["x"] and grid["width"] >= 400
    expect(page.locator('[data-date="2026-11-03"]')).to_be_in_viewport()
    # Each row takes two lines in the panel: the exercise and its buttons, then its dose.
    row = dialog.get_by_role("group", name="Exercise 3")
    exercise, sets, tempo = (row.get_by_label(name, exact=True).bounding_box() for name in ("Exercise 3", "Sets 3", "Tempo 3"))
    assert sets["y"] > exercise["y"] + exercise["height"] - 1 and abs(tempo["y"] - sets["y"]) < 2
    assert not has_horizontal_scroll(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # On a phone the editor takes the whole screen.
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name=re.compile("^Upper")).click()
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert (box["x"], box["width"], box["height"]) == (0, PHONE["width"], PHONE["height"])
    assert not has_horizontal_scroll(page)
    assert_accessible(page)


def test_the_copy_menu_works_by_keyboard_and_the_card_reads_at_a_glance(browser_page, upper_day):
    page = browser_page
    log_in(page)
    page.set_viewport_size(PHONE)
    page.goto(upper_day + "?date=2026-11-01")
    nav = page.get_by_role("navigation", name="Calendar navigation")
    expect(nav.get_by_role("link")).to_have_count(3)
    expect(page.get_by_role("group", name="View").get_by_role("link", name="Month")).to_have_attribute("aria-current", "page")
    menu = page.get_by_text("Copy and templates")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Apply template")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.keyboard.press("Escape")  # closes the menu, the keyboard back on its button
    expect(page.get_by_role("link", name="Apply template")).to_be_hidden()
    expect(page.locator(".cal-menu > summary")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Copy a day or week").click()
    expect(page.get_by_role("heading", name="Copy a day or week")).to_be_focused()
    expect(page.get_by_role("link", name="Apply template")).to_be_hidden()  # a choice closes the menu
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name="Copy a day or week")).to_have_count(0)
    # The card: its title, a line per exercise, and the fold.
    cell = page.locator('[data-date="2026-11-03"]')
    expect(cell.locator(".session-title")).to_have_text("Upper")
    expect(cell.locator(".card-more")).to_have_text("+1 more")
    assert not has_horizontal_scroll(page)
