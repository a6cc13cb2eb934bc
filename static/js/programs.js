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
