"""Training with no signal (issue 26, point 4), on a 375 px touch phone: after one visit, Today
and the coming days' sessions and workouts open offline; a session logged offline with Done as
prescribed and another set by set in workout mode wait on the phone ("2 logs waiting to send")
and reach the coach once when the signal returns; logging out leaves nothing readable offline,
and on a shared phone the next person never sees the last one's pages."""

from datetime import timedelta

from conftest import WORKER_STATE, log_in
from factories import plan, rows, update_user
from playwright.sync_api import expect

from fitr.history.models import SessionLog

PHONE_CONTEXT = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"width": 1280, "height": 900}


# Every one of these pages is kept on the phone.
ALL_KEPT = """async (urls) => {
  const cache = await caches.open("fitr-pages");
  for (const url of urls) if (!(await cache.match(url))) return false;
  return true;
}"""


def phone(browser, page_watch, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE_CONTEXT)
    context.set_default_timeout(10_000)
    return context, page_watch.page(context.new_page())


def visit_today(page, *kept):
    """Open Today once with the worker in control, and wait until these pages are kept."""
    page.goto("/my")
    assert page.evaluate(WORKER_STATE) == "activated"
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.locator("body[data-kept-on-phone]").wait_for(state="attached")
    assert page.evaluate(ALL_KEPT, ["/my", *kept])


def test_after_one_visit_today_and_the_coming_sessions_open_offline(app, gym, browser, page_watch, live_server):
    update_user(app, gym.ada, is_coach=False)
    today_id = plan(app, gym.ada_sub, gym.today, title="Heavy squats")
    tomorrow_id = plan(app, gym.ada_sub, gym.today + timedelta(days=1), title="Pulling day")
    context, page = phone(browser, page_watch, live_server)
    log_in(page, "ada@example.com")
    visit_today(page, f"/my/sessions/{today_id}", f"/my/sessions/{tomorrow_id}/workout")

    context.set_offline(True)
    page.goto("/my")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_text("Heavy squats").first).to_be_visible()
    page.goto(f"/my/sessions/{tomorrow_id}")
    expect(page.get_by_role("heading", name="Pulling day")).to_be_visible()
    page.goto(f"/my/sessions/{tomorrow_id}/workout")
    expect(page.get_by_role("button", name="Back Squat set 1 done")).to_be_visible()
    page.goto("/my/history")  # a page not kept
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    context.set_offline(False)


def test_logs_made_offline_reach_the_coach_once_when_the_signal_returns(app, gym, browser, page_watch, live_server):
    update_user(app, gym.ada, is_coach=False)
    squats = plan(app, gym.ada_sub, gym.today, title="Heavy squats")
    workout = plan(app, gym.ada_sub, gym.today, title="Full body", exercises=(("Back Squat", 2, 5, 100),))
    context, page = phone(browser, page_watch, live_server)
    log_in(page, "ada@example.com")
    visit_today(page, f"/my/sessions/{squats}", f"/my/sessions/{workout}/workout")

    context.set_offline(True)
    page.goto(f"/my/sessions/{squats}")
    page.get_by_role("button", name="Done as prescribed").tap()
    page.wait_for_url("**/my")
    expect(page.get_by_role("status").filter(has_text="1 log waiting to send")).to_be_visible()

    page.goto(f"/my/sessions/{workout}/workout")
    page.get_by_role("button", name="Back Squat set 1 done").tap()
    page.get_by_role("button", name="Back Squat set 2 done").tap()
    page.get_by_role("button", name="Finish workout").tap()
    page.wait_for_url("**/my")
    expect(page.get_by_role("status").filter(has_text="2 logs waiting to send")).to_be_visible()
    # Finish again (the workout is still kept, with its key): a repeat that must not log twice.
    page.goto(f"/my/sessions/{workout}/workout")
    page.get_by_role("button", name="Finish workout").tap()
    page.wait_for_url("**/my")
    expect(page.get_by_role("status").filter(has_text="3 logs waiting to send")).to_be_visible()
    assert rows(app, SessionLog) == []

    context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="waiting to send")).to_have_count(0)
    logs = rows(app, SessionLog)
    assert sorted((entry.session_id, entry.status) for entry in logs) == [(squats, "done"), (workout, "done")]

    page.goto("/my/history")
    expect(page.locator(".log-card").filter(has_text="Heavy squats")).to_have_count(1)
    expect(page.locator(".log-card").filter(has_text="Full body")).to_have_count(1)
    laptop = page_watch.page(browser.new_context(viewport=DESKTOP, base_url=live_server.url).new_page())
    log_in(laptop)
    laptop.goto(f"/programs/{gym.strength}/clients/{gym.ada_sub}/calendar?date={gym.today.isoformat()}")
    cell = laptop.locator(f'[data-date="{gym.today.isoformat()}"]')
    expect(cell.locator("[data-completion=done]")).to_have_count(2)


def test_logging_out_leaves_nothing_readable_offline_and_the_next_person_sees_only_theirs(app, gym, browser, page_watch, live_server):
    for user in (gym.ada, gym.ben):
        update_user(app, user, is_coach=False)
    ada_session = plan(app, gym.ada_sub, gym.today, title="Ada's squats")
    ben_session = plan(app, gym.ben_sub, gym.today, title="Ben's presses")
    context, page = phone(browser, page_watch, live_server)
    log_in(page, "ada@example.com")
    visit_today(page, f"/my/sessions/{ada_session}")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login**")
    context.set_offline(True)
    for path in ("/my", f"/my/sessions/{ada_session}", f"/my/sessions/{ada_session}/workout"):
        page.goto(path)
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_text("Ada's squats")).to_have_count(0)
    context.set_offline(False)

    # Ada again, then her login runs out without Log out; Ben logs in on the same phone.
    log_in(page, "ada@example.com")
    visit_today(page, f"/my/sessions/{ada_session}")
    context.clear_cookies()
    log_in(page, "ben@example.com")
    visit_today(page, f"/my/sessions/{ben_session}")
    context.set_offline(True)
    page.goto("/my")
    expect(page.get_by_text("Ben's presses").first).to_be_visible()
    expect(page.get_by_text("Ada's squats")).to_have_count(0)
    page.goto(f"/my/sessions/{ada_session}")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    context.set_offline(False)
