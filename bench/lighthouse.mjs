// Lighthouse (mobile emulation: a mid-range phone on a slow 4G link, simulated) on the
// customer's page and the staff app, in Debian's Chromium. Prints the category scores and the
// main timings; asserts nothing (figures, not tests).
//   node bench/lighthouse.mjs --base http://127.0.0.1:18090
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const i = process.argv.indexOf('--base');
const base = i > 0 ? process.argv[i + 1] : 'http://127.0.0.1:18090';
const PAGES = [
  ['customer page (phone)', '/c/demo/checkout-2'],
  ['customer page (kiosk)', '/k/demo/front-desk'],
  ['staff app', '/staff/demo'],
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
// Runs per page: the median run (by performance score) is printed, with the range.
const RUNS = 3;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  console.log('\n== Lighthouse, mobile emulation (simulated slow 4G, 4x CPU slowdown)');
  for (const [name, path] of PAGES) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(`${base}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
      });
      if (result.lhr.runtimeError) console.log(`${''.padEnd(24)} run ${run + 1}: ${result.lhr.runtimeError.code}`);
      runs.push(result.lhr);
    }
    const perf = (lhr) => lhr.categories.performance?.score ?? 0;
    runs.sort((a, b) => perf(a) - perf(b));
    const lhr = runs[Math.floor(RUNS / 2)];
    const range = `performance over ${RUNS} runs ${Math.round(perf(runs[0]) * 100)}..${Math.round(perf(runs[RUNS - 1]) * 100)}`;
    const scores = CATEGORIES.map((c) => `${c} ${Math.round((lhr.categories[c]?.score ?? 0) * 100)}`).join(', ');
    const ms = (id) => Math.round(lhr.audits[id]?.numericValue ?? NaN);
    console.log(`${name.padEnd(24)} ${scores} (median run; ${range})`);
    console.log(
      `${''.padEnd(24)} FCP ${ms('first-contentful-paint')} ms, LCP ${ms('largest-contentful-paint')} ms, ` +
        `TBT ${ms('total-blocking-time')} ms, CLS ${(lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)}`,
    );
    const lcp = lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
    if (lcp) console.log(`${''.padEnd(24)} LCP element: ${lcp.nodeLabel?.slice(0, 60)} (${lcp.selector})`);
    // Whatever keeps a category below 100, so the figure can be acted on.
    for (const c of CATEGORIES) {
      for (const ref of lhr.categories[c]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
          console.log(`${''.padEnd(24)}   ${c}: ${audit.id} ${Math.round(audit.score * 100)} ${audit.displayValue ?? ''}`);
        }
      }
    }
  }
} finally {
  await chrome.kill();
}
