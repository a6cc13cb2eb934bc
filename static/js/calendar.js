// The calendar's own JavaScript, only what htmx cannot do: open and close the session dialog,
// drag a session to another day, and mark the client on screen in the switcher.
(() => {
  const dialog = () => document.getElementById("session-dialog");

  // An editor arriving in the dialog opens it; an empty dialog closes.
  document.addEventListener("htmx:afterSwap", (event) => {
    const box = dialog();
    if (!box || event.detail.target?.id !== "session-dialog-body") return;
    if (event.detail.target.children.length && !box.open) box.showModal();
  });

  // The server says a change made from the dialog is done (HX-Trigger: calendar-changed).
  document.addEventListener("calendar-changed", () => {
    const box = dialog();
    if (box && box.open) box.close();
  });

  document.addEventListener("close", (event) => {
    if (event.target.id === "session-dialog") {
      document.getElementById("session-dialog-body").replaceChildren();
    }
  }, true);

  const markCurrentClient = () => {
    document.querySelectorAll("#client-list a").forEach((link) => {
      if (new URL(link.href).pathname === window.location.pathname) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  };
  document.addEventListener("htmx:pushedIntoHistory", markCurrentClient);
  document.addEventListener("htmx:historyRestore", markCurrentClient);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id === "client-list") markCurrentClient();
  });
})();
