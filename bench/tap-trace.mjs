// Where a first-time visitor's first tap spends its time: records a Chromium trace around one
// submit on a fresh browser profile and prints the page's main-thread work between the click and
// the acknowledgement (scripts, style and layout, forced layouts and what forced them, fetches
// started, WebAssembly compiled on first call). A tool for finding causes; bench/bench.mjs gives
// the figures.
//
//   node bench/tap-trace.mjs [--base http://127.0.0.1:18090] [--path /k/demo/front-desk] [--trials 3]
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const BASE = args.base ?? 'http://127.0.0.1:18090';
const PATH = args.path ?? '/k/demo/front-desk';
const TRIALS = Number(args.trials ?? 3);
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack', 'v8', 'v8.wasm', 'blink', 'blink.user_timing'];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

for (let t = 0; t < TRIALS; t++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE + PATH);
  await page.locator('#srk-submit').waitFor();
  await page.waitForTimeout(1000);
  await page.locator('input[name=category]').nth(t % 8).check();
  await page.locator('#srk-f-description').fill(`Traced complaint number ${t}: the queue was long.`);
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES } });
  // Marks in the trace: the click (first listener) and the acknowledgement in the page.
  await page.evaluate(() => {
    document.addEventListener('click', (ev) => {
      if (ev.target.id !== 'srk-submit') return;
      performance.mark('srk-click');
      const seen = new MutationObserver(() => {
        if (!document.getElementById('srk-ticket')) return;
        seen.disconnect();
        performance.mark('srk-ack');
      });
      seen.observe(document.body, { childList: true, subtree: true });
    }, { capture: true });
  });
  await page.locator('#srk-submit').click();
  await page.locator('#srk-ticket').waitFor();
  await page.waitForTimeout(200);
  await cdp.send('Tracing.end');
  await complete;
  await context.close();
  report(t, events);
}
await browser.close();

function report(trial, events) {
  const click = events.find((e) => e.name === 'srk-click');
  const ack = events.find((e) => e.name === 'srk-ack');
  // The dispatch of the click starts a little before the first listener runs.
  const slices = events
    .filter((e) => e.tid === click.tid && e.ph === 'X' && e.ts >= click.ts - 3000 && e.ts <= ack.ts)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const start = slices.find((e) => e.name === 'EventDispatch')?.ts ?? click.ts;
  const ms = (us) => (us / 1000).toFixed(2).padStart(6);
  console.log(`\ntrial ${trial}: first click listener -> acknowledgement ${ms(ack.ts - click.ts)} ms`);
  const compiled = slices.filter((e) => e.name === 'wasm.CompileLazy');
  console.log(`  WebAssembly functions compiled on first call: ${compiled.length}, ${ms(compiled.reduce((s, e) => s + e.dur, 0))} ms`);
  const shown = new Set(['EventDispatch', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'ResourceFetcher::requestResource', 'V8.CompileCode']);
  for (const e of slices) {
    if (!shown.has(e.name) || e.dur < 100) continue;
    const by = e.args?.beginData?.stackTrace?.[0]?.functionName;
    const what = e.args?.data?.type ?? (by ? `forced by ${by}` : '');
    console.log(`  +${ms(e.ts - start)} ms  ${ms(e.dur)} ms  ${e.name} ${what}`);
  }
}
