// Installing fitr on a phone: the service worker (static/js/sw.js, served at /sw.js) keeps the
// app's shell on the phone and shows an offline page when a page cannot be fetched.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without the worker fitr is the website it was; nothing to tell the person.
  });
}
