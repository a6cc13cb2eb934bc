// fitr's own few lines of JavaScript: only what HTML and htmx cannot do.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  navigator.clipboard?.writeText(text).then(() => {
    button.textContent = "Copied";
  });
});
