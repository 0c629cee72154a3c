// Naboambassadør offline: the ambassador's visits on the phone when the signal drops.
//
// - On "My visits", online: saves that page and each open visit's pages for the signed-in user (cache
//   "nabo-pages-<user key>"), dropping visits no longer on the list; static/js/sw.js serves them offline.
// - An outcome form submitted offline (or whose request fails) is queued in IndexedDB with the key the
//   page made for the form and the phone's time; it is sent when the connection is back (online event, page load, background
//   sync), one at a time, and leaves the queue once the server answers recorded, duplicate or refused.
// - Signing out (or another user signing in on the phone) deletes the saved pages and the queue.
// Texts come translated in data- attributes of #offline-status (templates/visits/includes/offline_status.html).
(() => {
  const user = document.body.dataset.offlineUser;
  if (!user || !("caches" in window) || !("indexedDB" in window) || !window.isSecureContext) return;

  const PAGES = "nabo-pages-";
  const STATIC = "nabo-static";
  const DAY_MS = 24 * 60 * 60 * 1000;
  const BUNDLE_VISITS = 20; // as OFFLINE_BUNDLE_VISITS in apps/visits/views.py
  const status = document.getElementById("offline-status");
  const texts = status ? status.dataset : {};

  // --- The queue (IndexedDB "nabo-offline", store "queue", one record per outcome, keyed by its key) ---

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("nabo-offline", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withQueue(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("queue", mode);
      const request = work(transaction.objectStore("queue"));
      transaction.oncomplete = () => {
        db.close();
        resolve(request ? request.result : undefined);
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const allQueued = () => withQueue("readonly", (store) => store.getAll());
  // In the order they were recorded: a "not at home" before the meeting on a later day.
  const waiting = async () =>
    (await allQueued()).filter((item) => item.user === user).sort((a, b) => a.recordedAt - b.recordedAt);
  const unqueue = (key) => withQueue("readwrite", (store) => store.delete(key));

  // --- Whose phone: another user's saved pages and queue never stay next to this user's ---------------

  async function forgetOtherUsers() {
    for (const name of await caches.keys()) {
      if (name.startsWith(PAGES) && name !== PAGES + user) await caches.delete(name);
    }
    const others = (await allQueued()).filter((item) => item.user !== user);
    if (others.length) await withQueue("readwrite", (store) => others.forEach((item) => store.delete(item.key)));
  }

  async function forgetExpired() {
    const cache = await caches.open(PAGES + user);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if (!response || Number(response.headers.get("X-Offline-Expires")) <= Date.now()) await cache.delete(request);
    }
  }

  // --- Saving "My visits" and the open visits' pages ----------------------------------------------------

  // `pages`: [{url, version}] from the server. A page is fetched (and logged as seen) again only when its
  // version changed — the visit, the newcomer, the tries, the language or a release — or when it is
  // half-way to its expiry; otherwise the copy on the phone is still what the server would send.
  async function savePages(pages, graceDays) {
    const cache = await caches.open(PAGES + user);
    const keep = new Set(pages.map((page) => new URL(page.url, location.href).href));
    for (const request of await cache.keys()) {
      if (!keep.has(request.url)) await cache.delete(request); // closed, given to someone else, or gone
    }
    const expires = String(Date.now() + graceDays * DAY_MS);
    const stale = [];
    for (const page of pages) {
      const saved = await cache.match(page.url);
      if (
        !saved ||
        saved.headers.get("X-Offline-Version") !== page.version ||
        Number(saved.headers.get("X-Offline-Expires")) <= Date.now() + (graceDays * DAY_MS) / 2
      ) {
        stale.push(page.url);
      }
    }
    // Fetched together (texts.offlineBundle answers many pages in one compressed answer): a visit's pages
    // by its number, "My visits" by mine=1; at most BUNDLE_VISITS visits an answer.
    const visitOf = (url) => new URL(url, location.href).pathname.match(/\/visits\/(\d+)\/$/)?.[1];
    const visits = [...new Set(stale.map(visitOf).filter(Boolean))];
    const mine = stale.some((url) => !visitOf(url));
    for (let start = 0; start < visits.length || (start === 0 && mine); start += BUNDLE_VISITS) {
      const query = new URLSearchParams(visits.slice(start, start + BUNDLE_VISITS).map((pk) => ["visit", pk]));
      if (start === 0 && mine) query.set("mine", "1");
      const response = await fetch(`${texts.offlineBundle}?${query}`, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      for (const page of (await response.json()).pages) {
        const headers = {
          "Content-Type": "text/html; charset=utf-8",
          "X-Offline-Expires": expires,
          "X-Offline-Version": page.version,
        };
        await cache.put(page.url, new Response(page.html, { status: 200, headers }));
      }
    }
    const assets = [...document.querySelectorAll("link[rel=stylesheet][href], script[src]")].map(
      (element) => element.href || element.src,
    );
    const staticCache = await caches.open(STATIC);
    for (const request of await staticCache.keys()) {
      if (!assets.includes(request.url)) await staticCache.delete(request); // an older version's file
    }
    await Promise.all(assets.map((asset) => staticCache.add(asset).catch(() => undefined)));
  }

  // A visit that closed, went to someone else or is gone: its pages leave the phone at once, and the
  // saved "My visits" is fetched again so that it no longer lists it.
  async function forgetVisit(action) {
    const visitPath = new URL(action, location.href).pathname.replace(/record\/$/, "");
    const cache = await caches.open(PAGES + user);
    for (const request of await cache.keys()) {
      if (new URL(request.url).pathname === visitPath) await cache.delete(request);
    }
    const mine = texts.offlineMine || "/visits/mine/";
    const saved = await cache.match(mine);
    const response = await fetch(mine, { credentials: "same-origin" }).catch(() => null);
    if (saved && response?.ok && !response.redirected) {
      const headers = new Headers(response.headers);
      headers.set("X-Offline-Expires", saved.headers.get("X-Offline-Expires"));
      await cache.put(mine, new Response(await response.blob(), { status: response.status, headers }));
    }
  }

  // --- Recording offline --------------------------------------------------------------------------------

  // A fresh key for each outcome form when the page is shown; the same form sent twice (a double tap, a
  // stale tab, a replay after a lost answer) carries the same key, which the server records once.
  document.querySelectorAll("form[data-offline-form]").forEach((form) => {
    if (!form.elements.client_key.value) form.elements.client_key.value = crypto.randomUUID();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-offline-form]");
    if (!form || event.defaultPrevented || form.dataset.offlineNative) return;
    const now = String(Date.now());
    form.elements.phone_recorded_at.value = now;
    form.elements.phone_now.value = now;
    event.preventDefault();
    const data = new FormData(form, event.submitter);
    data.delete("csrfmiddlewaretoken"); // a page kept offline may hold an old one: the cookie's is current
    const queue = () => enqueue(form, data);
    if (!navigator.onLine) {
      queue();
      return;
    }
    // Online as far as the phone knows, but a stairwell may swallow the request: then it is queued too.
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() },
    }).then((response) => {
      if (response.type === "opaqueredirect") {
        location.href = texts.offlineMine || "/visits/mine/"; // recorded or refused: the message waits there
      } else {
        // Anything else (a form error) as the plain form would show it; the same key is never recorded twice.
        form.dataset.offlineNative = "true";
        form.requestSubmit(event.submitter);
      }
    }, queue);
  });

  function enqueue(form, data) {
    const item = {
      key: form.elements.client_key.value,
      user,
      action: form.action,
      address: form.dataset.offlineAddress,
      fields: [...data],
      recordedAt: Number(data.get("phone_recorded_at")),
    };
    withQueue("readwrite", (store) => store.put(item)).then(async () => {
      sessionStorage.setItem("nabo-offline-saved", "1");
      const registration = await navigator.serviceWorker?.ready.catch(() => null);
      await registration?.sync?.register("nabo-send").catch(() => undefined);
      location.href = texts.offlineMine || "/visits/mine/";
    });
  }

  // --- Sending what waits -------------------------------------------------------------------------------

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  // The server's answer ({status, message}); {status: "retry"} when it failed or the session ended (the
  // outcome waits, later ones for other visits go on); null when there is no connection (all wait).
  async function send(item, retried = false) {
    const body = new FormData();
    item.fields.forEach(([name, value]) => body.append(name, value));
    body.set("phone_now", String(Date.now()));
    let response;
    try {
      response = await fetch(item.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
    } catch {
      return null;
    }
    if ((response.headers.get("Content-Type") || "").startsWith("application/json")) return response.json();
    if (response.status === 403 && !retried) {
      // No CSRF cookie (or an outdated one): any page sets it again.
      await fetch(texts.offlineMine || "/visits/mine/", { credentials: "same-origin" }).catch(() => undefined);
      return send(item, true);
    }
    if (response.status === 403) return { status: "refused", message: texts.offlineForbidden || "" };
    return { status: "retry" }; // the server failed (5xx): this one waits, the others go on
  }

  const notices = [];
  let sentCount = 0;
  let reloading = false;

  async function sendWaiting() {
    if (!navigator.onLine || reloading) return;
    let answered = 0;
    const run = async () => {
      const held = new Set(); // visits whose earlier outcome must go first
      for (const item of await waiting()) {
        if (held.has(item.action)) continue;
        const answer = await send(item);
        if (answer === null) break;
        if (answer.status === "retry") {
          held.add(item.action);
          continue;
        }
        await unqueue(item.key);
        answered += 1;
        if (answer.status === "refused" || answer.visit_open === false) await forgetVisit(item.action);
        if (answer.status === "refused") {
          notices.push(
            (texts.offlineRefused || "{address}: {reason}")
              .replace("{address}", item.address || "")
              .replace("{reason}", answer.message || ""),
          );
        } else {
          sentCount += 1;
        }
      }
    };
    // One sender per phone, however many tabs are open.
    await (navigator.locks ? navigator.locks.request("nabo-offline-send", run) : run());
    if (answered && location.pathname === (texts.offlineMine || "/visits/mine/")) {
      // "My visits" as the server has it now (the tries, closed visits gone); what was sent or refused is
      // said again after the reload.
      sessionStorage.setItem("nabo-offline-notices", JSON.stringify({ sent: sentCount, refused: notices.splice(0) }));
      reloading = true; // until the page goes, nothing here may read (and so lose) what it is to show
      location.reload();
      return;
    }
    await show();
  }

  // --- What the page shows ------------------------------------------------------------------------------

  async function show() {
    if (!status || reloading) return;
    const items = await waiting();
    const count = items.length;
    // Each visit with an outcome waiting says so on its card, so it is not tried a second time.
    document.querySelectorAll(".offline-card-waiting").forEach((mark) => mark.remove());
    for (const item of items) {
      const visitPath = new URL(item.action, location.href).pathname.replace(/record\/$/, "");
      const card = document.querySelector(`.visit-card a[href="${visitPath}"]`)?.closest(".visit-card");
      if (!card || !texts.offlineCardWaiting) continue;
      const mark = document.createElement("p");
      mark.className = "offline-card-waiting badge text-bg-warning";
      mark.textContent = texts.offlineCardWaiting;
      card.querySelector(".visit-due")?.after(mark);
    }
    const badge = status.querySelector(".offline-waiting");
    badge.textContent = count ? (texts.offlineWaiting || "({count})").replace("{count}", count) : "";
    badge.hidden = !count;
    const saved = status.querySelector(".offline-saved");
    saved.hidden = !(count && sessionStorage.getItem("nabo-offline-saved"));
    sessionStorage.removeItem("nabo-offline-saved");
    const kept = JSON.parse(sessionStorage.getItem("nabo-offline-notices") || "{}");
    sessionStorage.removeItem("nabo-offline-notices");
    sentCount += kept.sent || 0;
    notices.push(...(kept.refused || []));
    const sent = status.querySelector(".offline-sent");
    if (sent && sentCount) {
      // Stays until the page is left, as the refusals do.
      sent.textContent = (texts.offlineSent || "{count}").replace("{count}", sentCount);
      sent.hidden = false;
      sentCount = 0;
    }
    const list = status.querySelector(".offline-refused");
    notices.splice(0).forEach((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      list.append(item);
    });
    list.hidden = !list.children.length;
    status.hidden = badge.hidden && saved.hidden && (!sent || sent.hidden) && list.hidden;
  }

  // --- Signing out: warn about what waits, then delete everything kept on the phone ---------------------

  async function forgetAll() {
    for (const name of await caches.keys()) {
      if (name.startsWith("nabo-")) await caches.delete(name);
    }
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase("nabo-offline");
      request.onsuccess = request.onerror = request.onblocked = resolve;
    });
    const registrations = (await navigator.serviceWorker?.getRegistrations()) || [];
    await Promise.all(registrations.map((registration) => registration.unregister()));
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-offline-signout]");
    if (!form || event.defaultPrevented) return;
    event.preventDefault();
    waiting()
      .catch(() => [])
      .then(async (items) => {
        if (items.length && !window.confirm(form.dataset.offlineSignout.replace("{count}", items.length))) return;
        await forgetAll().catch(() => undefined);
        form.submit();
      });
  });

  // --- On every signed-in page --------------------------------------------------------------------------

  async function start() {
    await forgetOtherUsers();
    if (!status) return;
    if ("serviceWorker" in navigator) {
      await navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined); // offline: later
    }
    await forgetExpired();
    await show();
    await sendWaiting();
    if (status.dataset.offlinePages && navigator.onLine) {
      await savePages(JSON.parse(status.dataset.offlinePages), Number(status.dataset.offlineGraceDays));
    }
    status.dataset.offlineReady = "true"; // for the browser tests: the pages are saved
  }

  window.addEventListener("online", () => sendWaiting());
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "nabo-send") sendWaiting();
  });
  start().catch((error) => console.error("offline", error));
})();
