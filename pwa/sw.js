// The service worker's logic. scripts/service-worker.mjs writes each app's sw.js at build time:
// a generated header (VERSION, CACHE_PREFIX, ASSETS, SHELLS, PASS) from the hashed files the
// build produced, followed by this file. Nothing here parses HTML or guesses file names.
//
// * install: fetch every asset of this build into one cache named after the build's version
//   (bypassing the HTTP cache), so the app opens with the network gone after one online visit.
// * activate: delete this app's caches of other versions, then take control of open pages.
// * fetch: page navigations get the cached shell of their app (the app routes on the client);
//   the build's files come from the cache; the API and anything else go to the network.
// * A new version waits until a page says it may take over (message 'skip-waiting'): pages ask
//   only when that interrupts nobody (see pwa.js).

const CACHE = `${CACHE_PREFIX}${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        ASSETS.map((url) =>
          fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' })).then((res) => {
            if (!res.ok) throw new Error(`${url}: ${res.status}`);
            return cache.put(url, res);
          }),
        ),
      ),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

/** The cached shell that answers a navigation to `path`, if this worker serves that path. */
function shellFor(path) {
  if (PASS.some((prefix) => path === prefix.slice(0, -1) || path.startsWith(prefix))) return null;
  const found = SHELLS.find(([prefix]) => path === prefix.slice(0, -1) || path.startsWith(prefix));
  return found ? found[1] : null;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  let key = null;
  if (request.mode === 'navigate') key = shellFor(url.pathname);
  else if (ASSETS.includes(url.pathname)) key = url.pathname;
  if (!key) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((hit) => hit || fetch(request)),
  );
});
