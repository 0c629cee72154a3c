// Naboambassadør's service worker, served as /sw.js (apps.visits.views.service_worker) so that it
// controls the ambassador's pages under /visits/. It only answers when the network does not: online,
// every request goes to the server as before.
//
// What it serves offline was saved by static/js/offline.js on "My visits": the current user's open
// visits (cache "nabo-pages-<user key>", each copy with an X-Offline-Expires time) and the page's own
// CSS and scripts ("nabo-static"). It never saves a page itself, so nothing else (a coordinator's
// pages, another user's) can end up on the phone through it.

const PAGES = "nabo-pages-";
const STATIC = "nabo-static";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/visits/")) {
    event.respondWith(fetch(request).catch(() => savedPage(request)));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(fetch(request).catch(() => savedAsset(request)));
  }
});

async function savedPage(request) {
  // One pages cache at most: offline.js deletes other users' copies on every signed-in page.
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES));
  for (const name of names) {
    const cache = await caches.open(name);
    // Outside the visit's list the page is not served: "My visits" instead, which says what is saved.
    for (const candidate of [request, "/visits/mine/"]) {
      const response = await cache.match(candidate, { ignoreVary: true });
      if (response && Number(response.headers.get("X-Offline-Expires")) > Date.now()) return response;
    }
  }
  return Response.error();
}

async function savedAsset(request) {
  const response = await (await caches.open(STATIC)).match(request, { ignoreVary: true });
  return response || Response.error();
}

// Background sync (where the browser has it): the open pages send the queued outcomes.
self.addEventListener("sync", (event) => {
  if (event.tag !== "nabo-send") return;
  event.waitUntil(
    self.clients
      .matchAll({ type: "window" })
      .then((clients) => clients.forEach((client) => client.postMessage({ type: "nabo-send" }))),
  );
});
