// Live queue and notification benchmark, against release servers of its own: a manager's
// tablet (the staff app in Chromium, signed in, resting on its queue) and 20 filings pushed as
// a kiosk pushes them; for each, the time from the push leaving to the case's row being in the
// tablet's page (the page's MutationObserver, on the same machine's clock). Once with one
// server on SQLite, and, given --database-url, with two servers over PostgreSQL: the tablet on
// one, the kiosk on the other. Then a due rule: a store whose acknowledgement target is 0
// minutes and a manager's email address; the time from each filing's push to its email in the
// real SMTP server's maildir (aiosmtpd, .tools/mail). Prints p50/p95; asserts nothing.
//
//   node bench/live.mjs [--port 18097] [--filings 20] [--database-url postgres://...]
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const PORT = Number(args.port ?? 18097);
const FILINGS = Number(args.filings ?? 20);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const binary = path.join(root, 'target', 'release', 'recovery-server');
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const figures = (xs) => `p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms (n=${xs.length})`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function admin(db, command) {
  execFileSync(binary, [...command, ...db], { stdio: 'ignore' });
}

async function serve(port, db, extra = []) {
  const child = spawn(binary, ['--addr', `127.0.0.1:${port}`, ...db, '--dist', path.join(root, 'dist'), '--rate-limit', '0', ...extra], {
    stdio: 'ignore',
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return child;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error('server did not start');
}

function filing(text) {
  return {
    id: randomUUID(),
    case: randomUUID(),
    at: Date.now(),
    origin: { store: 'demo', touchpoint: 'front-desk', device: randomUUID() },
    kind: {
      type: 'filed',
      complaint: {
        category: 'waiting', description: text, occurred: null, impact: null, happened_before: null,
        fair_solutions: [], fair_solution_note: null, name: null, contact: null, consent_to_contact: false,
      },
      utc_offset_minutes: 0,
    },
  };
}

async function push(base, event) {
  const r = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [event] }),
  });
  if (!r.ok) throw new Error(`push answered ${r.status}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Filing pushed to `kiosk` to its row on a tablet signed in at `tablet`, FILINGS times. */
async function liveQueue(label, tablet, kiosk) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${tablet}/staff/demo`);
  await page.locator('#srk-person').fill('max');
  await page.locator('#srk-pin').fill('135790');
  await page.locator('form button[type=submit]').click();
  await page.locator('#srk-live').waitFor();
  const times = [];
  for (let n = 0; n < FILINGS; n++) {
    const text = `Bench filing ${label} ${n} ${randomUUID()}`;
    // A row in any of the queue's sections; a filing never seen fails the run instead of
    // waiting for ever.
    const seen = page.evaluate((text) => new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error(`no row for "${text}" after 30 s`)), 30_000);
      const found = () => [...document.querySelectorAll('#srk-queue li')].some((li) => li.textContent.includes(text));
      const observer = new MutationObserver(() => {
        if (found()) {
          observer.disconnect();
          resolve(Date.now());
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    }), text);
    await sleep(50);
    const sent = Date.now();
    await push(kiosk, filing(text));
    times.push((await seen) - sent);
    await sleep(150);
  }
  await page.context().close();
  console.log(`filing -> row on a connected tablet, ${label}: ${figures(times)}`);
}

/** Filing to the email of an unacknowledged rule with a 0-minute target, in the maildir. */
async function dueRuleEmail(base, maildir) {
  const inbox = path.join(maildir, 'new');
  const count = () => (fs.existsSync(inbox) ? fs.readdirSync(inbox).length : 0);
  const times = [];
  for (let n = 0; n < 5; n++) {
    const before = count();
    const sent = Date.now();
    await push(base, filing(`Bench email ${n}`));
    while (count() === before) await sleep(10);
    times.push(Date.now() - sent);
  }
  console.log(`due rule -> email received by the SMTP server (worker every 2 s): ${figures(times)}`);
}

console.log('\n== Live queue and notifications (release servers, Chromium)');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-live-'));
const sqlite = ['--db', path.join(dir, 'live.sqlite3')];
const maildir = path.join(dir, 'maildir');
const smtpPort = PORT + 10;
const smtp = spawn(path.join(root, '.tools', 'mail', 'bin', 'python'),
  ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
const servers = [smtp];
try {
  admin(sqlite, ['seed-demo']);
  admin(sqlite, ['add-store', '--store', 'demo', '--name', 'Demo store', '--ack-minutes', '0']);
  admin(sqlite, ['add-recipient', '--store', 'demo', '--email', 'manager@example.com', '--rules', 'unacknowledged']);
  const one = `http://127.0.0.1:${PORT}`;
  servers.push(await serve(PORT, sqlite, ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`]));
  await liveQueue('one instance (SQLite)', one, one);
  await dueRuleEmail(one, maildir);
  if (args['database-url']) {
    const pg = ['--database-url', args['database-url']];
    admin(pg, ['seed-demo']);
    const [a, b] = [PORT + 1, PORT + 2];
    servers.push(await serve(a, pg), await serve(b, pg));
    await liveQueue('two instances (PostgreSQL, kiosk on one, tablet on the other)', `http://127.0.0.1:${b}`, `http://127.0.0.1:${a}`);
  }
} finally {
  for (const child of servers) child.kill();
  await browser.close();
}
