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
