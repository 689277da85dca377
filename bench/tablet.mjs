// The staff tablet with a store's worth of cases, in real Chromium: for 10,000 and 100,000
// cases, a server of its own with the demo store seeded with that many made-up cases
// (`seed-demo --cases`). The manager signs in on a fresh browser profile: the time from the
// click on "Unlock" to a usable queue (its first row in the page: the cases in the queue are
// read first) and to every case in the tablet's ledger (the rest read: the note that says so
// gone), and until the tablet has kept them all in IndexedDB. Then the insights dashboard: the
// time from a click on "Insights" until the whole dashboard (ten charts and their tables) is
// in the page, and until the frame after it is painted, for the first opening and the median
// of several, and how long the report itself took in WebAssembly (the page's own figure); and
// the server's report of the same store (`GET .../insights`: the first after the server started, then the median of three more). Then the page is
// reloaded: the time from the reload to a usable queue (the manager unlocks again as soon as
// the unlock form shows) and until every kept case is read again, and the dashboard's first
// opening after it. Prints figures; asserts nothing.
//
//   node bench/tablet.mjs [--port 18095] [--cases 10000,100000] [--runs 5]
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const PORT = Number(args.port ?? 18095);
const SIZES = (args.cases ?? '10000,100000').split(',').map(Number);
const RUNS = Number(args.runs ?? 5);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const binary = path.join(root, 'target', 'release', 'recovery-server');
const BASE = `http://127.0.0.1:${PORT}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function serve(db) {
  const child = spawn(binary, ['--addr', `127.0.0.1:${PORT}`, '--db', db, '--dist', path.join(root, 'dist'), '--rate-limit', '0'], {
    stdio: 'ignore',
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/api/v1/health`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
console.log('\n== Insights dashboard in the staff app (Chromium, production build)');
for (const cases of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-insights-'));
  const db = path.join(dir, 'bench.sqlite3');
  let t = Date.now();
  execFileSync(binary, ['seed-demo', '--cases', String(cases), '--seed', '7', '--db', db], { stdio: 'ignore' });
  const seedMs = Date.now() - t;
  const server = await serve(db);
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}/staff/demo`);
    const unlock = async () => {
      await page.locator('#srk-person').fill('max');
      await page.locator('#srk-pin').fill('135790');
      await page.locator('form button[type=submit]').click();
    };
    t = Date.now();
    await unlock();
    await page.locator('.srk-queue__item').first().waitFor({ timeout: 600_000 });
    const queueMs = Date.now() - t;
    // Every case in the ledger: the rest read (its note, shown with the queue, gone), and the
    // planted spike's alert on the workspace.
    await page.locator('#srk-reading').waitFor({ state: 'detached', timeout: 600_000 });
    await page.locator('#srk-alerts li').first().waitFor({ timeout: 600_000 });
    const pullMs = Date.now() - t;
    const keptCount = () => page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('srk1-staff-demo');
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('notes')) return resolve(0);
        const tx = db.transaction(['records', 'notes']);
        const count = tx.objectStore('records').count();
        const note = tx.objectStore('notes').get('pulled');
        tx.oncomplete = () => { db.close(); resolve(note.result ? count.result : 0); };
        tx.onerror = () => resolve(0);
      };
    }));
    while ((await keptCount()) < cases) await new Promise((r) => setTimeout(r, 200));
    const keptMs = Date.now() - t;
    const openDashboard = async () => {
      const timing = await page.evaluate(() => new Promise((resolve) => {
        const button = document.getElementById('srk-open-insights');
        let clicked = 0;
        button.addEventListener('click', (e) => { clicked = e.timeStamp; }, { once: true, capture: true });
        const seen = () => document.querySelector('#srk-chart-costs table') !== null;
        const observer = new MutationObserver(() => {
          if (!seen()) return;
          observer.disconnect();
          const inDom = performance.now() - clicked;
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve({ inDom, painted: performance.now() - clicked });
            channel.port2.postMessage(0);
          });
        });
        observer.observe(document.body, { childList: true, subtree: true });
        button.click();
      }));
      timing.compute = Number(await page.locator('#srk-insights-source').getAttribute('data-compute-ms'));
      timing.shown = await page.locator('#srk-insights-cases').textContent();
      await page.locator('.srk-insights .srk-actions button').first().click();
      await page.locator('#srk-open-insights').waitFor();
      return timing;
    };
    const dom = [], painted = [], compute = [];
    let first;
    for (let run = 0; run < RUNS; run++) {
      const timing = await openDashboard();
      if (run === 0) {
        first = timing;
        console.log(`${cases.toLocaleString('en')} cases: ${timing.shown}`);
      }
      dom.push(timing.inDom);
      painted.push(timing.painted);
      compute.push(timing.compute);
    }
    const token = await (await fetch(`${BASE}/api/v1/stores/demo/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staff: 'max', pin: '135790' }),
    })).json();
    const serverMs = [];
    // The first after the server started reads every case's facts; the later ones keep them
    // and read only what was written since.
    for (let run = 0; run < 4; run++) {
      const asked = performance.now();
      const reply = await fetch(`${BASE}/api/v1/stores/demo/insights`, { headers: { authorization: `Bearer ${token.token}` } });
      await reply.json();
      serverMs.push(performance.now() - asked);
    }
    // A reload of the signed-in tablet: the queue after unlocking again, and every kept case.
    t = Date.now();
    await page.reload();
    await page.locator('#srk-pin').waitFor();
    await unlock();
    await page.locator('.srk-queue__item').first().waitFor({ timeout: 600_000 });
    const reloadQueueMs = Date.now() - t;
    await page.locator('#srk-reading').waitFor({ state: 'detached', timeout: 600_000 });
    const reloadAllMs = Date.now() - t;
    const afterReload = await openDashboard();
    console.log(
      `${cases.toLocaleString('en').padStart(7)} cases: seed ${seedMs} ms; sign-in to a usable queue ${queueMs} ms, ` +
        `to every case in the ledger ${pullMs} ms, every case kept in IndexedDB ${keptMs} ms; ` +
        `click to dashboard in the DOM, first ${first.inDom.toFixed(1)} ms, median ${median(dom).toFixed(1)} ms, ` +
        `to the next frame, first ${first.painted.toFixed(1)} ms, median ${median(painted).toFixed(1)} ms ` +
        `(report computed in wasm, first ${first.compute} ms, median ${median(compute)} ms; median of ${RUNS}); ` +
        `server report, first ${serverMs[0].toFixed(0)} ms, then ${median(serverMs.slice(1)).toFixed(0)} ms (median of 3); ` +
        `reload to a usable queue (unlocking again) ${reloadQueueMs} ms, to every kept case read ${reloadAllMs} ms, ` +
        `then the dashboard in the DOM ${afterReload.inDom.toFixed(1)} ms (report ${afterReload.compute} ms)`,
    );
  } finally {
    await context.close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
await browser.close();
