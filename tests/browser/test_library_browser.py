"""The exercise library on a 360 px phone: a coach finds Romanian Deadlift by typing "RDL" in the
session editor and picks it; the client sees its instructions and demo video link from the
session. And the Exercises page's search as you type."""

import re

from conftest import assert_accessible, has_horizontal_scroll, log_in
from playwright.sync_api import expect
from sqlalchemy import update

from fitr.extensions import db
from fitr.library.models import Exercise

PHONE = {"width": 360, "height": 740}
VIDEO = "https://www.youtube.com/watch?v=rdl-demo"


def test_coach_picks_an_exercise_by_its_alias_and_the_client_sees_how_to_do_it(app, one_to_one, today, browser_page):
    with app.app_context():  # the host's starter library ships a demo link for it
        db.session.execute(update(Exercise).where(Exercise.name == "Romanian Deadlift").values(video_url=VIDEO))
        db.session.commit()
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page)
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date={today.isoformat()}")
    page.get_by_role("button", name=f"Add session on {today.isoformat()}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Hinge day")
    row = dialog.get_by_role("group", name="Exercise 1")
    exercise = row.get_by_label("Exercise 1", exact=True)
    exercise.press_sequentially("RDL")
    pick = row.get_by_role("button", name="Romanian Deadlift (RDL)")
    expect(pick).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    pick.click()
    expect(exercise).to_have_value("Romanian Deadlift")
    expect(exercise).to_be_focused()
    expect(pick).to_be_hidden()
    row.get_by_label("Sets").fill("3")
    row.get_by_label("Reps").fill("8")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("A · Romanian Deadlift · 3×8").first).to_be_visible()
    assert page.js_errors == []

    page.get_by_role("button", name="Log out").click()
    log_in(page, "ada@example.com")
    page.goto("/my")
    page.get_by_role("link", name="Hinge day").first.click()
    expect(page.get_by_role("heading", name="Hinge day")).to_be_visible()
    page.get_by_text("How to do Romanian Deadlift").click()
    expect(page.get_by_text("push your hips back")).to_be_visible()
    video = page.get_by_role("link", name="Watch the demo video of Romanian Deadlift")
    expect(video).to_be_visible()
    expect(video).to_have_attribute("href", VIDEO)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_the_exercises_page_searches_as_the_coach_types_on_a_phone(app, one_to_one, browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page)
    page.goto("/exercises")
    starter = page.get_by_role("region", name=re.compile(r"^Starter library \(\d+\)$"))
    expect(starter.get_by_role("button", name="Hide Back Squat")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("searchbox", name="Search exercises").press_sequentially("ohp")
    expect(page.get_by_role("heading", name="Starter library (1)")).to_be_visible()
    expect(starter.get_by_role("button", name="Hide Back Squat")).to_be_hidden()
    assert "q=ohp" in page.url
    page.get_by_role("button", name="Hide Overhead Press").click()
    expect(page.get_by_role("link", name="Show hidden (1)")).to_be_visible()
    page.get_by_role("link", name="Show hidden (1)").click()
    page.get_by_role("button", name="Show Overhead Press again").click()
    expect(page.get_by_role("heading", name="Hidden starter exercises (0)")).to_be_visible()
    page.get_by_role("link", name="Back to the starter library").click()
    page.get_by_role("searchbox", name="Search exercises").press_sequentially("overhead p")
    expect(page.get_by_role("button", name="Hide Overhead Press")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []
