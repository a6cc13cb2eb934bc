"""fitr installs from the browser on a phone (issue 26, point 1): Chromium finds nothing that stops
it being installed, and its service worker keeps the app's shell, shows fitr's offline page for a
page it does not have, and keeps no one's pages once they log out (a phone may be shared; the
pages it keeps for the signed-in client are tested in test_offline_browser.py)."""

import re
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, log_in
from factories import plan
from playwright.sync_api import expect

PHONE_CONTEXT = {"viewport": PHONE, "is_mobile": True, "has_touch": True}

# What the worker may keep once nobody is logged in: files of the app's shell and the offline
# page, the same for everyone (Workbox keys each with its revision), and whose pages it keeps
# (nobody's: empty).
SHELL_PATH = re.compile(r"/static/.+|/offline|/manifest\.webmanifest|/sw/person")

# The worker's state once it is active; "none" when no worker has registered within 10 s.
ACTIVATED = """async () => {
  const none = new Promise((done) => setTimeout(() => done(null), 10000));
  const registration = await Promise.race([navigator.serviceWorker.ready, none]);
  if (!registration) return "none";
  const worker = registration.active;
  if (worker.state === "activating") {
    await new Promise((done) => worker.addEventListener("statechange", done, {once: true}));
  }
  return worker.state;
}"""

# Every response kept in the browser's caches (CacheStorage), by URL.
CACHED = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      kept.push({url: request.url, body: await (await cache.match(request)).text()});
    }
  }
  return kept;
}"""


def controlled(page):
    """Wait for the service worker to be active, then load the page again under its control."""
    state = page.evaluate(ACTIVATED)
    assert state == "activated"
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")


def styled(page):
    """The page's stylesheets loaded: the design tokens are defined and the card is styled."""
    return page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--color-accent').trim() !== ''")


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized tab (375 px, touch) on the live server."""
    context = browser.new_context(base_url=live_server.url, **PHONE_CONTEXT)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_chromium_finds_nothing_that_stops_installing_fitr(chromium, page_watch, live_server, tmp_path):
    # A persistent profile: Playwright's usual context is incognito, where nothing installs.
    context = page_watch.context(chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        base_url=live_server.url, **PHONE_CONTEXT))  # fmt: skip
    try:
        page = page_watch.page(context.pages[0] if context.pages else context.new_page())
        page.goto("/login")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert manifest.get("errors", []) == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_the_service_worker_keeps_the_shell_and_shows_the_offline_page(phone):
    context, page = phone
    page.goto("/login")
    controlled(page)

    context.set_offline(True)
    page.goto("/signup")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert styled(page)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    context.set_offline(False)
    page.goto("/signup")
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    assert styled(page)


def test_logging_out_leaves_no_ones_page_on_the_phone(app, gym, phone):
    context, page = phone
    session_id = plan(app, gym.ada_sub, gym.today, title="Heavy squats", exercises=[("Back Squat", 2, 5, 105)])
    log_in(page, "ada@example.com")
    page.goto("/my")
    controlled(page)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    # htmx's requests pass through the worker untouched: adding a set still works.
    page.goto(f"/my/sessions/{session_id}")
    page.get_by_role("button", name="Add set to Back Squat").click()
    expect(page.get_by_label("Back Squat set 3 Reps")).to_be_visible()
    page.goto("/my/history")
    page.goto("/my/records")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login**")

    kept = page.evaluate(CACHED)
    paths = {urlsplit(item["url"]).path for item in kept}
    assert {"/offline", "/static/css/tokens.css"} <= paths
    for item in kept:
        assert SHELL_PATH.fullmatch(urlsplit(item["url"]).path), item["url"]
        assert "Ada" not in item["body"] and "Heavy squats" not in item["body"], item["url"]
    assert [item["body"] for item in kept if item["url"].endswith("/sw/person")] == [""]

    context.set_offline(True)
    page.goto("/my")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Ada Athlete")).to_have_count(0)
