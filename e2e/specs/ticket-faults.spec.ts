// Fault injection for ticket ratings: a customer rates the fix on their ticket page and the
// rating's push meets every way a push can go wrong (see support/faults.ts), each repeated. The
// page must get the rating through by itself, without the customer touching it, well before
// its 30 s timer; after every trial the server holds the rating exactly once, the page says it
// reached the store and its timeline shows it once. Each test has its own server with the demo
// store; each trial its own case, resolved by Ana.
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { Stars, TicketPage } from '../pages/ticket-page';
import * as faults from '../support/faults';
import { OwnServer } from '../support/server';
import { Case, fileCase, ratedOnServer } from '../support/tickets';

const TRIALS = 3;
const STARS: [Stars, number][] = [
  ['four', 4],
  ['two', 2],
  ['five', 5],
];
test.describe.configure({ timeout: 60_000 });
test.use({ locale: 'en-GB' });

/** The customer's phone, and the case and rating of the current trial. */
class Phone {
  readonly ticket: TicketPage;
  case!: Case;
  rating!: { stars: number; comment: string };
  constructor(readonly page: Page, readonly server: OwnServer, readonly query = '') {
    this.ticket = new TicketPage(page);
  }

  /** The page's address for the case (with the test's query, before the fragment). */
  get link(): string {
    return this.case.link.replace('/t/#', `/t/${this.query}#`);
  }

  /** A new resolved case, its ticket page open on the phone. */
  async newCase(trial: number) {
    this.case = await fileCase(this.server, { seed: trial === 0 });
    await this.ticket.open(this.link);
  }

  /** The customer rates the fix. */
  async rate(trial: number) {
    const [stars, n] = STARS[trial % STARS.length];
    this.rating = { stars: n, comment: `Trial ${trial}: sorted quickly` };
    await this.ticket.rate(stars, this.rating.comment);
  }

  /** The page says the rating reached the store, by itself; the server holds it once and the
   *  page's timeline shows it once. */
  async deliveredExactlyOnce() {
    await this.ticket.sentByItself();
    const rated = await ratedOnServer(this.server, this.case);
    expect(rated, 'the rating on the server once').toHaveLength(1);
    expect(rated[0].kind).toEqual({ type: 'rated', ...this.rating });
    await expect(this.ticket.timeline).toHaveCount(4);
  }
}

function report(fault: string) {
  faults.report('ratings', fault, TRIALS, TRIALS);
}

test('connection dropped after the server committed, before the answer', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.dropAfterCommit(page);
    fault.release();
    await phone.rate(trial);
    await phone.deliveredExactlyOnce();
  }
  report('connection dropped after commit');
});

test('the server answers 500, and the page tries again by itself', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.serverError(page, 2);
    await phone.rate(trial);
    await expect.poll(() => fault.sent.length, { message: 'a second try by itself', timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await phone.ticket.expectWaiting();
    fault.release();
    await phone.deliveredExactlyOnce();
  }
  report('500');
});

test('the server answers 429 with Retry-After, and the page waits that long', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.busy(page);
    await phone.rate(trial);
    await expect.poll(() => fault.sent.length).toBeGreaterThanOrEqual(1);
    await phone.ticket.expectWaiting();
    fault.release();
    await phone.deliveredExactlyOnce();
    faults.waitedForRetryAfter(fault);
  }
  report('429 with Retry-After');
});

test('an answer slower than the page waits for', async ({ page, server }) => {
  const phone = new Phone(page, server, `?sync_timeout=${faults.SHORT_DEADLINE_MS}`);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.slow(page);
    await phone.rate(trial);
    await faults.gaveUpBeforeSlowAnswer(fault);
    await phone.ticket.expectWaiting();
    fault.release();
    await phone.deliveredExactlyOnce();
  }
  report('answer slower than the timeout');
});

test('a garbage answer after the server committed', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.garbageAfterCommit(page, faults.GARBAGE[trial % faults.GARBAGE.length]);
    await phone.rate(trial);
    await expect.poll(() => fault.sent.length, { message: 'a second try by itself', timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await phone.ticket.expectWaiting();
    fault.release();
    await phone.deliveredExactlyOnce();
  }
  report('garbage answer');
});

test('the server crashes or stops in the middle of the push and comes back', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    const fault = await faults.restartMidPush(page, server, trial);
    await phone.rate(trial);
    await fault.restarted();
    await phone.deliveredExactlyOnce();
  }
  report('server crash or stop mid-push');
});

test('the page is reloaded in the middle of the push', async ({ page, server }) => {
  const phone = new Phone(page, server);
  for (let trial = 0; trial < TRIALS; trial++) {
    await page.unrouteAll();
    await phone.newCase(trial);
    // Half the trials reach the server before the reload, half never do.
    const fault = await faults.holdForReload(page, trial % 2 === 0);
    await phone.rate(trial);
    await fault.holding();
    await page.reload();
    fault.letGo();
    await phone.deliveredExactlyOnce();
  }
  report('reload mid-push');
});

test('two tabs of the ticket page send the same rating at once', async ({ context, server }) => {
  for (let trial = 0; trial < TRIALS; trial++) {
    const a = new Phone(await context.newPage(), server);
    await a.newCase(trial);
    await faults.offline(a.page);
    await a.rate(trial);
    await a.ticket.expectWaiting();
    // A second tab opens the same link as the network returns to the first: both send.
    const b = new Phone(await context.newPage(), server);
    b.case = a.case;
    b.rating = a.rating;
    await Promise.all([b.ticket.open(b.link), faults.backOnline(a.page)]);
    await Promise.all([a.deliveredExactlyOnce(), b.deliveredExactlyOnce()]);
    await a.page.close();
    await b.page.close();
  }
  report('two tabs at once');
});
