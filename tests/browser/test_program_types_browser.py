"""FITR's other program types in the browser: a coach creates a Session 1 Day 1 program, writes
its template and invites a client, who accepts on a 360 px phone picking their start date, sees
a week ahead and moves a session; and a Fixed Length client shown as Program finished."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import assert_accessible, has_horizontal_scroll, log_in
from factories import PASSWORD, TIME_ZONE, accept_link, load_starter_exercises, make_user
from playwright.sync_api import expect
from sqlalchemy import select

from fitr.accounts.models import User
from fitr.calendars import rules as calendar_rules
from fitr.calendars.models import TEMPLATE_EPOCH, Calendar, Session
from fitr.extensions import db
from fitr.invites.accepting import accept_invite
from fitr.invites.inviting import invite_by_email
from fitr.invites.models import Invite
from fitr.programs.models import Program

PHONE_360 = {"width": 360, "height": 740}


def fits(page):
    assert not has_horizontal_scroll(page), page.url
    assert_accessible(page)


def test_a_session_1_day_1_client_picks_their_start_and_moves_a_session_on_a_phone(
    app, smtp, browser_page, coach, live_server, today
):
    load_starter_exercises(app)
    page = browser_page
    log_in(page)

    # The coach creates the program, chooses its type, and publishes it.
    page.goto("/programs/new")
    page.get_by_label("Name").fill("Run Club")
    page.get_by_label("Session 1 Day 1 (self-paced)").check()
    page.get_by_label("Free (invite-only)").check()
    fits(page)
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_text("Session 1 Day 1 (self-paced) · no weeks written yet")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    program_url = page.url

    # Two sessions in the Program template: Week 1 Day 1 and Day 3.
    page.get_by_role("link", name="Program template").click()
    for label, title in (("Week 1, Day 1", "Easy run"), ("Week 1, Day 3", "Intervals")):
        page.get_by_role("button", name=f"Add session on {label}").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Title").fill(title)
        dialog.get_by_role("button", name="Save session").click()
        expect(dialog).to_be_hidden()
    page.goto(program_url)
    expect(page.get_by_text("Session 1 Day 1 (self-paced) · 1 week: each client picks their own start date")).to_be_visible()
    fits(page)

    # The invite goes out by email.
    page.get_by_role("link", name="Add client").click()
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text("Sending the invite to ada@example.com")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # Ada accepts on her phone, starting tomorrow.
    page.set_viewport_size(PHONE_360)
    [message] = smtp.wait_for(1)
    page.goto(accept_link(smtp.text(message)).replace("http://localhost", live_server.url))
    start = today + timedelta(days=1)
    expect(page.get_by_label("Start date")).to_have_value(today.isoformat())
    fits(page)
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Start date").fill((today + timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Accept invite").click()
    expect(page.get_by_text("Choose a start date from today")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_value(PASSWORD)  # not typed again
    fits(page)
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_role("button", name="Accept invite").click()

    # Today shows the week ahead: both sessions, from the day she picked.
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Easy run")).to_be_visible()
    expect(page.get_by_role("link", name="Intervals")).to_be_visible()
    fits(page)

    # She moves Intervals two days later.
    page.get_by_role("link", name="Intervals").click()
    page.get_by_role("link", name="Move session").click()
    expect(page.get_by_role("heading", name="Move session")).to_be_visible()
    fits(page)
    moved_to = start + timedelta(days=4)
    page.get_by_label("Move to").fill(moved_to.isoformat())
    page.get_by_role("button", name="Move session").click()
    expect(page.get_by_text(f"Moved “Intervals” to {moved_to:%A} {moved_to.day} {moved_to:%B}.")).to_be_visible()
    fits(page)
    with app.app_context():
        dates = db.session.execute(
            select(Session.title, Session.date).join(Calendar, Session.calendar_id == Calendar.id)
            .join(Invite, Invite.subscription_id == Calendar.subscription_id)
        ).all()
    assert sorted(dates) == [("Easy run", start), ("Intervals", moved_to)]
    assert [e for e in page.js_errors if "status of 400" not in e] == []  # the refused start date


def test_a_fixed_length_client_is_shown_as_program_finished(app, browser_page, coach, make_program, today, time_machine):
    load_starter_exercises(app)
    program = make_program(coach, status="published", name="4 Week Block", type="fixed")
    with app.app_context():
        template = calendar_rules.template_calendar(db.session.get(Program, program))
        calendar_rules.add_session(template, TEMPLATE_EPOCH + timedelta(days=21), coach, "Test day")  # week 4
        db.session.commit()
    make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    with app.test_request_context():
        [issued] = invite_by_email(db.session.get(Program, program), db.session.get(User, coach), ["ada@example.com"]).issued
        accept_invite(issued.token, user=db.session.scalar(select(User).where(User.email == "ada@example.com")))
        db.session.commit()

    # Four weeks and a day later, in Ada's time zone.
    time_machine.move_to(datetime.combine(today + timedelta(days=28), time(9, 0), ZoneInfo(TIME_ZONE)))
    page = browser_page
    log_in(page)
    page.goto(f"/programs/{program}")
    row = page.locator(".client-row", has_text="Ada Athlete")
    expect(row.get_by_text("Program finished")).to_be_visible()
    expect(page.get_by_text("Fixed Length · 4 weeks")).to_be_visible()
    fits(page)
    row.get_by_role("link", name="Overview of Ada Athlete").click()
    expect(page.get_by_text("Ada Athlete finished 4 Week Block")).to_be_visible()
    fits(page)
    page.get_by_role("link", name="Invite to another program for Ada Athlete").click()
    expect(page.get_by_label("Email")).to_have_value("ada@example.com")
    fits(page)
    page.get_by_role("button", name="Log out").click()

    page.set_viewport_size(PHONE_360)
    log_in(page, "ada@example.com")
    page.goto("/my")
    expect(page.get_by_role("heading", name="You finished 4 Week Block")).to_be_visible()
    fits(page)
    page.goto("/my/programs")
    expect(page.get_by_text("Program finished")).to_be_visible()
    fits(page)
    assert page.js_errors == []
