// Fault injection for staff steps: Ana takes a case's steps (acknowledge, note, resolve) on the
// staff tablet where the network is dead, then the network returns and the tablet's pushes
// meet every way a push can go wrong (see support/faults.ts), each repeated. The tablet must
// get its steps through by itself, without anyone touching it, well before its 30 s refresh;
// after every trial each step is on the server exactly once (counted by kind: a retry that
// invented a new event would show) and the tablet says every step was sent and none refused.
// Each test has its own server with the demo store (Ana 246810: staff, limit 25.00).
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { StaffTablet } from '../pages/staff-tablet';
import * as faults from '../support/faults';
import { OwnServer, filedEvent } from '../support/server';
import { ticketCode } from '../support/tickets';

const TRIALS = 2;
const STEPS = ['acknowledged', 'noted', 'resolved'];
test.describe.configure({ timeout: 60_000 });

/** The shared tablet of one test, and the case of the current trial. */
class Tablet {
  readonly staff: StaffTablet;
  filed: any;
  constructor(readonly page: Page, readonly server: OwnServer, readonly query = '') {
    this.staff = new StaffTablet(page);
  }

  /** Opens the staff app and Ana signs in (online the first time on a tablet, from the kept
   *  PIN hash after that when offline). */
  async unlock() {
    await this.staff.open(this.server.origin, 'demo', this.query);
    await this.staff.unlock('ana', '246810', 'Ana');
  }

  /** A customer files a new complaint, and Ana opens it on the tablet. */
  async newCase(trial: number) {
    this.filed = filedEvent('demo', `Trial ${trial}: waited 30 minutes at checkout`);
    await this.server.push([this.filed]);
    await this.staff.toQueue();
    await this.staff.openCase(ticketCode(this.filed.case));
  }

  /** Ana takes the case's three steps while the tablet cannot reach the server; it keeps them
   *  and says they wait to be sent. */
  async stepsOffline(trial: number) {
    await faults.offline(this.page);
    await this.staff.acknowledge();
    await this.staff.note(`Trial ${trial}: one till open at the peak.`);
    await this.staff.resolve('voucher', '10', 'A free coffee');
    await this.staff.expectStatus('resolved');
    await this.staff.expectWaiting(STEPS.length);
  }

  /** The network returns: the tablet is told, as the browser does, and starts sending. */
  async backOnline() {
    await faults.backOnline(this.page);
  }

  /** The tablet says all was sent, by itself; the server holds each step of the case once. */
  async deliveredExactlyOnce() {
    await this.staff.sentByItself();
    const kinds = (await this.server.stored('demo')).filter((e) => e.case === this.filed.case).map((e) => e.kind.type);
    expect(kinds.sort(), 'each step on the server once').toEqual(['filed', ...STEPS].sort());
  }
}

/** A tablet with Ana signed in, for trials. */
async function signedIn(page: Page, server: OwnServer, query = ''): Promise<Tablet> {
  server.seedDemo();
  const tablet = new Tablet(page, server, query);
  await tablet.unlock();
  return tablet;
}

function report(fault: string) {
  faults.report('staff steps', fault, TRIALS, TRIALS * STEPS.length);
}

test('connection dropped after the server committed, before the answer', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.dropAfterCommit(page);
    fault.release();
    await tablet.backOnline();
    await tablet.deliveredExactlyOnce();
  }
  report('connection dropped after commit');
});

test('the server answers 500, and the tablet tries again by itself', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.serverError(page, 2);
    await tablet.backOnline();
    // The second 500 answers a try nobody asked for: the tablet's own, well before 30 s.
    await expect.poll(() => fault.sent.length, { message: 'a second try by itself', timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await tablet.staff.expectWaiting(STEPS.length);
    fault.release();
    await tablet.deliveredExactlyOnce();
  }
  report('500');
});

test('the server answers 429 with Retry-After, and the tablet waits that long', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.busy(page);
    await tablet.backOnline();
    await expect.poll(() => fault.sent.length).toBeGreaterThanOrEqual(1);
    await tablet.staff.expectWaiting(STEPS.length);
    fault.release();
    await tablet.deliveredExactlyOnce();
    faults.waitedForRetryAfter(fault);
  }
  report('429 with Retry-After');
});

test('an answer slower than the tablet waits for', async ({ page, server }) => {
  const tablet = await signedIn(page, server, `?sync_timeout=${faults.SHORT_DEADLINE_MS}`);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.slow(page);
    await tablet.backOnline();
    await faults.gaveUpBeforeSlowAnswer(fault);
    await tablet.staff.expectWaiting(STEPS.length);
    fault.release();
    await tablet.deliveredExactlyOnce();
  }
  report('answer slower than the timeout');
});

test('a garbage answer after the server committed', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.garbageAfterCommit(page, faults.GARBAGE[trial % faults.GARBAGE.length]);
    await tablet.backOnline();
    await expect.poll(() => fault.sent.length, { message: 'a second try by itself', timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await tablet.staff.expectWaiting(STEPS.length);
    fault.release();
    await tablet.deliveredExactlyOnce();
  }
  report('garbage answer');
});

test('the server crashes or stops in the middle of a push and comes back', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    const fault = await faults.restartMidPush(page, server, trial);
    await tablet.backOnline();
    await fault.restarted();
    await tablet.deliveredExactlyOnce();
  }
  report('server crash or stop mid-push');
});

test('the tablet is reloaded in the middle of a push, and Ana signs in again', async ({ page, server }) => {
  const tablet = await signedIn(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await tablet.newCase(trial);
    await tablet.stepsOffline(trial);
    await page.unroute(faults.PUSHES);
    // Half the trials reach the server before the reload, half never do.
    const fault = await faults.holdForReload(page, trial % 2 === 0);
    await tablet.backOnline();
    await fault.holding();
    await page.reload();
    fault.letGo();
    await tablet.staff.unlock('ana', '246810', 'Ana');
    await tablet.deliveredExactlyOnce();
  }
  report('reload mid-push');
});

test('two tabs of the tablet send the same steps at once', async ({ context, server }) => {
  server.seedDemo();
  for (let trial = 0; trial < TRIALS; trial++) {
    const a = new Tablet(await context.newPage(), server);
    await a.unlock();
    await a.newCase(trial);
    await a.stepsOffline(trial);
    // A second tab, opened while the network is still down, finds the same waiting steps.
    const b = new Tablet(await context.newPage(), server);
    b.filed = a.filed;
    await faults.offline(b.page);
    await b.unlock();
    await b.staff.expectWaiting(STEPS.length);
    await Promise.all([a.backOnline(), b.backOnline()]);
    await Promise.all([a.deliveredExactlyOnce(), b.deliveredExactlyOnce()]);
    await a.page.close();
    await b.page.close();
  }
  report('two tabs at once');
});
