"""Workout mode on a 375 px touch phone: Start on Today opens the session full screen; Ada ticks
each set in one tap (the superset's sets alternating B1, B2), sees the rest timer after a set,
reloads mid-workout and carries on at the next set, finishes, sees the summary with its volume
and a new record, and adds her RPE and a comment. The coach's calendar then shows Done and her
History one log. The taps it takes are counted."""

import re
from datetime import timedelta

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import log, plan, rows, update_user
from playwright.sync_api import expect
from sqlalchemy import update

from fitr.calendars.models import Prescription
from fitr.extensions import db
from fitr.history.models import SessionLog

PHONE = {"width": 375, "height": 740}
SMALL_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SESSION = (("Back Squat", 3, 5, 100), ("Bench Press", 3, 8, 60), ("Pull-up", 3, 6, None))


class Taps:
    """Counts the taps a person makes (typing is not counted)."""

    def __init__(self):
        self.count = 0

    def tap(self, locator):
        locator.tap()
        self.count += 1


def checked_on_small_screens(page):
    """axe finds nothing serious and nothing scrolls sideways at 375 and 360 px."""
    for size in (SMALL_PHONE, PHONE):
        page.set_viewport_size(size)
        assert not has_horizontal_scroll(page), size
        assert_accessible(page)


def test_a_client_logs_a_session_set_by_set_in_workout_mode(app, gym, browser, page_watch, live_server):
    update_user(app, gym.ada, is_coach=False)
    earlier = plan(app, gym.ada_sub, gym.today - timedelta(days=7), title="Last week", exercises=SESSION[:1])
    log(app, gym.ada, earlier, [("Back Squat", 5, 100)] * 3, today=gym.today)
    session_id = plan(app, gym.ada_sub, gym.today, title="Full body", exercises=SESSION)
    with app.app_context():  # Bench Press and Pull-up: superset B, 2 minutes' rest after each round
        db.session.execute(update(Prescription).where(Prescription.session_id == session_id, Prescription.position == 2)
                           .values(joined=True, rest_seconds=120))  # fmt: skip
        db.session.commit()

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = page_watch.page(context.new_page())
    log_in(page, "ada@example.com")
    taps = Taps()
    card = page.locator(f'.planned[data-session-id="{session_id}"]')
    taps.tap(card.get_by_role("link", name="Start", exact=True))
    page.wait_for_url(f"**/my/sessions/{session_id}/workout")
    expect(page.get_by_role("heading", name="Full body")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # full screen
    expect(page.get_by_text("Exercise 1 of 2")).to_be_visible()
    page.get_by_text("How to do Back Squat").tap()  # the instructions, one tap away
    expect(page.get_by_text(re.compile("^Bar on your upper back"))).to_be_visible()
    checked_on_small_screens(page)

    def tick(name, last_of_step=False):
        button = page.get_by_role("button", name=f"{name} done")
        taps.tap(button)
        if not last_of_step:  # the last set of a step moves on to the next step
            expect(button).to_have_attribute("aria-pressed", "true")

    rest = page.get_by_role("timer", name="Rest")
    tick("Back Squat set 1")
    expect(rest).to_be_visible()
    expect(rest).to_contain_text(re.compile(r"Rest 1:[23]\d"))  # the client's default: 1:30
    tick("Back Squat set 2")
    page.get_by_role("button", name="More load, Back Squat set 3").tap()  # a stepper: not counted
    expect(page.get_by_label("Back Squat set 3 Load (kg)")).to_have_value("102.5")
    tick("Back Squat set 3", last_of_step=True)

    # Superset B: its sets alternate, no rest between B1 and B2, the prescribed 2:00 after B2.
    expect(page.get_by_role("heading", name="Superset B")).to_be_visible()
    expect(page.get_by_role("heading", name="Back Squat", exact=True)).to_be_hidden()
    expect(page.get_by_text("Exercise 2 of 2")).to_be_visible()
    visible_ticks = page.locator(".workout-step:not([hidden]) [data-tick]")
    expect(visible_ticks).to_have_text([re.compile(rf"^{name} set {n} done$") for n in (1, 2, 3) for name in ("Bench Press", "Pull-Up")])
    tick("Bench Press set 1")
    expect(rest).to_be_hidden()
    tick("Pull-Up set 1")
    expect(rest).to_contain_text(re.compile(r"Rest (2:00|1:5\d)"))

    # The phone closes the app mid-workout; opening it again resumes at the next set.
    page.reload()
    expect(page.get_by_role("heading", name="Superset B")).to_be_visible()
    expect(page.get_by_role("button", name="Pull-Up set 1 done")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Bench Press set 2 done")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".workout-set.is-next")).to_contain_text("Bench Press · Set 2")
    expect(rest).to_be_visible()  # the rest timer kept its end time
    for name in ("Bench Press set 2", "Pull-Up set 2", "Bench Press set 3", "Pull-Up set 3"):
        tick(name)
    checked_on_small_screens(page)
    taps.tap(page.get_by_role("button", name="Finish workout"))

    page.wait_for_url(f"**/my/sessions/{session_id}/workout/summary")
    expect(page.get_by_role("heading", name="Workout saved")).to_be_visible()
    totals = page.locator(".workout-totals")
    expect(totals).to_contain_text("Sets9")
    expect(totals).to_contain_text("Volume2952.5 kg")  # 5 × 100 × 2 + 5 × 102.5 + 8 × 60 × 3
    records = page.get_by_role("region", name="New records")
    expect(records).to_contain_text("Back Squat 5 × 102.5 kg")
    checked_on_small_screens(page)
    assert page.evaluate(f"Object.keys(localStorage).filter((k) => k.endsWith(':{session_id}'))") == []
    page.get_by_label("Session RPE (1–10, optional)").fill("8")
    page.get_by_label("Comment (optional)").fill("Squats felt fast")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_text("Workout saved.")).to_be_visible()
    expect(card.locator("[data-completion=done]")).to_be_visible()
    expect(card.get_by_role("link", name="Start", exact=True)).to_have_count(0)

    page.goto("/my/history")
    expect(page.locator(".log-card").filter(has_text="Full body")).to_have_count(1)
    expect(page.locator(".log-card").filter(has_text="Full body")).to_contain_text("RPE 8")
    assert page.js_errors == []

    laptop_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    laptop = page_watch.page(laptop_context.new_page())
    log_in(laptop)
    laptop.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}")
    cell = laptop.locator(f'[data-date="{gym.today.isoformat()}"]')
    expect(cell.locator("[data-completion=done]")).to_have_count(1)
    [saved] = [entry for entry in rows(app, SessionLog) if entry.session_id == session_id]
    assert (saved.rpe, saved.notes) == (8, "Squats felt fast")

    print(f"\nTaps to log a 3-exercise session (9 sets, one superset) set by set in workout mode, from Today: {taps.count}")
    assert taps.count == 11  # Start, 9 ticks, Finish


def test_on_a_shared_phone_logging_out_forgets_the_workout_and_the_next_person_sees_none_of_it(app, gym, browser, page_watch, live_server):
    for user in (gym.ada, gym.ben):
        update_user(app, user, is_coach=False)
    ada_session = plan(app, gym.ada_sub, gym.today, title="Ada's squats")
    ben_session = plan(app, gym.ben_sub, gym.today, title="Ben's squats")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = page_watch.page(context.new_page())
    kept = "Object.keys(localStorage).filter((k) => k.startsWith('fitr-workout:'))"

    log_in(page, "ada@example.com")
    page.goto(f"/my/sessions/{ada_session}/workout")
    page.get_by_role("button", name="Back Squat set 1 done").tap()
    page.get_by_label("Back Squat set 2 Reps").fill("4")
    page.get_by_role("button", name="Back Squat set 2 done").tap()
    page.reload()
    expect(page.get_by_role("button", name="Back Squat set 2 done")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Back Squat set 2 Reps")).to_have_value("4")  # what she typed, kept
    assert page.evaluate(kept) == [f"fitr-workout:{gym.ada}:{ada_session}"]
    page.get_by_role("link", name="Close workout mode").tap()
    page.get_by_role("button", name="Log out").tap()
    page.wait_for_url("**/login**")
    assert page.evaluate(kept) == []

    log_in(page, "ben@example.com")
    # Ada's login had run out instead (no Log out): what her workout left is dropped, never shown.
    page.evaluate(f"localStorage.setItem('fitr-workout:{gym.ada}:{ada_session}', '{{\"done\": {{}}}}')")
    page.goto(f"/my/sessions/{ben_session}/workout")
    expect(page.get_by_role("heading", name="Ben's squats")).to_be_visible()
    expect(page.get_by_role("button", name="Back Squat set 1 done")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(kept) == [f"fitr-workout:{gym.ben}:{ben_session}"]
    assert page.js_errors == []
