"""Loads from percentages in a real browser: the coach sets Ada's 1RM on her overview and writes
a session in % 1RM; Ada, on a 360 px phone, sees her own load and logs it with Done as
prescribed; the saved sets carry that load."""

import re

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import plan_percent, rows
from playwright.sync_api import expect

from fitr.history.models import SetLog

DESKTOP = {"width": 1280, "height": 800}


def test_coach_writes_a_percentage_session_and_the_client_logs_her_own_load_on_a_phone(app, gym, browser_page):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    log_in(page)
    page.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview")
    page.get_by_label("Exercise").fill("Back Squat")
    page.get_by_label("1RM", exact=True).check()
    page.get_by_label("Max (kg)").fill("110")
    page.get_by_role("button", name="Save max").click()
    expect(page.get_by_text("Ada Athlete: 1RM of Back Squat saved.")).to_be_visible()
    expect(page.locator(".max-row")).to_contain_text("1RM 110 kg")

    page.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}")
    page.get_by_role("button", name=f"Add session on {gym.today.isoformat()}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Heavy squats")
    dialog.get_by_label("Exercise 1", exact=True).fill("Back Squat")
    dialog.get_by_label("Sets 1", exact=True).fill("3")
    dialog.get_by_label("Reps 1", exact=True).fill("5")
    dialog.get_by_label("Load 1", exact=True).fill("75")
    dialog.get_by_label("Unit 1", exact=True).select_option(label="% 1RM")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    cell = page.locator(f'[data-date="{gym.today.isoformat()}"]')
    expect(cell).to_contain_text("Back Squat · 3×5 @ 75% 1RM")
    cell.get_by_role("button", name=re.compile("Heavy squats")).click()
    expect(dialog.locator(".client-loads")).to_have_text(re.compile(r"75% 1RM comes to:\s+Ada Athlete 82\.5 kg"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Log out").click()

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "ada@example.com")
    page.goto("/my")
    expect(page.get_by_text("Back Squat · 3×5 @ 75% 1RM (82.5 kg)")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Heavy squats")).click()
    expect(page.get_by_text("3×5 @ 75% 1RM (82.5 kg)")).to_be_visible()
    expect(page.get_by_text("75% of your 1RM (110 kg).")).to_be_visible()
    expect(page.get_by_label("Back Squat set 1 Load (kg)")).to_have_value("82.5")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Done as prescribed").click()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert [(s.exercise_name, s.reps, s.load_kg) for s in rows(app, SetLog)] == [("Back Squat", 5, 82.5)] * 3
    assert page.js_errors == []


def test_a_client_with_no_max_enters_her_1rm_on_a_phone_and_sees_her_load(app, gym, browser_page):
    plan_percent(app, gym.ada_sub, gym.today, (("Back Squat", 3, 5, 80, "%tm"),), title="Volume squats")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "ada@example.com")
    page.goto("/my")
    page.get_by_role("link", name=re.compile("Volume squats")).click()
    expect(page.get_by_text("No training max of yours is known for Back Squat yet.")).to_be_visible()
    page.get_by_role("link", name="Enter your 1RM for Back Squat").click()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Your 1RM (kg)").fill("110")
    page.get_by_role("button", name="Save my 1RM").click()
    expect(page.get_by_text("3×5 @ 80% TM (80 kg)")).to_be_visible()
    expect(page.get_by_label("Back Squat set 1 Load (kg)")).to_have_value("80")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
