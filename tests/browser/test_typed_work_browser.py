"""Typed work is never lost (issue 27, point 2): the session editor, once changed, asks before
Escape or Close shut it, and keeps what was typed when the coach says no; a saved or unchanged
editor closes without asking. The program form asks before its page is left unsaved."""

from conftest import log_in
from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}
DAY = "2026-11-10"


def answering(page, accept):
    """Answer the next question the page asks; the list fills with what it asked."""
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def test_the_session_editor_asks_before_it_discards_typed_work(browser_page, one_to_one):
    page = browser_page
    log_in(page)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/programs/{one_to_one.id}/clients/{one_to_one.ada}/calendar?date={DAY}")
    add = page.get_by_role("button", name=f"Add session on {DAY}")
    add.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Title")).to_be_visible()
    page.keyboard.press("Escape")  # nothing typed: it closes without a word
    expect(dialog).to_be_hidden()

    add.click()
    dialog.get_by_label("Title").fill("Upper")
    dialog.get_by_label("Exercise 1", exact=True).fill("Bench Press 3x8")
    asked = answering(page, accept=False)
    page.keyboard.press("Escape")
    expect(dialog).to_be_visible()
    assert asked == ["confirm"]
    expect(dialog.get_by_label("Title")).to_have_value("Upper")  # kept, as typed
    asked = answering(page, accept=False)
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_be_visible()
    assert asked == ["confirm"]
    asked = answering(page, accept=True)
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_be_hidden()
    assert asked == ["confirm"]

    add.click()  # discarded: the day opens empty
    expect(dialog.get_by_label("Title")).to_have_value("")
    dialog.get_by_label("Title").fill("Lower")
    dialog.get_by_label("Exercise 1", exact=True).fill("Back Squat 5x5")
    dialog.get_by_role("button", name="Save session").click()  # saved: nothing to ask
    expect(dialog).to_be_hidden()
    expect(page.locator(f'[data-date="{DAY}"]')).to_contain_text("Lower")
    assert page.js_errors == []


def test_the_program_form_asks_before_its_page_is_left_unsaved(browser_page, coach):
    page = browser_page
    log_in(page)
    page.goto("/programs/new")
    page.get_by_label("Name").fill("Strength Block")
    page.get_by_label("Free (invite-only)").check()
    asked = answering(page, accept=False)
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_label("Name")).to_have_value("Strength Block")  # stayed, as typed
    assert asked == ["beforeunload"]
    page.get_by_role("button", name="Create program").click()  # saving leaves without a question
    expect(page.get_by_role("heading", name="Strength Block")).to_be_visible()
    assert asked == ["beforeunload"]
