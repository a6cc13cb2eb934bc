"""The watch every browser test runs under (tests/browser_watch.py): it fails a test on a
Content-Security-Policy violation, a console or script error, a missing static file, or a
serious accessibility violation in a state an htmx swap left, and lets the 4xx answers that
carry a form's messages pass."""

import pytest
from browser_watch import PageWatch
from conftest import PHONE


@pytest.fixture
def watched(chromium, live_server):
    """A watch of its own, and a page under it (not the test's own watch, which must stay clean)."""
    watch = PageWatch()
    context = watch.context(chromium.new_context(viewport=PHONE, base_url=live_server.url))
    page = watch.page(context.new_page())
    yield watch, page
    context.close()


def test_a_clean_page_and_a_refused_form_pass(watched, coach):
    watch, page = watched
    page.goto("/login")
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").wait_for()  # "That email and password do not match an account." (a 400)
    watch.check()


def test_the_watch_fails_on_errors_a_missing_file_and_an_axe_violation_after_a_swap(watched):
    watch, page = watched
    page.goto("/login")
    with page.expect_response("**/static/css/missing.css"):
        page.evaluate("""() => {
            document.querySelector("main").setAttribute("style", "color: red");
            console.error("boom");
            document.head.insertAdjacentHTML("beforeend", '<link rel="stylesheet" href="/static/css/missing.css">');
            htmx.swap("main", '<img src="/static/favicon.svg">', {swapStyle: "beforeend"});
        }""")
    page.locator("main img").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    with pytest.raises(AssertionError) as failure:
        watch.check()
    report = str(failure.value)
    assert "Applying inline style violates the following Content Security Policy directive" in report
    assert "/login: boom" in report
    assert "status of 404" in report
    assert "image-alt (critical)" in report
