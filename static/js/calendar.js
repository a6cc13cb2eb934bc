// The calendar's own JavaScript, only what htmx cannot do: open and close the session dialog,
// keep a keyboard user's place, drag a session to another day, and mark the client (or the
// template) on screen in the switcher.
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

  // What opened the editor: its session, or the day whose Add session it was. Closing the dialog
  // gives focus back to that button, but a save swaps the day (or the calendar) and the button
  // with it; keyboard users then carry on from the same session, or from its day.
  let opener = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail.elt;
    if (source?.matches?.(".session-open, .add-session") && event.detail.target?.id === "session-dialog-body") {
      opener = {
        session: source.closest("[data-session-id]")?.dataset.sessionId,
        date: source.closest("[data-date]")?.dataset.date,
      };
    } else if (!source?.closest?.("#session-dialog")) {
      opener = null;  // a request from outside the editor: it keeps its own focus
    }
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (!target || (target.id !== "calendar" && !target.matches?.(".day[data-date]"))) return;
    const from = opener;
    opener = null;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const calendar = document.getElementById("calendar");
    let next = null;
    if (from) {
      const day = calendar?.querySelector(`.day[data-date="${from.date}"]`);
      const added = day ? [...day.querySelectorAll(".session-open")].pop() : null;
      next = (from.session
        ? calendar?.querySelector(`[data-session-id="${from.session}"] .session-open`) || calendar?.querySelector(".flash button")
        : added)  // the session just added or inserted
        || day?.querySelector(".add-session");
    }
    // Else (Undo, Copy a day or week) the calendar's heading, to carry on from its top.
    (next || calendar?.querySelector("#calendar-title"))?.focus();
  });

  document.addEventListener("close", (event) => {
    if (event.target.id === "session-dialog") {
      document.getElementById("session-dialog-body").replaceChildren();
    }
  }, true);

  const markCurrentClient = () => {
    document.querySelectorAll(".switcher a").forEach((link) => {
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

// Drag a session onto another day: the same request as the editor's Move button.
(() => {
  let dragged = null;
  const dayOf = (node) => node?.closest?.(".day[data-date]");

  document.addEventListener("dragstart", (event) => {
    const session = event.target.closest?.(".session[data-move-url]");
    if (!session) return;
    dragged = session;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", session.dataset.sessionId);
  });

  document.addEventListener("dragover", (event) => {
    const day = dayOf(event.target);
    if (!dragged || !day) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".day.drop-target").forEach((d) => d !== day && d.classList.remove("drop-target"));
    day.classList.add("drop-target");
  });

  document.addEventListener("dragend", () => {
    dragged = null;
    document.querySelectorAll(".day.drop-target").forEach((d) => d.classList.remove("drop-target"));
  });

  document.addEventListener("drop", (event) => {
    const day = dayOf(event.target);
    const session = dragged;
    if (!session || !day) return;
    event.preventDefault();
    dragged = null;
    day.classList.remove("drop-target");
    if (dayOf(session) === day) return;
    // Where it came from too: if it was deleted in another tab, the server says so.
    htmx.ajax("POST", session.dataset.moveUrl, {
      source: session,
      target: "#calendar",
      swap: "outerHTML",
      values: {
        "to-date": day.dataset.date,
        calendar_id: session.closest("#calendar")?.dataset.calendarId ?? "",
        date: dayOf(session)?.dataset.date ?? "",
      },
    });
  });
})();

// The header's Copy menu: a choice closes it, as do Escape and a click elsewhere; the copy form
// it loads takes the keyboard to its heading, and its Close button empties the slot.
(() => {
  const openMenus = () => document.querySelectorAll("details.menu[open]");
  document.addEventListener("click", (event) => {
    const item = event.target.closest?.(".menu-item");
    openMenus().forEach((menu) => {
      if (item ? menu.contains(item) : !menu.contains(event.target)) menu.open = false;
    });
    if (event.target.closest?.("[data-close-tool]")) {
      const slot = document.getElementById("cal-tool");
      slot?.replaceChildren();
      document.querySelector(".cal-menu > summary")?.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    openMenus().forEach((menu) => {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    });
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id === "cal-tool") document.getElementById("tool-title")?.focus();
  });
})();

// A month opens with today's week in view: on a laptop six weeks are taller than the screen.
document.addEventListener("DOMContentLoaded", () => {
  const today = document.querySelector(".cal-month .day.today");
  if (today && today.getBoundingClientRect().bottom > window.innerHeight) today.scrollIntoView({ block: "nearest" });
});

// Typed work is never lost: the session editor, once changed, asks before Escape or Close shut
// it. A save (calendar-changed) or a new editor starts clean.
(() => {
  let changed = false;
  const inEditor = (node) => node?.closest?.("#session-dialog .session-form");
  document.addEventListener("input", (event) => { if (inEditor(event.target)) changed = true; });
  document.addEventListener("change", (event) => { if (inEditor(event.target)) changed = true; });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target?.id === "session-dialog-body") changed = false;
  });
  document.addEventListener("calendar-changed", () => { changed = false; }, true);
  document.addEventListener("close", (event) => { if (event.target.id === "session-dialog") changed = false; }, true);
  const keep = () => changed && !window.confirm("Discard the changes you made to this session?");
  document.addEventListener("cancel", (event) => {  // Escape
    if (event.target.id === "session-dialog" && keep()) event.preventDefault();
  }, true);
  document.addEventListener("submit", (event) => {  // Close (a form of method "dialog")
    if (event.target.method === "dialog" && event.target.closest("#session-dialog") && keep()) event.preventDefault();
  }, true);
})();
