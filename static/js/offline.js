// Training with no signal (the worker: static/js/sw.js). This page's part: Today asks the worker
// to keep the coming days' sessions; each log form gets a key made on this phone, so a log kept
// while offline and sent later (or twice) is saved once; the page says how many logs wait to
// be sent, and asks the worker to send them when the signal is back and whenever a page opens.
(() => {
  const worker = navigator.serviceWorker;

  // A key made here for each log form opened: a page kept on the phone is opened again and again
  // with the same HTML, and each log made from it is its own (workout mode makes its own key).
  if (window.crypto && crypto.randomUUID) {
    document.querySelectorAll('form input[name="submission_key"]').forEach((input) => {
      if (!input.closest("[data-workout]")) input.value = crypto.randomUUID();
    });
  }

  if (!worker) return;

  // "2 logs waiting to send", at the top of the page, until they are sent.
  function sayWaiting(waiting) {
    let note = document.querySelector("[data-logs-waiting]");
    if (!waiting) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "callout callout-warning";
      note.setAttribute("role", "status");
      note.dataset.logsWaiting = "";
      document.getElementById("main")?.prepend(note);
    }
    const words = waiting === 1 ? "1 log waiting to send" : `${waiting} logs waiting to send`;
    const when = waiting === 1 ? "It goes" : "They go";
    note.textContent = navigator.onLine ? `${words}: sending…` : `${words}. ${when} when you are back online.`;
  }
  worker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "fitr-waiting") sayWaiting(event.data.waiting);
    // Today's sessions are now on the phone (tests wait for this).
    if (event.data && event.data.type === "fitr-kept") document.body.dataset.keptOnPhone = "";
  });

  worker.ready.then((registration) => {
    const ask = (message) => (worker.controller || registration.active)?.postMessage(message);
    const keep = document.querySelector("[data-keep-on-phone]");
    if (keep && navigator.onLine) {
      ask({ type: "fitr-keep", urls: keep.dataset.keepOnPhone.split(" ").filter(Boolean) });
    }
    ask({ type: navigator.onLine ? "fitr-send" : "fitr-waiting" });
    window.addEventListener("online", () => ask({ type: "fitr-send" }));
    window.addEventListener("offline", () => ask({ type: "fitr-waiting" }));
  });
})();
