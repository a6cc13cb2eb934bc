"""The coach's calendar in a real browser: add a session inline, switch client without a page
reload, move a session, copy a week to another client."""

import re
from datetime import date

import pytest
from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import NOV_3, add_subscription, calendar_id, calendar_rows, log, plan
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}


def calendar_path(program, sub, **query):
    path = f"/programs/{program.id}/clients/{sub}/calendar"
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def coach_page(browser_page, one_to_one):
    log_in(browser_page)
    return browser_page


def unexpected(errors):
    """Script errors, leaving out the browser's and htmx's notes about a 400 we asked for."""
    return [e for e in errors if "status of 400" not in e and "Response Status Error Code 400" not in e]


def day(page, iso):
    return page.locator(f'[data-date="{iso}"]')


def test_coach_adds_a_session_inline_with_prescriptions(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name="Add session on 2026-11-03").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Title").fill("Lower body")
    dialog.get_by_label("Exercise 1", exact=True).fill("Back Squat")
    dialog.get_by_label("Sets 1", exact=True).fill("5")
    dialog.get_by_label("Reps 1", exact=True).fill("5")
    dialog.get_by_label("Load 1", exact=True).fill("100")
    dialog.get_by_role("button", name="Add exercise").click()
    dialog.locator("#prescriptions-1-exercise").fill("Romanian Deadlift")
    dialog.locator("#prescriptions-1-sets").fill("3")
    dialog.locator("#prescriptions-1-reps").fill("8-10")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    cell = day(page, "2026-11-03")
    expect(cell).to_contain_text("Lower body")
    expect(cell.locator(".card-line")).to_have_text(["A · Back Squat · 5×5 @ 100 kg", "B · Romanian Deadlift · 3×8-10"])
    assert page.evaluate("window.__marker") == 1
    # Open it again, fix a mistake the server points out, and save.
    cell.get_by_role("button", name=re.compile("Lower body")).click()
    dialog.get_by_label("Sets").first.fill("500")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_contain_text("Sets must be from 1 to 50.")
    dialog.get_by_label("Sets").first.fill("4")
    dialog.get_by_role("button", name="Save session").click()
    expect(dialog).to_be_hidden()
    expect(cell.locator(".card-line").first).to_have_text("A · Back Squat · 4×5 @ 100 kg")
    assert page.evaluate("window.__marker") == 1
    assert unexpected(page.js_errors) == []


def test_switching_client_swaps_the_calendar_without_a_page_reload(coach_page, one_to_one, app):
    plan(app, one_to_one.ben, NOV_3, title="Ben's day")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    expect(page.locator("#calendar-title")).to_contain_text("Ada Athlete")
    page.evaluate("window.__marker = 1")
    switcher = page.evaluate_handle("document.querySelector('.switcher')")
    page.get_by_role("link", name="Ben Athlete").click()
    expect(page.locator("#calendar-title")).to_contain_text("Ben Athlete")
    expect(day(page, "2026-11-03")).to_contain_text("Ben's day")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.ben, view="month", date="2026-11-01"))
    assert page.evaluate("window.__marker") == 1
    # Only the calendar was swapped: the switcher beside it is the very same element.
    assert page.evaluate("(s) => s.isConnected && s === document.querySelector('.switcher')", switcher)
    expect(page.get_by_role("link", name="Ben Athlete")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Next month").click()
    expect(page.locator(".cal-period")).to_have_text("December 2026")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.ben, view="month", date="2026-12-01"))
    page.go_back()
    expect(page.locator(".cal-period")).to_have_text("November 2026")
    page.go_back()
    expect(page.locator("#calendar-title")).to_contain_text("Ada Athlete")
    # The template is one more place in the switcher, marked like a client when on screen.
    page.get_by_role("link", name="Program template").click()
    expect(page.locator("#calendar-title")).to_have_text("Program template")
    expect(page.get_by_role("link", name="Program template")).to_have_attribute("aria-current", "page")
    expect(page.locator(".switcher [aria-current]")).to_have_count(1)
    assert page.js_errors == []


@pytest.mark.parametrize("view", ["month", "week"])
def test_calendar_fits_a_phone_screen(coach_page, one_to_one, app, view):
    plan(app, one_to_one.ada, NOV_3, title="A rather long session title that must wrap on a phone")
    page = coach_page
    page.goto(calendar_path(one_to_one, one_to_one.ada, view=view, date="2026-11-03"))
    expect(day(page, "2026-11-03")).to_contain_text("A rather long session title")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Add session on 2026-11-04").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)


def test_month_view_on_a_laptop_greys_the_other_months_days_legibly(coach_page, one_to_one, app):
    plan(app, one_to_one.ada, NOV_3, title="Lower body")
    page = coach_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(calendar_path(one_to_one, one_to_one.ada, view="month", date="2026-11-03"))
    expect(day(page, "2026-10-26")).to_be_visible()  # a greyed day of October, shown on the grid
    assert_accessible(page)  # its text, and the links, keep WCAG AA contrast


def test_coach_moves_a_session_by_drag_and_drop_and_with_the_date_field(coach_page, one_to_one, app):
    plan(app, one_to_one.ada, NOV_3, title="Lower body")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    page.drag_and_drop('[data-date="2026-11-03"] .session', '[data-date="2026-11-05"]')
    expect(day(page, "2026-11-05")).to_contain_text("Lower body")
    expect(day(page, "2026-11-03")).not_to_contain_text("Lower body")
    expect(page.get_by_role("status")).to_contain_text("Moved “Lower body” to Thu 5 Nov 2026.")
    page.get_by_role("button", name="Undo").click()
    expect(day(page, "2026-11-03")).to_contain_text("Lower body")
    # Keyboard and phone users: the editor's date field.
    day(page, "2026-11-03").get_by_role("button", name=re.compile("Lower body")).click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#to-date").fill("2026-11-20")
    dialog.get_by_role("button", name="Move", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(day(page, "2026-11-20")).to_contain_text("Lower body")
    expect(day(page, "2026-11-03")).not_to_contain_text("Lower body")
    assert page.evaluate("window.__marker") == 1
    assert page.js_errors == []


def test_coach_copies_a_week_to_another_client(coach_page, one_to_one, app):
    plan(app, one_to_one.ada, NOV_3, title="Lower body")
    plan(app, one_to_one.ada, date(2026, 11, 5), title="Upper body")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, view="week", date="2026-11-03"))
    page.evaluate("window.__marker = 1")
    page.get_by_text("Copy and templates").click()  # the header's menu
    page.get_by_role("link", name="Copy a day or week").click()
    expect(page.get_by_role("heading", name="Copy a day or week")).to_be_focused()
    form = page.locator(".copy-form")
    form.get_by_label("A week (7 days)").check()
    form.locator("#copy-source-date").fill("2026-11-02")
    form.locator("#copy-to-date").fill("2026-11-09")
    expect(form.get_by_label("Ada Athlete")).not_to_be_checked()  # the source is not ticked for the coach
    form.get_by_label("Cleo Athlete").check()
    form.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status")).to_contain_text("Copied the week from Mon 2 Nov 2026 to Mon 9 Nov 2026 on Cleo Athlete’s calendar: 2 sessions.")
    page.get_by_role("link", name="Cleo Athlete").click()
    expect(page.locator("#calendar-title")).to_contain_text("Cleo Athlete")
    page.get_by_role("link", name="Next week").click()
    expect(day(page, "2026-11-10")).to_contain_text("Lower body")
    expect(day(page, "2026-11-12")).to_contain_text("Upper body")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.cleo, view="week", date="2026-11-09"))
    page.set_viewport_size({"width": 375, "height": 740})
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.evaluate("window.__marker") == 1
    assert page.js_errors == []


def test_coach_searches_a_long_client_list_and_picks_a_client(coach_page, one_to_one, app):
    for name in ("Eve", "Fay", "Gil", "Hal", "Ivy"):
        add_subscription(app, one_to_one.id, f"{name.lower()}@example.com", name=f"{name} Pending")
    plan(app, one_to_one.cleo, NOV_3, title="Cleo's day")
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    clients = page.get_by_role("complementary").get_by_role("list")
    expect(clients.get_by_role("link")).to_have_count(9)
    page.get_by_label("Search clients").fill("cle")
    expect(clients.get_by_role("link")).to_have_count(1)
    expect(clients.get_by_role("link", name="Ada Athlete")).to_have_count(0)
    clients.get_by_role("link", name="Cleo Athlete").click()
    expect(page.locator("#calendar-title")).to_contain_text("Cleo Athlete")
    expect(day(page, "2026-11-03")).to_contain_text("Cleo's day")
    assert page.url.endswith(calendar_path(one_to_one, one_to_one.cleo, view="month", date="2026-11-01"))
    expect(clients.get_by_role("link", name="Cleo Athlete")).to_have_attribute("aria-current", "page")
    page.get_by_label("Search clients").fill("nobody")
    expect(page.get_by_role("complementary")).to_contain_text("No clients match “nobody”.")
    assert page.evaluate("window.__marker") == 1
    assert page.js_errors == []


def test_delete_asks_first_only_deletes_when_the_coach_confirms_and_can_be_undone(coach_page, one_to_one, app):
    plan(app, one_to_one.ada, NOV_3, title="Lower body")
    cid = calendar_id(app, one_to_one.ada)
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    cell = day(page, "2026-11-03")
    cell.get_by_role("button", name=re.compile("Lower body")).click()
    dialog = page.get_by_role("dialog")
    asked = []

    def answer(confirm, accept):
        asked.append(confirm.message)
        confirm.accept() if accept else confirm.dismiss()

    page.once("dialog", lambda confirm: answer(confirm, accept=False))
    dialog.get_by_role("button", name="Delete").click()
    assert asked == ["Delete “Lower body”?"]
    expect(dialog).to_be_visible()
    expect(cell).to_contain_text("Lower body")
    assert [row[1] for row in calendar_rows(app, cid)] == ["Lower body"]
    page.once("dialog", lambda confirm: answer(confirm, accept=True))
    dialog.get_by_role("button", name="Delete").click()
    expect(dialog).to_be_hidden()
    expect(cell).not_to_contain_text("Lower body")
    assert calendar_rows(app, cid) == []
    expect(page.get_by_role("status")).to_contain_text("Deleted “Lower body”.")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Restored “Lower body”.")
    expect(cell).to_contain_text("Lower body")
    assert [row[1] for row in calendar_rows(app, cid)] == ["Lower body"]
    assert page.js_errors == []


def test_a_session_deleted_in_another_tab_cannot_be_moved_and_the_calendar_catches_up(coach_page, one_to_one, app):
    sid = plan(app, one_to_one.ada, NOV_3, title="Lower body")
    cid = calendar_id(app, one_to_one.ada)
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.evaluate("window.__marker = 1")
    other_tab = page.context.new_page()
    other_tab.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    other_tab.locator(f'[data-session-id="{sid}"] button').click()
    other_tab.once("dialog", lambda confirm: confirm.accept())
    other_tab.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(other_tab.locator(f'[data-session-id="{sid}"]')).to_have_count(0)
    other_tab.close()

    page.drag_and_drop('[data-date="2026-11-03"] .session', '[data-date="2026-11-05"]')
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("alert")).to_have_text("This session was deleted in another tab, so nothing was changed.")
    expect(page.locator(f'[data-session-id="{sid}"]')).to_have_count(0)
    expect(page.locator(".cal-period")).to_have_text("November 2026")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert calendar_rows(app, cid) == []
    assert page.evaluate("window.__marker") == 1
    assert unexpected_409(page.js_errors) == []


def unexpected_409(errors):
    return [e for e in errors if "status of 409" not in e and "Response Status Error Code 409" not in e]


def test_week_view_on_a_phone_is_a_list_of_days(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(calendar_path(one_to_one, one_to_one.ada, view="week", date="2026-11-03"))
    boxes = [day(page, f"2026-11-0{d}").bounding_box() for d in range(2, 9)]
    assert all(box is not None for box in boxes)
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert below["x"] == above["x"]
        assert below["y"] >= above["y"] + above["height"]
    assert not has_horizontal_scroll(page)
    assert_accessible(page)


def test_coach_sees_on_a_phone_that_a_client_did_a_session_and_what_they_lifted(coach_page, one_to_one, app, today):
    from datetime import timedelta

    yesterday = today - timedelta(days=1)
    sid = plan(app, one_to_one.ada, yesterday, title="Lower body",
               exercises=[("Back Squat", 3, 5, 100), ("Romanian Deadlift", 3, 8, 80)])  # fmt: skip
    with app.app_context():
        from fitr.extensions import db
        from fitr.subscriptions.models import Subscription

        ada = db.session.get(Subscription, one_to_one.ada).client_id
    log(app, ada, sid, [("Back Squat", 5, 100), ("Back Squat", 5, 105), ("Romanian Deadlift", 8, 80)], day=yesterday, rpe=8,
        notes="Heavy but smooth", today=today)  # fmt: skip
    page = coach_page
    page.goto(calendar_path(one_to_one, one_to_one.ada, view="week", date=yesterday.isoformat()))
    cell = day(page, yesterday.isoformat())
    expect(cell.get_by_role("button", name=re.compile("Lower body"))).to_contain_text("Done")
    cell.get_by_role("button", name=re.compile("Lower body")).click()
    logged = page.get_by_role("dialog").get_by_role("region", name="What the client logged")
    expect(logged).to_contain_text("Back Squat: 1 × 5 @ 100 kg, 1 × 5 @ 105 kg")
    expect(logged).to_contain_text("RPE 8")
    expect(logged).to_contain_text("Heavy but smooth")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    assert page.js_errors == []


def focused_name(page):
    """The focused element's id, or its text: where a keyboard user is."""
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_keyboard_user_keeps_their_place_through_the_editor_and_after_saving(coach_page, one_to_one):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.get_by_role("button", name="Add session on 2026-11-05").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#prescriptions-0-exercise")).to_be_focused()  # a new session starts on its first exercise
    dialog.get_by_label("Title").focus()
    page.keyboard.type("Pull day")
    dialog.locator("#prescriptions-0-exercise").focus()
    page.keyboard.type("Pull-Up")
    dialog.get_by_role("button", name="Add exercise").focus()
    page.keyboard.press("Enter")
    expect(dialog.locator("#prescriptions-1-exercise")).to_be_focused()  # the new row, ready to type
    page.keyboard.type("Unicorn Row")
    dialog.get_by_role("button", name="Move exercise 2 up").focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("button", name="Move exercise 1 down")).to_be_focused()  # the row it moved
    dialog.get_by_role("button", name="Save session").focus()
    page.keyboard.press("Enter")
    # Refused: the keyboard lands on the field whose message says why, not at the top of the page.
    expect(dialog.locator("#prescriptions-0-exercise")).to_be_focused()
    expect(dialog.locator("#prescriptions-0-exercise-error")).to_contain_text("Choose an exercise from your library")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Barbell Row")
    page.keyboard.press("ControlOrMeta+Enter")  # Ctrl/Cmd+Enter saves (Enter goes to the next row)
    expect(dialog).to_be_hidden()
    saved = day(page, "2026-11-05").get_by_role("button", name=re.compile("Pull day"))
    expect(saved).to_be_focused()  # the day was swapped; the keyboard is on what was just saved
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Later in the day").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(day(page, "2026-11-05").get_by_role("button", name=re.compile("Pull day"))).to_be_focused()
    page.get_by_role("link", name="Next month").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".cal-period")).to_have_text("December 2026")
    expect(page.get_by_role("link", name="Next month")).to_be_focused()
    assert unexpected(page.js_errors) == []


def test_a_double_click_on_save_session_or_duplicate_does_it_once(coach_page, one_to_one, app):
    page = coach_page
    page.set_viewport_size(DESKTOP)
    page.goto(calendar_path(one_to_one, one_to_one.ada, date="2026-11-01"))
    page.get_by_role("button", name="Add session on 2026-11-06").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Once")
    dialog.locator("#prescriptions-0-exercise").fill("Back Squat")
    dialog.get_by_role("button", name="Save session").dblclick()
    expect(dialog).to_be_hidden()
    sessions = day(page, "2026-11-06").locator("[data-session-id]")
    expect(sessions).to_have_count(1)
    sessions.get_by_role("button", name=re.compile("Once")).click()
    dialog.get_by_role("button", name="Duplicate").dblclick()
    expect(page.get_by_role("status")).to_contain_text("Duplicated “Once”.")
    page.reload()
    expect(sessions).to_have_count(2)
    cid = calendar_id(app, one_to_one.ada)
    assert [row[1] for row in calendar_rows(app, cid)] == ["Once", "Once"]


def test_deleting_a_library_workout_asks_first(coach_page, one_to_one, app):
    from fitr.extensions import db
    from fitr.library import workouts as library_workouts

    with app.app_context():
        library_workouts.add_workout(one_to_one.coach_id, "Hill sprints")
        db.session.commit()
    page = coach_page
    page.goto("/workouts")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Delete Hill sprints from your library").click()
    expect(page.get_by_role("link", name="Hill sprints")).to_be_visible()
    assert asked and "Hill sprints" in asked[0]
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete Hill sprints from your library").click()
    expect(page.get_by_text("Deleted “Hill sprints” from your library.")).to_be_visible()
    expect(page.get_by_role("link", name="Hill sprints")).to_have_count(0)
    assert unexpected(page.js_errors) == []
