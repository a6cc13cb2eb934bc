// fitr's service worker, served from /sw.js (fitr/app_shell.py) so that its scope is the whole
// site. Built on Workbox, vendored at a pinned version (static/vendor/workbox-7.4.1/, MIT).
//
// It keeps the app's shell on the phone: the stylesheets, scripts, icons and the offline page
// (the list, with a hash of each file, is written in by the server: Workbox's manifest marker)
// and answers for them from the phone, so a page opens its styles without the network.
//
// With no signal (a basement gym) it also opens the client's own Today, the sessions they may
// see in the coming days and their workouts, and keeps the logs they make until they can be
// sent. Why that is safe on a shared phone: every page fitr sends names whose it is (the
// Fitr-Person header, fitr/app_shell.py), the worker remembers whose pages it keeps, and the
// first page that arrives for anyone else (a logged-out one after Log out, or the next
// person's) empties the kept pages and the waiting logs before it is shown. A page is kept
// only when its own header names that person. Every other page is fetched from the network
// only and, offline, shows the offline page instead of the browser's error. htmx's requests
// are not navigations and pass untouched.

importScripts("/static/vendor/workbox-7.4.1/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/static/vendor/workbox-7.4.1/", debug: false });

const OFFLINE_PAGE = "/offline";
const PAGES = "fitr-pages"; // the signed-in person's own pages
const PERSON = "fitr-person"; // whose they are: one entry
const PERSON_KEY = "/sw/person";
// The pages kept: Today, a session, its workout.
const KEPT = /^\/my(\/sessions\/\d+(\/workout)?)?$/;
// Where a log is sent (Done as prescribed, Log session, Skip, workout mode's Finish).
const LOGS = /^\/my\/sessions\/\d+(\/workout)?$/;

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

// --- whose pages these are ----------------------------------------------------------------------

// One change at a time: a person's check, a page kept, a log queued.
let turn = Promise.resolve();
const inTurn = (job) => {
  const done = turn.then(job, job);
  turn = done.catch(() => {});
  return done;
};

// Logs made with no signal, kept in IndexedDB by Workbox until they can be sent (below).
const logs = new workbox.backgroundSync.Queue("fitr-logs", {
  maxRetentionTime: 14 * 24 * 60, // minutes: two weeks in a gym without signal
  onSync: () => sendWaiting(),
});

async function keptFor() {
  const found = await (await caches.open(PERSON)).match(PERSON_KEY);
  return found ? found.text() : null;
}

// A page arrived for `person`: when they are not the one whose pages are kept, forget all of it.
async function samePerson(response) {
  if (!response || !response.headers.has("Fitr-Person")) return;
  const person = response.headers.get("Fitr-Person");
  if ((await keptFor()) === person) return;
  await caches.delete(PAGES);
  while (await logs.shiftRequest()) { /* another person's waiting logs go too */ }
  await (await caches.open(PERSON)).put(PERSON_KEY, new Response(person));
  await tellWaiting();
}

const person = {
  // Every page through the worker (not the ones the browser preloads, which skip plugins).
  handlerWillRespond: async ({ response }) => {
    await inTurn(() => samePerson(response));
    return response;
  },
  // Kept only when the page names a signed-in person, the one whose pages are kept.
  cacheWillUpdate: async ({ response }) => inTurn(async () => {
    if (response.status !== 200 || !response.headers.get("Fitr-Person")) return null;
    await samePerson(response);
    return response;
  }),
};

// --- pages --------------------------------------------------------------------------------------

// The client's own pages: from the network when it answers within a few seconds, else as kept.
const keptPages = new workbox.strategies.NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 4,
  matchOptions: { ignoreSearch: true, ignoreVary: true },
  plugins: [person],
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && KEPT.test(url.pathname),
  keptPages,
);
workbox.routing.registerRoute(({ request }) => request.mode === "navigate", new workbox.strategies.NetworkOnly({ plugins: [person] }));

// Today asks for the sessions of the coming days to be kept (static/js/offline.js): fetched now,
// and those no longer among them (logged, moved, out of sight) let go.
async function keep(urls) {
  const wanted = new Set(
    urls.map((url) => new URL(url, self.location.origin))
      .filter((url) => url.origin === self.location.origin && KEPT.test(url.pathname))
      .map((url) => url.href),
  );
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname !== "/my" && !wanted.has(request.url)) await cache.delete(request);
  }
  for (const url of wanted) {
    let response;
    try {
      // Fitr-Keep: the server knows nobody is reading it yet (its comments stay unread).
      const fetched = await fetch(url, { credentials: "same-origin", redirect: "manual", headers: { "Fitr-Keep": "1" } });
      // Read whole before it replaces what is kept: a page cut off by the signal going is not kept.
      response = fetched.type === "opaqueredirect" ? fetched
        : new Response(await fetched.blob(), { status: fetched.status, headers: fetched.headers });
    } catch (error) {
      return; // the signal went: what is kept stays
    }
    const kept = await person.cacheWillUpdate({ response });
    if (kept) await cache.put(url, kept);
    else if (response.status === 404 || response.type === "opaqueredirect") await cache.delete(url);
  }
}

// One at a time: Today opened twice asks twice.
let keeping = Promise.resolve();
const keepInTurn = (urls) => (keeping = keeping.then(() => keep(urls)).catch(() => {}));

// --- logs made with no signal --------------------------------------------------------------------

// A log sent with no signal is kept (with the key the phone made for it, so sending it again
// never logs twice), and the client sees Today as kept, which says what is waiting.
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && LOGS.test(url.pathname),
  async ({ request }) => {
    const copy = request.clone();
    try {
      return await fetch(request);
    } catch (error) {
      await inTurn(() => logs.pushRequest({ request: copy }));
      await tellWaiting();
      return Response.redirect(new URL("/my", self.location.origin).href, 303);
    }
  },
  "POST",
);

// Send what waits, oldest first. A log the server answered (saved, or refused: a session gone
// from the client's sight) is done with; no signal or a server error keeps it for next time.
let sending = null;
function sendWaiting() {
  sending = sending || (async () => {
    try {
      let entry;
      while ((entry = await logs.shiftRequest())) {
        let response = null;
        try {
          response = await fetch(entry.request.clone(), { redirect: "manual" });
        } catch (error) { /* no signal */ }
        if (!response || response.status >= 500) {
          await logs.unshiftRequest(entry);
          break;
        }
      }
    } finally {
      sending = null;
      await tellWaiting();
    }
  })();
  return sending;
}

async function waitingCount() {
  return (await logs.getAll()).length;
}

// Every open page of fitr hears how many logs wait (static/js/offline.js says it).
async function tellWaiting(only) {
  const waiting = await waitingCount();
  const pages = only ? [only] : await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage({ type: "fitr-waiting", waiting }));
}

self.addEventListener("message", (event) => {
  const asked = event.data || {};
  if (asked.type === "fitr-keep" && Array.isArray(asked.urls)) {
    event.waitUntil(keepInTurn(asked.urls).then(() => event.source?.postMessage({ type: "fitr-kept" })));
  }
  if (asked.type === "fitr-send") event.waitUntil(sendWaiting());
  if (asked.type === "fitr-waiting") event.waitUntil(tellWaiting(event.source));
});

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
