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
