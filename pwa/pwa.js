// The page's side of working offline, loaded by the customer's page, the ticket page and the
// staff app (their shells say which worker with <html data-sw=… data-sw-scope=…>): the service
// worker, persistent storage, the store's promise and sealing key, and (at the end) the durable
// journal and its seal.
// It registers the worker, notices a new version waiting, asks the browser to keep this
// origin's storage, and keeps what it learnt on window.srkPwa for the app (src/platform/pwa.rs),
// announcing changes with the window events 'srk-update' and 'srk-storage'. It decides nothing
// about when to update: the app applies an update (srkPwa.apply()) only when that interrupts
// nobody. (An installed app opens where it was installed from: each shell's inline script adds
// the manifest link with ?start=<this page's path>, which the server writes in as start_url.)
const root = document.documentElement;
const state = (window.srkPwa = { update: false, persisted: null, reg: null, applying: false, taken: false });
const tell = (name) => window.dispatchEvent(new Event(name));
const sw = navigator.serviceWorker;

// Registered once the page has loaded: the worker's first install fetches every file of the
// build, which must not compete with the page's own first load.
const register = () =>
  sw.register(root.dataset.sw, { scope: root.dataset.swScope || '/' }).then((reg) => {
    state.reg = reg;
    // A worker waiting while this registration's own controls the page is a new version (not
    // the first install of this scope under another scope's worker: a kiosk's, on a tablet
    // that is kiosk and staff tablet both).
    const check = () => {
      if (reg.waiting && reg.active && sw.controller && !state.update) {
        state.update = true;
        tell('srk-update');
      }
    };
    check();
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      if (next) next.addEventListener('statechange', () => {
        check();
        // A new version that failed to install (or was replaced) can no longer be applied:
        // the offer goes, unless another tab already took the update (then a reload applies it).
        if (next.state === 'redundant' && state.update && !reg.waiting && !state.taken) {
          state.update = false;
          tell('srk-update');
        }
      });
    });
    // Kiosks and tablets stay open for days: look for a new version every hour.
    setInterval(() => reg.update().catch(() => {}), 3600000);
  }, () => {});

if (sw && root.dataset.sw) {
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
  sw.addEventListener('controllerchange', () => {
    if (state.applying) {
      state.applying = false;
      location.reload();
    } else if (state.update) {
      // Another tab took the update: this page still runs the old code, and a reload (at a
      // moment that interrupts nobody, as the app decides) brings it the new one.
      state.taken = true;
    }
  });
}

// Lets the waiting version take over; the page reloads into it (or only reloads, when another
// tab already let it take over). False when there is nothing to apply.
state.apply = () => {
  const next = state.reg && state.reg.waiting;
  if (!next) {
    if (!state.taken) return false;
    location.reload();
    return true;
  }
  state.applying = true;
  next.postMessage('skip-waiting');
  return true;
};

// Complaints and steps wait on the device until they are sent: ask the browser not to evict
// them under storage pressure. state.persisted: true granted, false refused, null unknown.
const storage = navigator.storage;
if (storage && storage.persist) {
  storage
    .persisted()
    .then((yes) => yes || storage.persist())
    .then((yes) => yes, () => false)
    .then((yes) => {
      state.persisted = yes;
      tell('srk-storage');
    });
}

// The device's durable journal, for src/shared/platform/journal.rs: texts under keys in
// IndexedDB (database "srk", object store "texts"), each write done only once the browser has it
// on disk (strict durability where the browser offers it). Kept here in JavaScript rather than in
// the WebAssembly: the same calls through Rust bindings cost the customer's first load about 2
// KB more (bench/size-budget). It knows no key and no format; the apps own both.
let opened = null;
const db = () =>
  (opened ||= new Promise((ok, fail) => {
    const req = indexedDB.open('srk', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('texts');
    req.onsuccess = () => {
      // Another tab opening a newer version asks this one to let go; then open again later.
      req.result.onversionchange = () => {
        req.result.close();
        opened = null;
      };
      ok(req.result);
    };
    req.onerror = () => fail(req.error);
    req.onblocked = () => fail(new DOMException('blocked by another tab', 'UnknownError'));
  }).catch((e) => {
    opened = null;
    throw e;
  }));

// Runs `work` on the object store in one transaction; resolves with what it returns, read once
// the transaction is complete.
const run = (mode, work, durability) =>
  db().then(
    (d) =>
      new Promise((ok, fail) => {
        const tx = d.transaction('texts', mode, durability && { durability });
        const done = work(tx.objectStore('texts'));
        tx.oncomplete = () => ok(done && done());
        tx.onerror = tx.onabort = () => fail(tx.error);
      }),
  );

// On a customer's page (/k/<store>/… or /c/<store>/…): the store's own acknowledgement target,
// which the acknowledgement promises (src/customer/device.rs reads it; the default only on a
// device that never learnt it). Asked once the page has loaded, when the network comes back and
// every hour (kiosks stay open for days); kept for when the server is out of reach.
const store = (location.pathname.match(/^\/[kc]\/([a-z0-9-]+)\//) || [])[1];
const learn = () =>
  fetch('/api/v1/stores/' + store + '/promise', { cache: 'no-store' })
    .then((r) => r.ok && r.json())
    .then((p) => {
      if (!p) return;
      localStorage.setItem('srk1:promise:' + store, p.acknowledge_within_minutes);
      if (p.seal_key) localStorage.setItem('srk1:seal-key', p.seal_key);
    })
    .catch(() => {});
if (store) {
  if (document.readyState === 'complete') learn();
  else window.addEventListener('load', learn);
  window.addEventListener('online', learn);
  setInterval(learn, 3600000);
}

window.srkJournal = {
  put: (key, text) => run('readwrite', (s) => void s.put(text, key), 'strict'),
  remove: (key) => run('readwrite', (s) => void s.delete(key)),
  // Every [key, text] whose key starts with `prefix`, in key order.
  under: (prefix) =>
    run('readonly', (s) => {
      // (No escape sequence: the release build's minifiers turn a \u escape into a backslash.)
      const range = IDBKeyRange.bound(prefix, prefix + String.fromCharCode(0xffff));
      const keys = s.getAllKeys(range);
      const texts = s.getAll(range);
      return () => keys.result.map((k, i) => [k, texts.result[i]]);
    }),
  // Seals `text` (a customer's name and contact) for the server, bound to the event `id`, with
  // the key it published with the store's promise, so that what the device stores it cannot
  // read back (the scheme: crates/server/src/seal.rs). Resolves with the seal in base64url;
  // rejects without a key learnt or without Web Crypto (pages not served over HTTPS or from
  // 127.0.0.1), and the app then keeps them as they are.
  seal: async (text, id) => {
    const c = crypto.subtle;
    const ec = { name: 'ECDH', namedCurve: 'P-256' };
    const bytes = (b64) => Uint8Array.from(atob(b64.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
    const utf8 = (t) => new TextEncoder().encode(t);
    const server = await c.importKey('raw', bytes(localStorage.getItem('srk1:seal-key')), ec, false, []);
    const mine = await c.generateKey(ec, false, ['deriveBits']);
    const point = new Uint8Array(await c.exportKey('raw', mine.publicKey));
    const shared = await c.importKey('raw', await c.deriveBits({ name: 'ECDH', public: server }, mine.privateKey, 256), 'HKDF', false, ['deriveKey']);
    const hkdf = { name: 'HKDF', hash: 'SHA-256', salt: point, info: utf8('srk-seal-v1') };
    const key = await c.deriveKey(hkdf, shared, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await c.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(id) }, key, utf8(text));
    const all = [...point, ...iv, ...new Uint8Array(sealed)];
    return btoa(String.fromCharCode(...all)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
};
// Opened at once, while the app loads: after a crash the browser may take a while to open it,
// and the first write (a complaint filed seconds later) must not wait for that.
db().catch(() => {});
