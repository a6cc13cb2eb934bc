// fitr's service worker, served from /sw.js (fitr/app_shell.py) so that its scope is the whole
// site. Built on Workbox, vendored at a pinned version (static/vendor/workbox-7.4.1/, MIT).
//
// It keeps the app's shell on the phone: the stylesheets, scripts, icons and the offline page
// (the list, with a hash of each file, is written in by the server: Workbox's manifest marker)
// and answers for them from the phone, so a page opens its styles without the network.
// Pages are always fetched from the network and never kept: a phone may be shared, and one
// person's page must never be shown to the next. A page that cannot be fetched shows the offline
// page instead of the browser's error. htmx's requests are not navigations and pass untouched.

importScripts("/static/vendor/workbox-7.4.1/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/static/vendor/workbox-7.4.1/", debug: false });

const OFFLINE_PAGE = "/offline";

workbox.core.setCacheNameDetails({ prefix: "fitr" });
// A new worker takes over at once: it serves only the shell, which it has just fetched whole.
self.addEventListener("install", () => self.skipWaiting());
workbox.core.clientsClaim();

workbox.precaching.precacheAndRoute(self.__WB_MANIFEST);
workbox.precaching.cleanupOutdatedCaches();

// The page's request starts while the worker wakes up (navigation preload), so going through
// the worker costs a page no time.
self.addEventListener("activate", (event) => {
  if (self.registration.navigationPreload) event.waitUntil(self.registration.navigationPreload.enable());
});

workbox.routing.registerRoute(({ request }) => request.mode === "navigate", new workbox.strategies.NetworkOnly());

workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const page = await workbox.precaching.matchPrecache(OFFLINE_PAGE);
    if (page) return page;
  }
  return Response.error();
});
