// fitr's own few lines of JavaScript: only what HTML and htmx cannot do.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  navigator.clipboard?.writeText(text).then(() => {
    button.textContent = "Copied";
  });
});

// A plain form that undoes someone's access (Revoke) asks first, as htmx's hx-confirm does.
document.addEventListener("submit", (event) => {
  const question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// The browser's time zone, for forms that make an account (a hidden field the server checks).
document.querySelectorAll("input[data-detect-time-zone]").forEach((input) => {
  try {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    input.value = "";
  }
});

// The session editor's type-ahead: a matching exercise's button puts its name in the row's
// Exercise field (htmx fetched the buttons; HTML alone cannot fill another field).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-pick-exercise]");
  if (!button) return;
  const input = document.getElementById(button.getAttribute("data-for"));
  if (!input) return;
  input.value = button.getAttribute("data-pick-exercise");
  const matches = document.getElementById(`${input.id}-matches`);
  if (matches) matches.replaceChildren();
  input.focus();
});

// A toast (a flash message) goes when its Dismiss button is pressed; focus moves to the page's
// main content rather than being lost with the button.
function removeToast(toast) {
  const region = toast.closest(".toasts");
  toast.remove();
  if (region && !region.querySelector(".toast")) region.remove();
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-dismiss-toast]");
  if (!button) return;
  removeToast(button.closest(".toast"));
  document.getElementById("main")?.focus({ preventScroll: true });
});

// Good news (saved, sent, a new record) leaves by itself after a few seconds so it never sits
// over the page's own buttons; it waits while focus is on its Dismiss button. An error or a
// warning stays until it is dismissed.
const TOAST_SECONDS = 6;
document.querySelectorAll(".toasts .toast:not(.toast-error):not(.toast-warning)").forEach((toast) => {
  let timer = null;
  const start = () => { timer = window.setTimeout(() => removeToast(toast), TOAST_SECONDS * 1000); };
  const stop = () => { window.clearTimeout(timer); };
  toast.addEventListener("focusin", stop);
  toast.addEventListener("focusout", start);
  start();
});

// Log out forgets the workout kept on this phone (static/js/workout.js): on a shared phone the
// next person never sees the last one's sets.
document.addEventListener("submit", (event) => {
  if (!event.target.matches('form[action*="logout"]')) return;
  try {
    Object.keys(localStorage).filter((name) => name.startsWith("fitr-workout:")).forEach((name) => localStorage.removeItem(name));
  } catch (error) { /* nothing kept: storage is off */ }
});

// Answering a thread: a link to it ending in #reply (Home's unread messages and comments) opens
// it with its newest message in view and the keyboard in the reply box; Enter sends (Shift+Enter
// starts a new line), as in any chat.
const answerHere = () => {
  if (window.location.hash !== "#reply") return;
  const box = document.querySelector(".thread-form textarea");
  if (!box) return;
  box.closest(".thread")?.querySelector(".bubbles > li:last-child")?.scrollIntoView({ block: "nearest" });
  box.focus({ preventScroll: false });
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", answerHere);
else answerHere();
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || !box.matches?.(".thread-form textarea")) return;
  event.preventDefault();
  if (box.value.trim()) box.form.requestSubmit();
});

// Typed work is never lost: a page form marked data-keep-typed (the workout and program forms),
// once changed, asks before the page is left without saving it.
(() => {
  let changed = false;
  document.addEventListener("input", (event) => {
    if (event.target.closest?.("form[data-keep-typed]")) changed = true;
  });
  document.addEventListener("submit", (event) => {
    if (event.target.matches?.("form[data-keep-typed]")) changed = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (changed) event.preventDefault();
  });
})();
