// Sync benchmark, on the production build served by the real release server. Prints figures;
// asserts nothing about time.
//   1. Drain: 5,000 complaints queued on a kiosk (a day offline) are sent to the
//      local server; time from the app's first push to the last receipt, and the server's
//      count afterwards.
//   2. Network back: a device waits out its backoff offline; the network returns; time until
//      the first receipt reaches it (target: at most 1 s).
//
//   node bench/sync.mjs --base http://127.0.0.1:18090 --db <the server's SQLite file>
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const BASE = args.base ?? 'http://127.0.0.1:18090';
const QUEUED = Number(args.queued ?? 5000);
const RETURNS = Number(args.returns ?? 10);
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function token(store) {
  return execFileSync('target/release/recovery-server', ['issue-token', '--store', store, '--db', args.db], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

async function storedCount(store) {
  const auth = { authorization: `Bearer ${token(store)}` };
  let after = 0, n = 0;
  for (;;) {
    const page = await (await fetch(`${BASE}/api/v1/stores/${store}/events?after=${after}&limit=1000`, { headers: auth })).json();
    n += page.events.length;
    after = page.next;
    if (!page.more) return n;
  }
}

/** Queues `n` valid complaints in the page's storage, as the app keeps them. */
async function queue(page, store, n) {
  await page.evaluate(({ store, n }) => {
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const id = crypto.randomUUID();
      const event = {
        id, case: crypto.randomUUID(), at: now - (n - i) * 1000,
        origin: { store, touchpoint: 'checkout-2', device: '00000000-0000-4000-8000-000000000001' },
        kind: { type: 'filed', utc_offset_minutes: 60, complaint: {
          category: 'waiting', description: `Queued complaint ${i}: the card reader charged me twice and the queue grew.`,
          occurred: 'just_now', impact: 'moderate', happened_before: false, fair_solutions: ['refund'],
          fair_solution_note: null, name: null, contact: null, consent_to_contact: false } },
      };
      localStorage.setItem(`srk1:ev:${id}`, JSON.stringify({ v: 1, event, sync: 'pending' }));
    }
  }, { store, n });
}

async function drain(mode) {
  const store = `bench-drain-${mode}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/api/v1/health`);
  await queue(page, store, QUEUED);
  const pushes = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/events')) pushes.push({ start: Date.now() }); });
  page.on('response', (r) => { if (r.url().endsWith('/api/v1/events')) pushes[pushes.length - 1].end = Date.now(); });
  const t0 = Date.now();
  await page.goto(`${BASE}/${mode}/${store}/checkout-2`);
  await page.locator('#srk-f-description').waitFor();
  const started = Date.now() - t0;
  await page.locator('#srk-sync-pending').filter({ hasText: /: 0$/ }).waitFor({ state: 'attached', timeout: 120_000 });
  const last = Date.now();
  await context.close();
  const first = pushes[0].start;
  const stored = await storedCount(store);
  console.log(`\n== Drain ${QUEUED} queued complaints to the local server, ${mode === 'k'
    ? 'kiosk (the realistic case: a day offline; each leaves the tablet once the server has it)'
    : 'phone (each is marked as sent and kept)'}`);
  console.log(`app start with ${QUEUED} queued: ${started} ms`);
  console.log(`first push -> last receipt: ${((last - first) / 1000).toFixed(2)} s in ${pushes.length} pushes ` +
    `(${Math.round(QUEUED / ((last - first) / 1000))} events/s); server holds ${stored} of them (target: all in at most 10 s)`);
}

async function networkBack() {
  const store = 'bench-online';
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/c/${store}/checkout-2`);
  await page.locator('#srk-f-description').waitFor();
  const waits = [];
  for (let i = 0; i < RETURNS; i++) {
    await context.setOffline(true);
    await page.locator('input[name=category]').first().check();
    await page.locator('#srk-f-description').fill(`Filed offline, number ${i}`);
    await page.locator('#srk-submit').click();
    await page.locator('#srk-ticket').waitFor();
    // Let a few tries fail so the device is deep in its backoff.
    await page.waitForTimeout(3_000);
    const acked = page.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.status() === 200, { timeout: 400_000 });
    const t0 = Date.now();
    await context.setOffline(false);
    await acked;
    waits.push(Date.now() - t0);
    await page.locator('#srk-done').click();
  }
  await context.close();
  console.log(`\n== Network back -> first receipt (${RETURNS} returns, after 3 s of failed tries offline)`);
  console.log(`median=${quantile(waits, 0.5)} ms  p95=${quantile(waits, 0.95)} ms  max=${Math.max(...waits)} ms (target: at most 1,000 ms)`);
}

await drain('k');
await drain('c');
await networkBack();
await browser.close();
