"""Answering from Home (issue 27, point 1): one click on an unread comment or message lands on its
thread with the newest message in view and the keyboard in the reply box; typing and Enter
answer it. A comment is answered in 3 interactions from Home: click, type, send."""

from conftest import PHONE, assert_accessible, has_horizontal_scroll, log_in
from factories import plan, update_user
from playwright.sync_api import expect

from fitr.accounts.models import User
from fitr.calendars.models import Session
from fitr.conversations import rules as conversation_rules
from fitr.extensions import db
from fitr.programs.models import Program

DESKTOP = {"width": 1280, "height": 800}


def write(app, author_id, bodies, session_id=None, program_id=None, coach_id=None):
    """Ada's comments on a session (or messages to her coach), as the session page sends them."""
    with app.app_context():
        author = db.session.get(User, author_id)
        if session_id:
            thread = conversation_rules.session_thread(db.session.get(Session, session_id), db.session.get(Program, program_id), author_id)
        else:
            thread = conversation_rules.direct_thread(coach_id, author_id)
        for body in bodies:
            conversation_rules.post(thread, author, body)
        db.session.commit()


def test_a_comment_is_answered_from_home_in_three_interactions(app, gym, browser_page):
    update_user(app, gym.ada, is_coach=False)
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day")
    write(app, gym.ada, [f"Warm-up note {i}" for i in range(8)] + ["Knee felt odd on set 3"], session_id, gym.strength)
    page = browser_page
    page.set_viewport_size(DESKTOP)
    log_in(page)
    page.goto("/home")
    interactions = 0

    page.get_by_role("link", name="Ada Athlete: 9 new comments on Squat day").click()
    interactions += 1
    reply = page.get_by_label("Your comment")
    expect(reply).to_be_focused()
    newest = page.get_by_role("log").get_by_text("Knee felt odd on set 3")
    expect(newest).to_be_in_viewport()
    page.keyboard.type("Ease off to 90 kg and tell me how it feels")
    interactions += 1
    page.keyboard.press("Enter")
    interactions += 1

    expect(page.get_by_role("log").get_by_text("Ease off to 90 kg and tell me how it feels")).to_be_visible()
    expect(reply).to_have_value("")
    assert interactions == 3
    assert page.js_errors == []


def test_a_message_opens_with_the_reply_box_ready_and_shift_enter_keeps_a_new_line(app, gym, browser_page):
    update_user(app, gym.ada, is_coach=False)
    write(app, gym.ada, ["Can we move Friday?"], coach_id=gym.coach)
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page)
    page.goto("/home")
    page.get_by_role("link", name="Ada Athlete: 1 new message").click()
    reply = page.get_by_label("Your message")
    expect(reply).to_be_focused()
    page.keyboard.type("Saturday works.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Same time?")
    expect(reply).to_have_value("Saturday works.\nSame time?")  # Shift+Enter: a new line, not sent
    page.keyboard.press("Enter")
    expect(page.get_by_role("log").get_by_text("Same time?")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    # An empty box sends nothing.
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".bubbles > li")).to_have_count(2)
