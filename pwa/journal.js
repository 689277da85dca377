// The device's durable journal, for src/shared/platform/journal.rs: texts under keys in
// IndexedDB (database "srk", object store "texts"), each write done only once the browser has it
// on disk (strict durability where the browser offers it). Kept in JavaScript rather than in the
// WebAssembly: the same calls through Rust bindings cost the customer's first load about 3 KB
// more (bench/size-budget). It knows no key and no format; the apps own both.
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

window.srkJournal = {
  put: (key, text) => run('readwrite', (s) => void s.put(text, key), 'strict'),
  remove: (key) => run('readwrite', (s) => void s.delete(key)),
  // Every [key, text] whose key starts with `prefix`, in key order.
  under: (prefix) =>
    run('readonly', (s) => {
      const range = IDBKeyRange.bound(prefix, prefix + '\uffff');
      const keys = s.getAllKeys(range);
      const texts = s.getAll(range);
      return () => keys.result.map((k, i) => [k, texts.result[i]]);
    }),
};
