// Program form: Free (invite-only) clears and disables the price (the server forces 0 anyway).
(() => {
  function syncFree() {
    const free = document.getElementById("free");
    const price = document.getElementById("price");
    if (!free || !price) return;
    if (free.checked) {
      if (price.value) price.dataset.previous = price.value;
      price.value = "";
      price.disabled = true;
    } else {
      price.disabled = false;
      if (!price.value && price.dataset.previous) price.value = price.dataset.previous;
    }
  }
  document.addEventListener("change", (event) => {
    if (event.target.id === "free") syncFree();
  });
  syncFree();
})();

// Billing period follows the program type until the coach picks one: one-off for Fixed Length
// (sold once, for its length), monthly for the others (the server does the same when none is sent).
(() => {
  const period = document.querySelector("select[data-follows-type]");
  if (!period) return;
  const defaultFor = (type) => (type === "fixed" ? "one_off" : "monthly");
  let touched = false;
  period.addEventListener("change", () => { touched = true; });
  document.addEventListener("change", (event) => {
    const type = event.target;
    if (touched || type.name !== "type" || !type.checked) return;
    // Only a period still at a type's default moves (an edited program's yearly price stays).
    if (period.value === "monthly" || period.value === "one_off") period.value = defaultFor(type.value);
  });
})();
