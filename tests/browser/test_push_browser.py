"""Settings > Reminders in a phone's browser: the choices and the button to turn reminders on,
labelled and fitting a 360 px screen; and the service worker showing a push as a notification.
(Chromium here reaches no real push service, so the subscription itself is tested in
tests/test_push.py, posted with a real key pair as the browser posts it.)"""

import json

import pytest
from conftest import has_horizontal_scroll, log_in
from factories import make_user
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=NARROW, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_client_chooses_a_training_reminder_on_a_narrow_phone(app, phone):
    make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    context, page = phone
    log_in(page, "ada@example.com")
    page.goto("/my/settings")
    page.get_by_role("link", name="Choose reminders").click()
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on reminders on this phone")).to_be_visible()
    assert not has_horizontal_scroll(page)
    expect(page.get_by_role("group", name="My clients")).to_have_count(0)

    page.get_by_label("Training reminder").check()
    page.get_by_label("Remind me at").fill("06:30")
    page.get_by_label("New training on your calendar").check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    expect(page.get_by_label("Training reminder")).to_be_checked()
    expect(page.get_by_label("Remind me at")).to_have_value("06:30")
    expect(page.get_by_label("Your coach replied")).not_to_be_checked()
    assert not has_horizontal_scroll(page)


def test_coach_sees_the_choices_about_clients(app, coach, phone):
    context, page = phone
    log_in(page)
    page.goto("/my/settings/reminders")
    clients = page.get_by_role("group", name="My clients")
    for label in ("My clients' logs", "My clients' comments", "My clients' messages"):
        expect(clients.get_by_label(label)).to_be_visible()
    assert not has_horizontal_scroll(page)


def test_turning_reminders_on_when_notifications_are_blocked_says_so(app, phone):
    make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    context, page = phone
    log_in(page, "ada@example.com")
    page.goto("/my/settings/reminders")
    page.get_by_role("button", name="Turn on reminders on this phone").click()
    expect(page.get_by_role("status").filter(has_text="Notifications are blocked")).to_be_visible()


def test_the_service_worker_shows_a_push_and_its_tap_opens_the_page(app, phone):
    make_user(app, "Ada Athlete", "ada@example.com", is_coach=False)
    context, page = phone
    context.grant_permissions(["notifications"])
    log_in(page, "ada@example.com")
    page.goto("/my/settings/reminders")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)") in ("activating", "activated")

    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    origin = page.evaluate("location.origin")
    ours = lambda: [r for r in registrations if r["scopeURL"] == origin + "/" and not r["isDeleted"]]  # noqa: E731
    for _ in range(100):  # the events arrive on Playwright's side as the page runs
        if ours():
            break
        page.wait_for_timeout(50)
    registration = ours()[0]
    push = {"title": "Training today", "body": "Lower body", "url": "/my"}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": origin, "registrationId": registration["registrationId"],
                                                  "data": json.dumps(push)})  # fmt: skip
    # Asked until the worker has shown it (an async function's promise is not an answer to wait
    # for: wait_for_function would take the promise itself as done, before the push is handled).
    shown = None
    for _ in range(100):
        shown = page.evaluate("""async () => {
          const found = await (await navigator.serviceWorker.ready).getNotifications();
          return found.length ? found.map((n) => ({title: n.title, body: n.body, url: n.data.url})) : null;
        }""")
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [push]
