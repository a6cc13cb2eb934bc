"""Speed on a phone (issue 26, point 6): on a mid-range phone's profile (Chromium's CPU slowed
4 times and its "Fast 3G" network), Today and a session's page come in one round trip: the page
itself is the one request that crosses the network, while the service worker answers for the
app's shell (styles, scripts, icons) from the phone.

What is asserted is that behaviour. The times it gives (the page's first byte, when it is
interactive, when it has loaded) are reported, not asserted: a busy machine would fail a test on
a clock (`make phone-speed` writes them to docs/phone-speed.md)."""

import json
import os
from contextlib import contextmanager
from pathlib import Path

from conftest import WORKER_STATE, log_in
from factories import plan, update_user
from flask import request, request_started
from playwright.sync_api import expect

PHONE_CONTEXT = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}

# Chromium's DevTools "Fast 3G" preset and its 4x CPU slowdown, the mid-range phone of Lighthouse.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180 * 1024, "uploadThroughput": 84 * 1024}
CPU_SLOWDOWN = 4

# The navigation's own timings, in ms from its start.
TIMINGS = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {first_byte: n.responseStart, last_byte: n.responseEnd, interactive: n.domInteractive,
          content_loaded: n.domContentLoadedEventEnd, loaded: n.loadEventEnd, bytes: n.transferSize};
}"""


@contextmanager
def served(app):
    """The paths the server is asked for meanwhile (the live server runs in this process)."""
    paths = []

    def record(sender, **extra):
        paths.append(request.path)

    request_started.connect(record, app)
    try:
        yield paths
    finally:
        request_started.disconnect(record, app)


def measured(app, page, path):
    """Open `path` on the slowed phone: (its timings, the paths the server was asked for, the URLs
    the service worker answered for the page)."""
    worker = []

    def seen(response):
        if response.from_service_worker:
            worker.append(response.url)

    page.on("response", seen)
    try:
        with served(app) as paths:
            page.goto(path, wait_until="load")
            timings = page.evaluate(TIMINGS)
    finally:
        page.remove_listener("response", seen)
    return timings, paths, worker


def test_today_and_a_session_come_in_one_round_trip_on_a_slow_phone(app, gym, browser, page_watch, live_server, capsys):
    update_user(app, gym.ada, is_coach=False)
    session_id = plan(app, gym.ada_sub, gym.today, title="Squat day", exercises=[("Back Squat", 3, 5, 100), ("Bench Press", 3, 8, 60)])
    context = browser.new_context(base_url=live_server.url, **PHONE_CONTEXT)
    context.set_default_timeout(30_000)
    page = page_watch.page(context.new_page())
    log_in(page, "ada@example.com")
    page.goto("/my")
    assert page.evaluate(WORKER_STATE) == "activated"  # the first visit installs the app's shell
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    figures = {}
    for name, path in (("Today", "/my"), ("A session", f"/my/sessions/{session_id}")):
        timings, asked, worker = measured(app, page, path)
        expect(page.get_by_text("Squat day").first).to_be_visible()
        # One round trip: the page is asked for once, and nothing of the app's shell is.
        assert asked.count(path) == 1 and [p for p in asked if p.startswith("/static/")] == [], (name, asked)
        assert any(url.endswith(".css") for url in worker) and any(url.endswith(".js") for url in worker), worker
        figures[name] = {key: round(value) for key, value in timings.items()}
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})

    report = "\n".join(
        f"{name}: first byte {f['first_byte']} ms, last byte {f['last_byte']} ms, interactive {f['interactive']} ms, "
        f"DOM ready {f['content_loaded']} ms, loaded {f['loaded']} ms ({f['bytes']} bytes over the network)"
        for name, f in figures.items()
    )
    with capsys.disabled():
        print(f"\nOn a mid-range phone (CPU x{CPU_SLOWDOWN}, Fast 3G: 562.5 ms latency, 1.44 Mbit/s):\n{report}")
    out = os.environ.get("PHONE_SPEED_OUT")
    if out:
        Path(out).write_text(
            "# Speed on a phone\n\nWritten by `make phone-speed` (tests/browser/test_phone_speed_browser.py): "
            f"Today and a session's page on a {PHONE_CONTEXT['viewport']['width']} px phone with Chromium's CPU slowed "
            f"{CPU_SLOWDOWN} times and its Fast 3G network (562.5 ms latency, 1.44 Mbit/s down), after one visit "
            "installed the service worker. Each page is one request over the network; the worker serves the app's "
            "styles, scripts and icons from the phone.\n\n"
            + "\n".join(f"- {line}" for line in report.splitlines())
            + "\n\n```json\n" + json.dumps(figures, indent=2) + "\n```\n"
        )
