"""The whole coaching loop in real browsers, counting what it costs the people in it.

The coach sets Ada's 1RM and writes a 3-exercise session with a %1RM prescription; Ada, on a
360 px phone, sees her own load, logs the session with Done as prescribed and comments on it;
the coach lands on Home, sees the comment there (and who needs training), answers it in the
thread; Ada sees the answer without reloading. Then `flask notify` sends one digest per coach
per day."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import TIME_ZONE, plan, rows
from playwright.sync_api import expect

from fitr.history.models import SetLog

DESKTOP = {"width": 1280, "height": 900}


class Counter:
    """Counts the taps and clicks a person makes (typing into a field is not counted)."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        locator.click()
        self.count += 1


@pytest.mark.config(POLL_SECONDS=1)
def test_the_coaching_loop_from_prescription_to_answer(app, gym, browser, browser_page, live_server, smtp, time_machine):
    # Ben has two days of training ahead: fewer than Strength 1-2-1's three.
    for day in (gym.today + timedelta(days=1), gym.today + timedelta(days=3)):
        plan(app, gym.ben_sub, day)

    # The coach, on a laptop: Ada's 1RM on her overview, then a session in the editor.
    laptop_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    laptop_context.set_default_timeout(10_000)
    laptop = laptop_context.new_page()
    log_in(laptop)
    laptop.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/overview")
    laptop.get_by_label("Exercise").fill("Back Squat")
    laptop.get_by_label("1RM", exact=True).check()
    laptop.get_by_label("Max (kg)").fill("110")
    laptop.get_by_role("button", name="Save max").click()
    expect(laptop.get_by_text("Ada Athlete: 1RM of Back Squat saved.")).to_be_visible()

    laptop.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}")
    laptop.get_by_role("button", name=f"Add session on {gym.today.isoformat()}").click()
    dialog = laptop.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Heavy squats")
    rows_typed = [("Back Squat", "3", "5", "75", "% 1RM"), ("Bench Press", "3", "8", "60", "kg"), ("Plank", "2", "", "", None)]
    for i, (exercise, sets, reps, load, unit) in enumerate(rows_typed, start=1):
        if i > 1:
            dialog.get_by_role("button", name="Add exercise").click()
        row = dialog.get_by_role("group", name=f"Exercise {i}")
        row.get_by_label(f"Exercise {i}", exact=True).fill(exercise)
        row.get_by_label("Sets").fill(sets)
        if reps:
            row.get_by_label("Reps").fill(reps)
        if load:
            row.get_by_label("Load").fill(load)
            row.get_by_label("Unit").select_option(label=unit)
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    cell = laptop.locator(f'[data-date="{gym.today.isoformat()}"]')
    expect(cell).to_contain_text("Back Squat · 3×5 @ 75% 1RM")

    # Ada, on her phone: her own load, Done as prescribed, and a comment.
    phone = browser_page
    phone.set_viewport_size({"width": 360, "height": 740})
    log_in(phone, "ada@example.com")
    phone.goto("/my")
    expect(phone.get_by_text("Back Squat · 3×5 @ 75% 1RM (82.5 kg)")).to_be_visible()
    taps = Counter()
    taps.click(phone.get_by_role("link", name=re.compile("Heavy squats")))
    expect(phone.get_by_text("3×5 @ 75% 1RM (82.5 kg)")).to_be_visible()
    taps.click(phone.get_by_role("button", name="Done as prescribed"))
    expect(phone.get_by_text("Session logged.")).to_be_visible()
    log_taps = taps.count
    saved = sorted((s.exercise_name, s.reps, s.load_kg) for s in rows(app, SetLog) if s.exercise_name != "Plank")
    assert saved == [("Back Squat", 5, 82.5)] * 3 + [("Bench Press", 8, 60)] * 3
    phone.get_by_label("Your comment").fill("Squats flew, bench was hard")
    phone.get_by_role("button", name="Comment", exact=True).click()
    thread = phone.get_by_role("log", name="Comments")
    expect(thread).to_contain_text("Squats flew, bench was hard")
    assert not has_horizontal_scroll(phone)
    assert_accessible(phone)

    # The coach lands on Home: the comment and who needs training, each a click from acting.
    laptop.get_by_role("button", name="Log out").click()
    log_in(laptop)
    expect(laptop).to_have_url(re.compile(r"/home$"))
    needs = laptop.locator("[data-section=needs-training]")
    expect(needs.get_by_role("listitem").filter(has_text="Ben Athlete")).to_have_text(
        "Ben Athlete · Strength 1-2-1 · 2 days scheduled ahead"
    )
    clicks = Counter()
    clicks.click(laptop.get_by_role("link", name="Ada Athlete: 1 new comment on Heavy squats"))
    answer_box = laptop.get_by_label("Your comment")
    expect(laptop.get_by_role("log")).to_contain_text("Squats flew, bench was hard")
    answer_box.fill("Great work. Bench drops to 57.5 kg next week.")
    clicks.click(laptop.get_by_role("button", name="Comment", exact=True))
    expect(laptop.get_by_role("log")).to_contain_text("Bench drops to 57.5 kg")
    laptop.goto("/notices")
    expect(laptop.get_by_role("link", name=re.compile(r"Ada Athlete logged Heavy squats"))).to_be_visible()
    laptop_context.close()

    # Ada sees the answer without reloading: the thread's poll brought it.
    expect(thread).to_contain_text("Bench drops to 57.5 kg next week.", timeout=8_000)
    assert not has_horizontal_scroll(phone)
    assert_accessible(phone)
    assert phone.js_errors == []

    # The interaction counts the note reports.
    print(f"\nTaps to log a 3-exercise session as prescribed, from Today: {log_taps}")
    print(f"Clicks from Home to answering a comment (typing aside): {clicks.count}")
    assert log_taps == 2 and clicks.count == 2

    # flask notify at 07:30 where the coaches are: one digest each, and not again that day.
    time_machine.move_to(datetime.combine(gym.today + timedelta(days=1), time(7, 30), ZoneInfo(TIME_ZONE)))
    runner = app.test_cli_runner()
    assert "Digests sent: 2" in runner.invoke(args=["notify"]).output
    assert "Digests sent: 0" in runner.invoke(args=["notify"]).output
    digests = [m for m in smtp.wait_for(2) if m["Subject"].startswith("Your fitr day")]
    assert sorted(m["To"] for m in digests) == ["casey@example.com", "olive@example.com"]
    [caseys] = [m for m in digests if m["To"] == "casey@example.com"]
    assert "- Ada Athlete: Heavy squats (Strength 1-2-1)" in smtp.text(caseys)
