// Customer-page benchmark, on the production build served by the real release server.
// Prints figures; asserts nothing about time. Exits non-zero only when the first-load
// transfer (a size) is over its budget.
//
//   node bench/bench.mjs [--base http://127.0.0.1:18090] [--submits 60] [--cold 20] [--contact 1]
import { chromium } from 'playwright-core';
import { brotliCompressSync, constants } from 'node:zlib';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const BASE = args.base ?? 'http://127.0.0.1:18090';
const SUBMITS = Number(args.submits ?? 60);
// Fresh browser profiles for the first tap (each its own, empty of cache, storage and service
// worker), per page.
const COLD = Number(args.cold ?? 20);
// Issue 2's target: 120 KB (120,000 bytes) brotli for everything the customer page loads.
const BUDGET_BROTLI = 120_000;
const PAGE = '/c/demo/checkout-2';
const KIOSK = '/k/demo/front-desk';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

async function firstLoad() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const assets = [];
  page.on('response', async (r) => {
    try {
      const body = await r.body();
      assets.push({ url: new URL(r.url()).pathname, raw: body.length, br: brotli(body), type: r.headers()['content-type'] ?? '' });
    } catch { /* redirects have no body */ }
  });
  await page.goto(BASE + PAGE, { waitUntil: 'networkidle' });
  await page.locator('h1').waitFor();
  await context.close();
  console.log('\n== First load of the customer page', PAGE);
  console.log('asset'.padEnd(48), 'raw'.padStart(12), 'brotli'.padStart(12));
  let raw = 0, br = 0;
  for (const a of assets) {
    raw += a.raw; br += a.br;
    console.log(a.url.padEnd(48), kb(a.raw).padStart(12), kb(a.br).padStart(12));
  }
  console.log('TOTAL'.padEnd(48), kb(raw).padStart(12), kb(br).padStart(12), `= ${br} bytes brotli (target ${BUDGET_BROTLI})`);
  return br;
}

// Three views of one tap, from the click's event timestamp: (1) until the acknowledgement
// is in the page (the app's own work: event handling, validation, filing, rendering);
// (2) until a task after the next frame's paint (requestAnimationFrame, then a message),
// an upper bound that also waits for the display's next frame, so it lies anywhere
// between the app's work and about one frame (16.7 ms at 60 Hz) more; (3) the browser's
// Event Timing API, which measures input to next paint but only reports events of 16 ms
// or more, so its count of such submit clicks is printed.
async function tapToAck(stored) {
  const context = await browser.newContext();
  // The store's server stays out of reach, so the kiosk keeps all it holds (once the server
  // has a complaint the tablet removes it) and the taps are timed with the worst-case store.
  await context.route('**/api/v1/events', (route) => route.abort());
  const page = await context.newPage();
  await page.goto(BASE + KIOSK);
  await page.locator('h1').waitFor();
  if (stored > 0) await seed(page, stored);
  const t0 = Date.now();
  await page.reload();
  await page.locator('#srk-f-description').waitFor();
  const startMs = Date.now() - t0;
  const have = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('srk1:ev:')).length);
  await instrument(page);
  for (let i = 0; i < SUBMITS; i++) {
    await fillIn(page, i);
    await page.locator('#srk-submit').click();
    await page.locator('#srk-ticket').waitFor();
    await page.waitForFunction((n) => window.__ack.length >= n, i + 1);
    await page.locator('#srk-done').click();
    await page.locator('#srk-f-description').waitFor();
  }
  const times = await page.evaluate(() => window.__ack);
  const dom = await page.evaluate(() => window.__dom);
  const slow = await page.evaluate(() => window.__slow);
  await context.close();
  const line = `stored=${String(have).padStart(5)}  submits=${times.length}  app start=${startMs} ms\n` +
    `             click -> acknowledgement in the page (the app's work): median=${quantile(dom, 0.5).toFixed(2)} ms  p95=${quantile(dom, 0.95).toFixed(2)} ms  max=${Math.max(...dom).toFixed(2)} ms\n` +
    `             click -> after the next frame is painted (upper bound, waits for the frame): median=${quantile(times, 0.5).toFixed(2)} ms  p95=${quantile(times, 0.95).toFixed(2)} ms  max=${Math.max(...times).toFixed(2)} ms\n` +
    `             Event Timing API (reports only clicks of 16 ms or more, rounded to 8 ms): ${slow.length} of ${times.length} submit clicks` +
    (slow.length ? `, durations ${[...new Set(slow)].sort((a, b) => a - b).join('/')} ms` : '');
  console.log(line);
  return dom;
}

// The first tap of a first-time visitor (a customer scanning a sticker, a tablet just set up):
// each trial a new browser context, so no HTTP cache, storage or service worker from before.
// The page loads, the form is filled in as a person would after reading it (`think` ms after
// the submit button shows: nobody reads, picks and types faster), and one submit is timed as
// the repeated taps are.
async function coldTap(path, think) {
  const dom = [], painted = [];
  for (let i = 0; i < COLD; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(BASE + path);
    await page.locator('#srk-submit').waitFor();
    await instrument(page);
    await page.waitForTimeout(think);
    await fillIn(page, i);
    await page.locator('#srk-submit').click();
    await page.locator('#srk-ticket').waitFor();
    await page.waitForFunction(() => window.__ack.length >= 1);
    dom.push(...await page.evaluate(() => window.__dom));
    painted.push(...await page.evaluate(() => window.__ack));
    await context.close();
  }
  return { dom, painted };
}

// `--contact 1`: every complaint also gives a name, an email and consent, so each filing's are
// sealed for the server (Web Crypto) before it is stored.
const CONTACT = Boolean(args.contact);

async function fillIn(page, i) {
  await page.locator('input[name=category]').nth(i % 8).check();
  await page.locator('#srk-f-description').fill(`Benchmark complaint number ${i}: the queue was long.`);
  if (CONTACT) {
    await page.locator('#srk-f-name').fill(`Customer ${i}`);
    await page.locator('#srk-f-contact').fill(`customer${i}@example.com`);
    await page.locator('#srk-f-consent').check();
  }
}

// Times every click on the submit button (see tapToAck) into window.__dom, __ack and __slow.
async function instrument(page) {
  await page.evaluate(() => {
    window.__slow = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'click' && e.target && e.target.id === 'srk-submit') window.__slow.push(e.duration);
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: false });
    document.addEventListener('click', (ev) => {
      if (ev.target.id !== 'srk-submit') return;
      const start = ev.timeStamp;
      const done = () => requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { window.__ack.push(performance.now() - start); };
        ch.port2.postMessage(0);
      });
      const obs = new MutationObserver(() => {
        if (document.getElementById('srk-ticket')) {
          obs.disconnect();
          window.__dom.push(performance.now() - start);
          done();
        }
      });
      obs.observe(document.body, { childList: true, subtree: true });
    }, { capture: true });
    window.__ack = [];
    window.__dom = [];
  });
}

// Stores `n` complaints the way the app does: one real filing, cloned with fresh ids.
async function seed(page, n) {
  await page.locator('input[name=category]').first().check();
  await page.locator('#srk-f-description').fill('Seed complaint: the card reader at checkout 2 charged me twice, and the queue behind me grew while we sorted it out.');
  await page.locator('#srk-submit').click();
  await page.locator('#srk-ticket').waitFor();
  await page.evaluate((n) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('srk1:ev:'));
    const template = localStorage.getItem(key);
    const env = JSON.parse(template);
    for (let i = 1; i < n; i++) {
      env.event.id = crypto.randomUUID();
      env.event.case = crypto.randomUUID();
      env.event.at = env.event.at - i * 60_000;
      localStorage.setItem('srk1:ev:' + env.event.id, JSON.stringify(env));
    }
  }, n);
}

// `--taps-only 1`: only the tap figures (warm and cold), for quick runs.
const brTotal = args['taps-only'] ? 0 : await firstLoad();
console.log(`\n== Tap to acknowledgement (kiosk, ${SUBMITS} submits each)`);
const warm = await tapToAck(0);
if (!args['taps-only']) {
  const full = await tapToAck(5000);
  console.log(`ratio of the app's work, p95(5000)/p95(0) = ${(quantile(full, 0.95) / quantile(warm, 0.95)).toFixed(2)}`);
}

const THINK = Number(args.think ?? 1000);
console.log(`\n== First tap on a fresh browser profile (${COLD} profiles per page, submit ${THINK} ms after the form shows)`);
const ms = (xs) => `p50=${quantile(xs, 0.5).toFixed(2)} ms  p95=${quantile(xs, 0.95).toFixed(2)} ms  max=${Math.max(...xs).toFixed(2)} ms`;
for (const [what, path] of [['phone (sticker)', PAGE], ['kiosk', KIOSK]]) {
  const cold = await coldTap(path, THINK);
  console.log(`${what.padEnd(16)} click -> acknowledgement in the page: cold (first tap) ${ms(cold.dom)}`);
  console.log(`${''.padEnd(16)} click -> after the next frame is painted: cold ${ms(cold.painted)}`);
}
console.log(`${'kiosk'.padEnd(16)} click -> acknowledgement in the page: warm (later taps) ${ms(warm.slice(1))}`);
await browser.close();
if (brTotal > BUDGET_BROTLI) {
  console.log(`first-load transfer: ${brTotal} bytes brotli, ${brTotal - BUDGET_BROTLI} over the ${BUDGET_BROTLI}-byte target`);
}
