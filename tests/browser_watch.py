"""What every browser test watches without asking: the page's console and script errors (a
Content-Security-Policy violation is one), and axe-core's accessibility check of every page
loaded and every state an htmx swap settles into, in both themes. A serious or critical
violation, a script error or a console error fails the test (tests/conftest.py,
pytest_runtest_call).

The check runs inside the page (axe-core, bundled with axe-playwright-python, added to every
document before its own scripts: no network), a moment after the page loads and after each
htmx:afterSettle, one run at a time; a DOM already checked during the test is not checked
again. The test waits for the runs still going before it ends.

Animations that end (a toast moving in) are waited for first. Both themes: every rule runs in
the theme the page shows, then the rules a colour decides (contrast) run again on the same DOM
in the other theme: <html data-theme> is switched for that run (the dark tokens are the same
for a user's choice and for the system's, tests/test_design_tokens.py), the colour transitions
it starts are finished at once, and it is put back."""

import re
from pathlib import Path

import axe_playwright_python

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()

WATCH = """
(() => {
  if (window.top !== window || window.__fitrAxeNow) return;
  const serious = (results) => results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}));
  const COLOURS = {runOnly: {type: "rule", values: ["color-contrast", "link-in-text-block"]}, resultTypes: ["violations"]};
  const shown = (chosen) => (chosen === "dark" ||
    (chosen !== "light" && matchMedia("(prefers-color-scheme: dark)").matches)) ? "dark" : "light";
  const inTheme = (theme) => (found) => found.map((v) => ({...v, help: `${v.help} (${theme} theme)`}));
  // Restyle the whole page now, and jump any colour transition that starts to its end.
  const restyled = (before) => {
    void document.body?.getBoundingClientRect();
    document.getAnimations().filter((a) => !before.has(a)).forEach((a) => a.finish());
  };
  // What a person reads is the page once it has moved in (a toast fading in is not low contrast):
  // wait for the animations that end.
  const still = () => Promise.all(document.getAnimations()
    .filter((a) => a.playState === "running" && Number.isFinite(a.effect?.getComputedTiming().endTime))
    .map((a) => a.finished.catch(() => {})));
  const run = async () => {
    await still();
    const root = document.documentElement, chosen = root.getAttribute("data-theme");
    const theme = shown(chosen), other = theme === "dark" ? "light" : "dark";
    const found = inTheme(theme)(serious(await axe.run(document, {resultTypes: ["violations"]})));
    const before = new Set(document.getAnimations());
    root.setAttribute("data-theme", other);
    restyled(before);
    try {
      return found.concat(inTheme(other)(serious(await axe.run(document, COLOURS))));
    } finally {
      if (chosen === null) root.removeAttribute("data-theme"); else root.setAttribute("data-theme", chosen);
      restyled(before);
    }
  };
  const digest = () => {
    const html = document.documentElement.outerHTML;
    let hash = 0;
    for (let i = 0; i < html.length; i++) hash = (Math.imul(hash, 31) + html.charCodeAt(i)) | 0;
    return `${location.pathname} ${html.length} ${hash}`;
  };
  let queue = Promise.resolve();
  let timer = null;
  const check = () => {
    timer = null;
    queue = queue.then(async () => {
      if (await window.__fitrAxeSeen(digest())) return;
      const found = await run();
      if (found.length) await window.__fitrAxeReport(location.href, found);
    }).catch((error) => window.__fitrAxeReport(location.href, [{id: "axe", impact: "critical", help: String(error), nodes: []}]));
  };
  const soon = () => { clearTimeout(timer); timer = setTimeout(check, 30); };
  window.addEventListener("load", soon);
  document.addEventListener("htmx:afterSettle", soon);
  window.__fitrAxeSettled = async () => {
    for (;;) {
      if (timer !== null) { await new Promise((done) => setTimeout(done, 20)); continue; }
      const last = queue;
      await last;
      if (last === queue && timer === null) return;
    }
  };
  window.__fitrAxeNow = async () => {
    await window.__fitrAxeSettled();
    const found = queue.then(run);
    queue = found.catch(() => {});
    return found;
  };
})();
"""

# The browser's and htmx's notes that the server answered 4xx: fitr answers bad input with a 4xx
# and its message, as it should. A static file that is missing (a 4xx on /static/) is an error.
FOUR_XX = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d\b")
HTMX_FOUR_XX = re.compile(r"Response Status Error Code 4\d\d from ")


def described(url, found):
    return [f"{url}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in found]


class PageWatch:
    """One test's watch over every browser context and page it opens."""

    def __init__(self):
        self.errors = []  # "url: text" of each console error and page error
        self.violations = []  # described serious and critical axe violations
        self.seen = set()  # DOM states axe has checked (or is checking)
        self.pages = []

    def context(self, context):
        context.expose_binding("__fitrAxeSeen", lambda source, state: self._seen(state))
        context.expose_binding("__fitrAxeReport", lambda source, url, found: self.violations.extend(described(url, found)))
        context.add_init_script(AXE + WATCH)
        context.on("page", self.page)
        close = context.close

        def settled_then_close(**options):
            """A test that closes its context first lets the runs still going finish."""
            self.settle(context.pages)
            close(**options)

        context.close = settled_then_close
        return context

    def _seen(self, state):
        seen = state in self.seen
        self.seen.add(state)
        return seen

    def page(self, page):
        if hasattr(page, "js_errors"):
            return page
        errors = []
        page.js_errors = errors  # this page's own errors, for a test to look at
        page.on("pageerror", lambda error: self._error(page, errors, f"script error: {error}"))
        page.on("console", lambda message: self._console(page, errors, message))
        self.pages.append(page)
        return page

    def _error(self, page, errors, text):
        errors.append(text)
        self.errors.append(f"{page.url}: {text}")

    def _console(self, page, errors, message):
        if message.type != "error":
            return
        text, url = message.text, (message.location or {}).get("url", "")
        if FOUR_XX.match(text) and "/static/" not in url or HTMX_FOUR_XX.match(text):
            return
        self._error(page, errors, text)

    def settle(self, pages=None):
        """Wait for the axe runs still going on every open page (or on `pages`)."""
        for page in self.pages if pages is None else pages:
            if page.is_closed():
                continue
            for _ in range(3):
                try:
                    page.evaluate("() => window.__fitrAxeSettled && window.__fitrAxeSettled()")
                    break
                except Exception:  # noqa: BLE001 (navigating: the next document has its own runs)
                    page.wait_for_load_state()

    def check(self):
        """Fail on any console or script error, or serious or critical axe violation."""
        self.settle()
        problems = [*self.errors, *dict.fromkeys(self.violations)]
        assert not problems, "the browser reported:\n" + "\n".join(problems)


def accessible_now(page):
    """axe-core's serious and critical violations on the page as it is now, described."""
    return described(page.url, page.evaluate("() => window.__fitrAxeNow()"))
