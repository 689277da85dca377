// Fault injection for complaints: real Chromium, the real server, and every way a push can go
// wrong (see support/faults.ts), each repeated. After every trial each complaint is on the
// server exactly once (counted by case, so a retry that invented a new event would show) and
// nothing is left on the device unsent.
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { SyncStatus } from '../pages/sync-status';
import * as faults from '../support/faults';
import { OwnServer, countByCase, filedEvent, queuedEntries } from '../support/server';

const TRIALS = 3;
const STORE = 'faults';
test.describe.configure({ timeout: 120_000 });

/** One trial's device: its page, status panel and the complaints it queued. */
class Device {
  readonly customer: CustomerPage;
  readonly sync: SyncStatus;
  events: any[] = [];
  constructor(readonly page: Page, readonly server: OwnServer, readonly query = '') {
    this.customer = new CustomerPage(page);
    this.sync = new SyncStatus(page, this.customer.t);
  }
  get app(): string {
    return `${this.server.origin}/c/${STORE}/checkout-2${this.query}`;
  }
  /** Queues `n` complaints in storage and starts the app, which sends them at once. */
  async queueAndStart(n: number, trial: number) {
    this.events = Array.from({ length: n }, (_, i) => filedEvent(STORE, `Trial ${trial}, complaint ${i}`));
    await this.page.goto(`${this.server.origin}/api/v1/health`);
    await this.sync.seed(queuedEntries(this.events));
    await this.customer.open(this.app);
  }
  /** Every queued complaint is on the server exactly once, and the device has sent all. */
  async deliveredExactlyOnce() {
    await this.sync.drained();
    const counts = countByCase(await this.server.stored(STORE), this.events);
    expect(counts.size, 'complaints on the server').toBe(this.events.length);
    expect([...counts.values()].every((c) => c === 1), 'each complaint stored once').toBe(true);
    const marks = await this.sync.marks();
    for (const e of this.events) expect(marks[e.id], `mark of ${e.id}`).toBe('sent');
  }
}

function report(fault: string, complaints: number) {
  faults.report('complaints', fault, TRIALS, complaints);
}

test('network down before the send', async ({ page, context, server }) => {
  const device = new Device(page, server);
  await device.customer.open(device.app);
  for (let trial = 0; trial < TRIALS; trial++) {
    await context.setOffline(true);
    await device.customer.fileQuickly('waiting', `Offline trial ${trial}`);
    await device.sync.open();
    await expect(device.sync.problem).toContainText(device.customer.t.sync_problem.offline);
    await context.setOffline(false);
    await device.sync.drained();
    await page.getByRole('button', { name: device.customer.t.another }).click();
  }
  const stored = await server.stored(STORE);
  const texts = stored.map((e) => e.kind.complaint.description).sort();
  expect(texts).toEqual(Array.from({ length: TRIALS }, (_, i) => `Offline trial ${i}`));
  report('network down before the send', TRIALS);
});

test('connection dropped after the server committed, before the answer', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.dropAfterCommit(page);
    fault.release();
    await device.queueAndStart(25, trial);
    await device.deliveredExactlyOnce();
  }
  report('connection dropped after commit', TRIALS * 25);
});

test('the server answers 500', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.serverError(page);
    await device.queueAndStart(10, trial);
    await device.sync.open();
    await expect(device.sync.problem).toContainText(device.customer.t.sync_problem.server);
    fault.release();
    await device.deliveredExactlyOnce();
  }
  report('500', TRIALS * 10);
});

test('the server answers 429 with Retry-After, and the device waits that long', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.busy(page);
    await device.queueAndStart(10, trial);
    await device.sync.open();
    await expect(device.sync.problem).toContainText(device.customer.t.sync_problem.busy);
    fault.release();
    await device.deliveredExactlyOnce();
    faults.waitedForRetryAfter(fault);
  }
  report('429 with Retry-After', TRIALS * 10);
});

test('an answer slower than the device waits for', async ({ page, server }) => {
  const device = new Device(page, server, `?sync_timeout=${faults.SHORT_DEADLINE_MS}`);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.slow(page);
    await device.queueAndStart(10, trial);
    await device.sync.open();
    await expect(device.sync.problem).toContainText(device.customer.t.sync_problem.timeout);
    await faults.gaveUpBeforeSlowAnswer(fault);
    fault.release();
    await device.deliveredExactlyOnce();
  }
  report('answer slower than the timeout', TRIALS * 10);
});

test('a garbage answer after the server committed', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.garbageAfterCommit(page, faults.GARBAGE[trial % faults.GARBAGE.length]);
    await device.queueAndStart(10, trial);
    await device.sync.open();
    await expect(device.sync.problem).toContainText(device.customer.t.sync_problem.bad_answer);
    fault.release();
    await device.deliveredExactlyOnce();
  }
  report('garbage answer', TRIALS * 10);
});

test('the server crashes or stops in the middle of a batch and comes back', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    const fault = await faults.restartMidPush(page, server, trial);
    await device.queueAndStart(450, trial);
    await fault.restarted();
    await device.deliveredExactlyOnce();
  }
  report('server crash or stop mid-batch', TRIALS * 450);
});

test('the page is reloaded in the middle of a send', async ({ page, server }) => {
  const device = new Device(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    // Half the trials reach the server before the reload, half never do.
    const fault = await faults.holdForReload(page, trial % 2 === 0);
    await device.queueAndStart(30, trial);
    await fault.holding();
    await page.reload();
    fault.letGo();
    await device.deliveredExactlyOnce();
  }
  report('page reload mid-send', TRIALS * 30);
});

test('two tabs send the same queue at once', async ({ context, server }) => {
  for (let trial = 0; trial < TRIALS; trial++) {
    const a = new Device(await context.newPage(), server);
    const b = new Device(await context.newPage(), server);
    a.events = Array.from({ length: 300 }, (_, i) => filedEvent(STORE, `Two tabs ${trial}, ${i}`));
    b.events = a.events;
    await a.page.goto(`${server.origin}/api/v1/health`);
    await a.sync.seed(queuedEntries(a.events));
    await Promise.all([a.customer.open(a.app), b.customer.open(b.app)]);
    await Promise.all([a.deliveredExactlyOnce(), b.deliveredExactlyOnce()]);
    await a.page.close();
    await b.page.close();
  }
  report('two tabs at once', TRIALS * 300);
});

test('after a 30 s server outage, waiting complaints arrive within 10 s of its return', async ({ page, server }) => {
  // The network itself never drops, so the browser fires no "online" event: only the device's
  // own health probe can notice the server is back before its backoff (up to 5 minutes) ends.
  const device = new Device(page, server);
  await device.customer.open(device.app);
  await server.stop();
  const texts = ['Outage, complaint 1', 'Outage, complaint 2', 'Outage, complaint 3'];
  for (const text of texts) {
    await device.customer.fileQuickly('waiting', text);
    await page.getByRole('button', { name: device.customer.t.another }).click();
  }
  await page.waitForTimeout(30_000);
  await server.start();
  const back = Date.now();
  await device.sync.drained(10_000);
  const waited = Date.now() - back;
  const stored = await server.stored(STORE);
  for (const text of texts) {
    expect(stored.filter((e) => e.kind.complaint.description === text), text).toHaveLength(1);
  }
  console.log(`outage of 30 s: ${texts.length} complaints delivered ${(waited / 1000).toFixed(1)} s after the server's return`);
});
