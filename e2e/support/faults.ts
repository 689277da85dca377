// Every way a push (`POST /api/v1/events`) can go wrong, injected with Playwright routes into
// real Chromium talking to the real server: the connection dropped after the server committed,
// a 500, a 429 with Retry-After, an answer slower than the device waits for, a garbage answer,
// the server crashing or stopping mid-push, the page reloaded mid-push. Shared by the fault
// suites of the three apps (complaints, staff steps, ticket ratings), which each say what their
// device shows and check that the server holds every event exactly once.
//
// Each fault meets the first push(es) of a page; the pushes after them wait until the test calls
// `release` (after it has seen how the device shows the fault), then go through untouched.
import { Page, Route, expect } from '@playwright/test';
import { OwnServer } from './server';

/** The push address, as a Playwright route pattern (never the pull: `/stores/<s>/events`). */
export const PUSHES = '**/api/v1/events';

/** A fault on one page's pushes. */
export interface Fault {
  /** Lets the pushes after the faulty ones through. */
  release(): void;
  /** When each push reached the route (ms since the epoch), in order: how long the device
   *  waited between tries. */
  readonly sent: number[];
}

/** Routes pushes: `first` handles the first `times` of them; the later ones go through once
 *  the test calls `release`. */
export async function onFirstPushes(
  page: Page,
  times: number,
  first: (route: Route, n: number) => Promise<void>,
): Promise<Fault> {
  const sent: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(PUSHES, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const n = sent.length;
    sent.push(Date.now());
    if (n < times) return first(route, n);
    await released;
    await route.continue().catch(() => {});
  });
  return { release, sent };
}

/** The connection drops after the server stored the first push, before its answer arrives:
 *  the device must send again and take the server's "duplicate" as a receipt. */
export function dropAfterCommit(page: Page): Promise<Fault> {
  return onFirstPushes(page, 1, async (route) => {
    const answer = await route.fetch();
    expect(answer.status(), 'the server took the push').toBe(200);
    await route.abort('connectionreset');
  });
}

/** The server answers the first `times` pushes with a 500. */
export function serverError(page: Page, times = 2): Promise<Fault> {
  return onFirstPushes(page, times, (route) => route.fulfill({ status: 500, body: 'boom' }));
}

/** How long the 429 of `busy` asks the device to wait, in seconds. */
export const RETRY_AFTER_SECS = 2;

/** The server answers the first push 429 with `Retry-After`; the device must wait that long
 *  before it tries again (check with `waitedForRetryAfter`). */
export function busy(page: Page): Promise<Fault> {
  return onFirstPushes(page, 1, (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Retry-After': String(RETRY_AFTER_SECS) },
      contentType: 'application/json',
      body: `{"error":"rate_limited","retry_after":${RETRY_AFTER_SECS}}`,
    }),
  );
}

/** The device tried again only after the wait the 429 asked for (with 100 ms of slack for
 *  the two clocks involved). */
export function waitedForRetryAfter(fault: Fault) {
  expect(fault.sent.length, 'a second push after the 429').toBeGreaterThanOrEqual(2);
  expect(fault.sent[1] - fault.sent[0], 'the wait the server asked for').toBeGreaterThanOrEqual(
    RETRY_AFTER_SECS * 1_000 - 100,
  );
}

/** The deadline the suites give the device with the test-only `sync_timeout` query parameter
 *  (ms), and how late `slow` answers: well past it. */
export const SHORT_DEADLINE_MS = 1_000;
export const SLOW_ANSWER_MS = 4_000;

/** The server stores the first push but its answer comes `delay` ms later, past the device's
 *  deadline (open the app with `?sync_timeout=${SHORT_DEADLINE_MS}`). */
export function slow(page: Page, delay = SLOW_ANSWER_MS): Promise<Fault> {
  return onFirstPushes(page, 1, async (route) => {
    const answer = await route.fetch();
    await new Promise((r) => setTimeout(r, delay));
    await route.fulfill({ response: answer }).catch(() => {});
  });
}

/** The device gave up on the slow push at its deadline and tried again before the slow answer
 *  would have come. */
export async function gaveUpBeforeSlowAnswer(fault: Fault) {
  await expect
    .poll(() => fault.sent.length, { message: 'a second push before the slow answer', timeout: SLOW_ANSWER_MS - 500 })
    .toBeGreaterThanOrEqual(2);
  expect(fault.sent[1] - fault.sent[0]).toBeLessThan(SLOW_ANSWER_MS);
}

/** Answers that are not the server's: a captive portal, and two JSON bodies of the wrong
 *  shape. */
export const GARBAGE = ['<html>captive portal</html>', '{"results":"nope"}', '{"results":[{"id":42}]}'];

/** The server stores the first push, but something else answers it with `body` (200). */
export function garbageAfterCommit(page: Page, body: string): Promise<Fault> {
  return onFirstPushes(page, 1, async (route) => {
    await route.fetch();
    await route.fulfill({ status: 200, contentType: 'application/json', body });
  });
}

/** A fault that restarts the server under the first push. */
export interface Restart extends Fault {
  /** Waits until the first push came and the server is back. */
  restarted(): Promise<void>;
}

/** Stops the server while the first push is on its way or being stored, and brings it back
 *  300 ms later: a crash (SIGKILL) in even trials, a graceful stop (SIGTERM) in odd ones, each
 *  trial a few milliseconds later into the push. Released at once. */
export async function restartMidPush(page: Page, server: OwnServer, trial: number): Promise<Restart> {
  let restarted: Promise<void> | undefined;
  const fault = await onFirstPushes(page, 1, async (route) => {
    restarted = (async () => {
      await new Promise((r) => setTimeout(r, 2 + trial * 7));
      await server.stop(trial % 2 === 0 ? 'SIGKILL' : 'SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      await server.start();
    })();
    await route.continue().catch(() => {});
  });
  fault.release();
  return {
    ...fault,
    async restarted() {
      await expect.poll(() => restarted !== undefined, { message: 'a push came' }).toBe(true);
      await restarted;
    },
  };
}

/** A fault that holds the first push while the test reloads the page. */
export interface Held extends Fault {
  /** Waits until the first push is held. */
  holding(): Promise<void>;
  /** Lets the held push finish: answered (committed trials) or aborted. */
  letGo(): void;
}

/** Holds the first push; in `committed` trials the server has stored it already (the answer
 *  is lost with the reload), in the others it never reaches the server. Released at once. */
export async function holdForReload(page: Page, committed: boolean): Promise<Held> {
  let held: (() => void) | undefined;
  const fault = await onFirstPushes(page, 1, async (route) => {
    const answer = committed ? await route.fetch() : undefined;
    await new Promise<void>((r) => (held = r));
    if (answer) await route.fulfill({ response: answer }).catch(() => {});
    else await route.abort().catch(() => {});
  });
  fault.release();
  return {
    ...fault,
    async holding() {
      await expect.poll(() => held !== undefined, { message: 'a push is held' }).toBe(true);
    },
    letGo() {
      held!();
    },
  };
}

/** Cuts the page off the server's API (pushes, pulls, sign-in), as a dead network would. */
export async function offline(page: Page) {
  await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
}

/** Reconnects a page cut off by `offline` and tells it so, as the browser does when the
 *  network returns. */
export async function backOnline(page: Page) {
  await page.unroute('**/api/v1/**');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

/** Prints what a fault test went through. */
export function report(what: string, fault: string, trials: number, items: number) {
  console.log(`fault "${fault}": ${trials} trials, ${items} ${what}, each on the server exactly once`);
}

/** Fills the page origin's localStorage until it refuses more (big chunks, then small ones). */
export async function fillStorage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    let i = 0;
    try { for (;;) localStorage.setItem(`filler-${i++}`, chunk); } catch {}
    const small = 'y'.repeat(256);
    let j = 0;
    try { for (;;) localStorage.setItem(`small-${j++}`, small); } catch {}
  });
}

/** Makes room again after `fillStorage` (the big chunks go). */
export async function freeStorage(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k);
  });
}
