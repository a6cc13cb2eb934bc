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

// Reminders (Settings > Reminders): a push from fitr's server, encrypted for this browser, says
// a title, a line (never more than the notice in fitr says) and the page to open when tapped.
self.addEventListener("push", (event) => {
  let push = {};
  try {
    push = event.data ? event.data.json() : {};
  } catch {
    push = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(push.title || "fitr", {
      body: push.body || "",
      icon: "/static/icons/app-192.png",
      data: { url: push.url || "/" },
    }),
  );
});

// Tapping it opens that page: in a fitr window already open, or a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only a page of fitr's own: the push names a path inside it.
  const asked = new URL(event.notification.data?.url || "/", self.location.origin);
  const url = asked.origin === self.location.origin ? asked.href : self.location.origin + "/";
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        return open.navigate(url);
      }
      return self.clients.openWindow(url);
    })(),
  );
});
