"""The keyboard-first session editor in a real browser: a 3-exercise session in a counted
handful of interactions, Enter adds a row without asking the server, rows reorder by keyboard
and by drag, a spreadsheet paste fills rows, and the editor fits a phone."""

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import calendar_id
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fitr.calendars.models import Prescription, Session
from fitr.extensions import db

DESKTOP = {"width": 1280, "height": 800}
PHONE_360 = {"width": 360, "height": 740}
DAY = "2026-11-10"
BEFORE = 17  # the old editor: Add session + Title + 4 fields x 3 + 2 x Add exercise + Save


@pytest.fixture
def coach_page(browser_page, one_to_one):
    log_in(browser_page)
    return browser_page


class Counted:
    """The coach's hands: every click, field filled (typed into) and key press counts one."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, text):
        self.count += 1
        locator.fill(text)

    def press(self, key):
        self.count += 1
        self.page.keyboard.press(key)


def open_editor(page, program, sub, day=DAY):
    page.goto(f"/programs/{program.id}/clients/{sub}/calendar?date={day}")
    page.get_by_role("button", name=f"Add session on {day}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def saved_sessions(app, cid):
    """[(title, [(exercise, sets, reps, load, unit, rpe)])] on the calendar, in order."""
    with app.app_context():
        sessions = db.session.scalars(
            select(Session).where(Session.calendar_id == cid).order_by(Session.date, Session.position)
            .options(selectinload(Session.prescriptions).joinedload(Prescription.exercise))
        ).all()
        return [
            (s.id, s.title, [(p.exercise.name, p.sets, p.reps_text, p.load_value, p.load_unit if p.load_value is not None else None, p.rpe)
                             for p in s.prescriptions])
            for s in sessions
        ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_360], ids=["laptop", "phone-360"])
def test_a_three_exercise_session_takes_a_handful_of_interactions(app, coach_page, one_to_one, browser, live_server, viewport):
    page = coach_page
    page.set_viewport_size(viewport)
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date={DAY}")
    hands = Counted(page)
    hands.click(page.get_by_role("button", name=f"Add session on {DAY}"))
    dialog = page.get_by_role("dialog")
    hands.fill(dialog.get_by_label("Title"), "Upper")
    hands.fill(dialog.get_by_label("Exercise 1", exact=True), "Back Squat 5x5 @ 100kg")
    hands.fill(dialog.get_by_label("Exercise 2", exact=True), "Bench Press 3x8-12 @ 70%")
    hands.fill(dialog.get_by_label("Exercise 3", exact=True), "Pull-up 3x8 @ RPE 8")
    expect(dialog.get_by_label("Load 2", exact=True)).to_have_value("70")  # split as the coach goes
    expect(dialog.get_by_label("Unit 2", exact=True)).to_have_value("%1rm")
    superset = dialog.get_by_role("group", name="Exercise 2").get_by_role("button", name="Superset with the exercise above")
    expect(superset).to_have_attribute("aria-pressed", "false")
    hands.click(superset)
    expect(superset).to_have_attribute("aria-pressed", "true")
    tags = dialog.locator("[data-row] [data-tag]")
    expect(tags).to_have_text(["A1", "A2", "B", "C"])  # C: the empty row waiting at the end
    expect(dialog.get_by_label("Rounds 1", exact=True)).to_be_visible()  # a group has rounds
    assert not has_horizontal_scroll(page)
    hands.press("ControlOrMeta+Enter")
    expect(dialog).to_be_hidden()
    print(f"editor interactions: before {BEFORE}, after {hands.count}")
    assert hands.count <= 8
    cid = calendar_id(app, one_to_one.ada)
    [(session_id, title, rows)] = saved_sessions(app, cid)
    with app.app_context():
        joined = db.session.scalars(select(Prescription.joined).where(Prescription.session_id == session_id).order_by(Prescription.position)).all()
    assert joined == [False, True, False]
    assert (title, rows) == ("Upper", [
        ("Back Squat", 5, "5", 100, "kg", None),
        ("Bench Press", 3, "8-12", 70, "%1rm", None),
        ("Pull-Up", 3, "8", None, None, 8),
    ])
    # As Ada sees it on her phone.
    context = browser.new_context(viewport=PHONE_360, base_url=live_server.url)
    ada = context.new_page()
    log_in(ada, "ada@example.com")
    ada.goto(f"/my/sessions/{session_id}")
    main = ada.get_by_role("main")
    expect(main).to_contain_text("Upper")
    expect(main.locator(".group-heading")).to_have_text(["Superset A · one set of each in turn"])
    expect(main.locator("fieldset.log-exercise > legend")).to_have_text(["A1 Back Squat", "A2 Bench Press", "B Pull-Up"])
    expect(main).to_contain_text("100 kg")
    context.close()
    assert page.js_errors == []


def test_enter_goes_to_a_new_row_without_asking_the_server(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Title").fill("Legs")
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/static/" not in request.url else None)
    dialog.get_by_label("Exercise 1", exact=True).press_sequentially("Front Squat 4x3 @ 80% TM")
    page.wait_for_timeout(400)  # the type-ahead may ask; that is not a new row
    requests.clear()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Exercise 2", exact=True)).to_be_focused()
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Front Squat")
    expect(dialog.get_by_label("Unit 1", exact=True)).to_have_value("%tm")
    page.keyboard.type("Plank 3x45s")
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Exercise 3", exact=True)).to_be_focused()
    expect(dialog.get_by_label("Time 2", exact=True)).to_be_visible()  # More opened: it holds a value
    expect(dialog.get_by_label("Time 2", exact=True)).to_have_value("45")
    page.keyboard.press("Enter")  # on the empty last row: nothing more to add
    expect(dialog.get_by_role("button", name="Save session")).to_be_focused()
    dialog.get_by_role("button", name="Remove exercise 1").click()  # Remove, in place too
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Plank")
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_be_focused()
    expect(dialog.locator("[data-row]")).to_have_count(2)
    assert [url for url in requests if "/exercises/matches" not in url] == []
    expect(dialog).to_be_visible()  # Enter never saved


def test_rows_reorder_with_alt_arrows_and_by_dragging_the_handle(app, coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Title").fill("Order")
    for i, typed in enumerate(["Back Squat 5x5", "Bench Press 3x8", "Pull-up 3x8"], start=1):
        dialog.get_by_label(f"Exercise {i}", exact=True).fill(typed)
    dialog.get_by_label("Exercise 1", exact=True).focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(dialog.get_by_label("Exercise 2", exact=True)).to_have_value("Back Squat")
    expect(dialog.get_by_label("Exercise 2", exact=True)).to_be_focused()  # the keyboard moved with it
    expect(dialog.locator("[data-rows-status]")).to_have_text("Back Squat moved to position 2.")
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Bench Press")
    # Drag Pull-up (row 3) above Bench Press (row 1) by its handle.
    handle = dialog.get_by_role("button", name="Drag or press Alt+Arrow keys to move exercise 3")
    dialog.get_by_role("group", name="Exercise 1").scroll_into_view_if_needed()
    target = dialog.get_by_role("group", name="Exercise 1").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 5, target["y"] + 5, steps=8)
    page.mouse.up()
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Pull-up")
    expect(dialog.locator("[data-rows-status]")).to_have_text("Pull-up moved to position 1.")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    [(_, _, rows)] = saved_sessions(app, calendar_id(app, one_to_one.ada))
    assert [r[0] for r in rows] == ["Pull-Up", "Bench Press", "Back Squat"]
    assert page.js_errors == []


def paste(locator, text):
    """A paste as the browser makes it from a spreadsheet's copied cells."""
    locator.focus()
    locator.evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_a_spreadsheet_paste_fills_a_row_per_line(app, coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Title").fill("Pasted")
    paste(dialog.get_by_label("Exercise 1", exact=True),
          "Back Squat\t5\t5\t100\tkg\t3:00\nBench Press\t3\t8-12\t70\t%1RM\t2:00\nPlank\t3\t\t\t\t1:00\t\tHold tight\n")  # fmt: skip
    expect(dialog.get_by_label("Exercise 3", exact=True)).to_have_value("Plank")
    expect(dialog.get_by_label("Rest 1", exact=True)).to_have_value("3:00")
    expect(dialog.get_by_label("Unit 2", exact=True)).to_have_value("%1rm")
    expect(dialog.get_by_label("Notes 3", exact=True)).to_have_value("Hold tight")
    expect(dialog.locator("[data-rows-status]")).to_have_text("Filled 3 rows from the paste.")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    [(_, _, rows)] = saved_sessions(app, calendar_id(app, one_to_one.ada))
    assert rows == [("Back Squat", 5, "5", 100, "kg", None), ("Bench Press", 3, "8-12", 70, "%1rm", None), ("Plank", 3, "", None, None, None)]


def test_a_paste_with_a_header_row_and_more_rows_than_a_session_holds(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    lines = ["Sets\tExercise\tReps"] + [f"3\tBack Squat\t{i % 9 + 1}" for i in range(35)]
    paste(dialog.get_by_label("Exercise 1", exact=True), "\n".join(lines))
    expect(dialog.locator("[data-rows-status]")).to_have_text(
        "Filled 30 rows; 5 left out: a session holds at most 30 exercises."
    )
    expect(dialog.locator("[data-row]")).to_have_count(30)
    expect(dialog.get_by_label("Exercise 30", exact=True)).to_have_value("Back Squat")
    expect(dialog.get_by_label("Reps 30", exact=True)).to_have_value("3")
    expect(dialog.get_by_label("Sets 30", exact=True)).to_have_value("3")


def test_the_editor_fits_a_360px_phone_and_passes_axe(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(PHONE_360)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Exercise 1", exact=True).fill("Back Squat 5x5 @ 100kg")
    page.keyboard.press("Enter")
    dialog.get_by_role("group", name="Exercise 1").get_by_text("More").click()
    expect(dialog.get_by_label("Notes 1", exact=True)).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def test_a_paste_with_labels_groups_its_rows_into_a_superset(app, coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Title").fill("Grouped")
    paste(dialog.get_by_label("Exercise 1", exact=True), "A1\tBack Squat\t5\t5\t100\nA2\tBench Press\t3\t8\nB\tPlank\t3")
    expect(dialog.locator("[data-row] [data-tag]")).to_have_text(["A1", "A2", "B", "C"])
    expect(dialog.get_by_role("group", name="Exercise 2").get_by_role("button", name="Superset with the exercise above")).to_have_attribute("aria-pressed", "true")
    dialog.get_by_label("Rounds 1", exact=True).fill("4")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    with app.app_context():
        rows = db.session.execute(select(Prescription.joined, Prescription.rounds).order_by(Prescription.position)).all()
    assert [tuple(r) for r in rows] == [(False, 4), (True, None), (False, None)]
    assert page.js_errors == []


def test_quick_entry_takes_a_superset_label_and_forms_without_an_at(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    dialog = open_editor(page, one_to_one, one_to_one.ada)
    dialog.get_by_label("Exercise 1", exact=True).fill("A1 Bench Press 3x8 @ 70%")
    page.keyboard.press("Enter")
    page.keyboard.type("A2 Barbell Row 3x8 60kg")
    page.keyboard.press("Enter")
    page.keyboard.type("Deadlift 5x5 100kg")
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Exercise 1", exact=True)).to_have_value("Bench Press")
    expect(dialog.get_by_label("Load 1", exact=True)).to_have_value("70")
    expect(dialog.get_by_label("Unit 1", exact=True)).to_have_value("%1rm")
    expect(dialog.get_by_label("Exercise 2", exact=True)).to_have_value("Barbell Row")
    expect(dialog.get_by_label("Load 2", exact=True)).to_have_value("60")
    superset = dialog.get_by_role("group", name="Exercise 2").get_by_role("button", name="Superset with the exercise above")
    expect(superset).to_have_attribute("aria-pressed", "true")  # "A2" joined the row above
    expect(dialog.get_by_label("Exercise 3", exact=True)).to_have_value("Deadlift")
    expect(dialog.get_by_label("Sets 3", exact=True)).to_have_value("5")
    expect(dialog.get_by_label("Load 3", exact=True)).to_have_value("100")
    expect(dialog.locator("[data-row] [data-tag]")).to_have_text(["A1", "A2", "B", "C"])
    assert page.js_errors == []
