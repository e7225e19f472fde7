// Dividend's service worker for the report form (served by reports/offline_views.py): the form page
// and its static files are kept, so the form opens on a phone without a connection. The page is
// fetched from the network first (after 4 seconds without an answer, the kept copy is shown and the
// network's answer, when it comes, replaces it); static files come from the cache. Nothing else is
// touched: every other request goes to the network as if there were no worker.
"use strict";
const CACHE = "dividend-reports-{{ version }}";
const PAGE = "{{ page|escapejs }}";
const ASSETS = {{ assets|safe }};
const PATIENCE_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.addAll(ASSETS);
    try {  // the page, for a signed-in secondee only (a redirect to the login page is not kept)
      const page = await fetch(PAGE, {credentials: "same-origin", redirect: "manual"});
      if (page.ok) { await cache.put(PAGE, page); }
    } catch (error) { /* offline while installing: kept on the next visit */ }
  }).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("dividend-reports-") && key !== CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});

function page(request) {
  const network = fetch(request).then((answer) => {
    if (answer.ok && !answer.redirected) {
      const copy = answer.clone();
      caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
    }
    return answer;
  });
  const kept = caches.match(PAGE);
  const late = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS)).then(() => kept);
  return Promise.race([network, late.then((answer) => answer || network)])
    .catch(() => kept.then((answer) => answer || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((answer) => answer || fetch(request)));
  }
});
