"""A client logs today's session on a phone, adds a set, and sees a new Personal Record."""

from datetime import timedelta

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import exercise_id, log, plan
from playwright.sync_api import expect


def test_client_logs_a_session_on_a_phone_and_sees_a_new_personal_record(app, gym, browser_page):
    page = browser_page
    earlier = gym.today - timedelta(days=7)
    log(app, gym.ada, plan(app, gym.ada_sub, earlier), [("Back Squat", 5, 100)], day=earlier, today=gym.today)
    plan(app, gym.ada_sub, gym.today, title="Heavy squats", exercises=[("Back Squat", 2, 5, 105), ("Plank", 1, None, None)])

    log_in(page, "ada@example.com")
    page.goto("/my")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Heavy squats").click()
    expect(page.get_by_role("heading", name="Heavy squats")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_label("Back Squat set 1 Reps").fill("5")
    page.get_by_label("Back Squat set 1 Load (kg)").fill("107.5")
    page.get_by_label("Back Squat set 2 Reps").fill("5")
    page.get_by_label("Back Squat set 2 Load (kg)").fill("105")
    page.get_by_role("button", name="Add set to Back Squat").click()  # htmx adds a row, no script of ours
    page.get_by_label("Back Squat set 3 Reps").fill("4")
    page.get_by_label("Back Squat set 3 Load (kg)").fill("105")
    page.get_by_label("Plank set 1 Time").fill("1:15")
    page.get_by_label("Done").check()
    page.get_by_label("Session RPE").fill("8.5")
    page.get_by_label("Notes").fill("Moved well")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Save log").click()

    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.locator(".toast-record .toast-body")).to_have_text("New records: Back Squat 5 × 107.5 kg, Plank 1:15")
    expect(page.get_by_role("heading", name="Update log")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Records", exact=True).click()
    expect(page.get_by_role("heading", name="Personal Records")).to_be_visible()
    expect(page.get_by_text("Estimated 1RM: 125.4 kg")).to_be_visible()
    formula = page.locator(".formula-fold .formula")
    expect(formula).to_be_hidden()  # the records first; how e1RM is worked out is folded after them
    page.get_by_text("How e1RM is worked out").click()
    expect(formula).to_contain_text("load × (1 + reps ÷ 30)")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Back Squat").click()
    expect(page.locator("svg.progress-chart")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_text("1 × 5 @ 107.5 kg, 1 × 5 @ 105 kg, 1 × 4 @ 105 kg")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    page.goto(f"/my/programs/{gym.ada_sub}/calendar")
    expect(page.locator(f'[data-date="{gym.today.isoformat()}"] [data-completion="done"]')).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_every_client_and_coach_page_fits_a_360px_phone(app, gym, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    session_id = plan(app, gym.ada_sub, gym.today, exercises=[("Back Squat", 3, 5, 100), ("Rowing Machine", 1, None, None)])
    log(app, gym.ada, session_id, [("Back Squat", 5, 100)], today=gym.today)

    squat = exercise_id(app, "Back Squat")

    log_in(page, "ada@example.com")
    for url in ["/my", f"/my/programs/{gym.ada_sub}/calendar", f"/my/programs/{gym.ada_sub}/calendar?view=week",
                f"/my/sessions/{session_id}", "/my/history", "/my/records", f"/my/records/{squat}", "/my/records/new",
                "/my/settings"]:  # fmt: skip
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        assert not has_horizontal_scroll(page), url
        assert_accessible(page)
    page.goto(f"/my/sessions/{session_id}")
    page.get_by_label("Add an exercise").select_option(label="Running")
    page.get_by_role("button", name="Add exercise").click()
    expect(page.get_by_label("Running set 1 Distance (m)")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.goto(f"/my/programs/{gym.ada_sub}/calendar")
    page.get_by_role("button", name="Get calendar feed link").click()
    assert ".ics" in page.get_by_label("Calendar feed link").input_value()
    expect(page.get_by_role("button", name="Copy calendar feed link")).to_be_visible()  # shown once: one tap to copy
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page)
    for url in [f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview", f"/programs/{gym.strength}/clients/{gym.ada_sub}/move"]:
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        assert not has_horizontal_scroll(page), url
        assert_accessible(page)
    assert page.js_errors == []


def test_add_a_record_by_hand_shows_the_fields_of_the_chosen_exercise(app, gym, browser_page):
    page = browser_page
    log_in(page, "ada@example.com")
    page.goto("/my/records")
    page.get_by_role("link", name="Add a record").click()
    page.get_by_label("Note").fill("Old gym")
    page.get_by_label("Exercise").select_option(label="Plank")  # htmx swaps in the Plank's fields
    expect(page.get_by_label("Time")).to_be_visible()
    expect(page.get_by_label("Reps")).to_have_count(0)
    expect(page.get_by_label("Load (kg)")).to_have_count(0)
    expect(page.get_by_label("Note")).to_have_value("Old gym")  # what was typed survives the swap

    page.get_by_label("Time").fill("2:10")
    page.get_by_label("Date").fill((gym.today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add record").click()
    expect(page.get_by_text("A record cannot be dated in the future.")).to_be_visible()
    page.get_by_label("Date").fill((gym.today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Add record").click()
    expect(page.get_by_text("Record added for Plank.")).to_be_visible()
    expect(page.get_by_text("Longest time: 2:10")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert [e for e in page.js_errors if "400 (BAD REQUEST)" not in e] == []  # the refused date was a 400


def test_a_keyboard_user_adds_a_set_and_an_exercise_and_types_straight_into_them(app, gym, browser_page):
    page = browser_page
    plan(app, gym.ada_sub, gym.today, title="Squats", exercises=[("Back Squat", 2, 5, 100)])
    log_in(page, "ada@example.com")
    page.goto("/my")
    page.get_by_role("link", name="Squats").click()

    page.get_by_role("button", name="Add set to Back Squat").focus()
    page.keyboard.press("Enter")  # htmx swaps the button for a new row: focus must not fall back to the page top
    expect(page.get_by_label("Back Squat set 3 Reps")).to_be_focused()
    page.keyboard.type("4")
    expect(page.get_by_label("Back Squat set 3 Reps")).to_have_value("4")

    page.get_by_label("Add an exercise").select_option(label="Plank")
    page.get_by_role("button", name="Add exercise").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Plank set 1 Time")).to_be_focused()
    page.keyboard.type("1:30")
    expect(page.get_by_label("Plank set 1 Time")).to_have_value("1:30")
    assert page.js_errors == []
