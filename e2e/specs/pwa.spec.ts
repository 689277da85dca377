// The installed, offline app: the service worker's precache, the update offer, persistent
// storage, and Chromium's installability checks. "The network gone" here means the server
// stopped as well as the browser offline, so nothing can come from anywhere but the cache.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { OwnServer } from '../support/server';
import { StaffTablet } from '../pages/staff-tablet';
import { staffStrings } from '../support/locales';
import { fillStorage, freeStorage } from '../support/faults';

/** A port for a server of a test's own, below the fixtures' range (E2E_OWN_PORT). */
function ownPort(worker: number, k: number): number {
  return Number(process.env.E2E_OWN_PORT ?? 18200) - 100 + worker * 4 + k;
}

/** Waits until the service worker controls `page` (its first install finished). */
async function controlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
}

/** The service worker's cache names. */
async function cacheNames(page: Page): Promise<string[]> {
  return page.evaluate(() => caches.keys());
}

/** Asks the browser to look for a new version now (as pwa.js does every hour), and waits until
 * the page knows one is waiting. Asked again while none is seen: a check the browser was
 * already making (on navigation) absorbs an `update()` made during it, and that check may
 * have read the worker before the deploy. */
async function newVersionSeen(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const pwa = (window as any).srkPwa;
          const reg = pwa.reg;
          let error = null;
          if (!pwa.update && !reg.installing) await reg.update().catch((e: any) => (error = String(e)));
          return JSON.stringify({
            update: pwa.update,
            waiting: reg.waiting?.state ?? null,
            installing: reg.installing?.state ?? null,
            controller: !!navigator.serviceWorker.controller,
            error,
            caches: await caches.keys(),
            served: (await (await fetch('/sw.js', { cache: 'no-store' })).text()).slice(80, 140),
          });
        }),
      { timeout: 20_000, intervals: [500, 1000, 2000] },
    )
    .toContain('"update":true');
}

/** A new deploy: the server's copy of the app gets a changed service worker. */
function deployNewVersion(dist: string, file = 'sw.js') {
  const sw = path.join(dist, file);
  const text = fs.readFileSync(sw, 'utf8');
  const next = text.replace(/const VERSION = "([^"]+)"/, `const VERSION = "$1-${Date.now()}"`);
  expect(next).not.toBe(text);
  fs.writeFileSync(sw, next);
  // A real deploy's files are newer by far more than a second; here the copy and the change may
  // fall in the same second, and the browser revalidates the worker with If-Modified-Since
  // (whole seconds), so move the change's time on.
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(sw, later, later);
}

test('after one online visit the kiosk opens with the network gone: reload, new tab, other languages', async ({ page, context, server }) => {
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/k/demo/front-desk`);
  await controlled(page);
  expect((await cacheNames(page)).filter((n) => n.startsWith('srk-customer-'))).toHaveLength(1);
  // Everything the build made is in the cache, the other languages included.
  await page.waitForFunction(async () => {
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('srk-customer-'))!);
    return (await cache.keys()).some((r) => r.url.endsWith('/locales/sv.json'));
  });

  await server.stop();
  await context.setOffline(true);
  await page.reload();
  await expect(customer.title).toHaveText(customer.t.form_title);
  // The kiosk's acknowledgement shows the ticket's QR offline too: the QR page is cached.
  await customer.fileQuickly('product', 'The scanner at the till is broken');
  await expect(page.frameLocator('#srk-ticket-qr').locator('svg path')).toHaveCount(1);
  await expect(page.locator('#srk-ticket-qr')).toBeVisible();

  const tab = await context.newPage();
  const other = new CustomerPage(tab);
  await other.open(`${server.origin}/c/demo/checkout-2`);
  // A language never shown before comes from the cache.
  await tab.locator('#srk-lang').selectOption('sv');
  const swedish = new CustomerPage(tab, 'sv');
  await expect(swedish.title).toHaveText(swedish.t.form_title);
  // And a complaint is still taken and acknowledged.
  const ticket = await swedish.fileQuickly('waiting', 'The queue did not move for twenty minutes');
  expect(ticket).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
  // The ticket page and the staff app's shell are not needed offline for this, but the
  // ticket page is precached too: it opens from the cache.
  await tab.goto(`${server.origin}/t/#00000000-0000-0000-0000-000000000000.x`);
  await expect(tab.locator('h1')).toBeVisible();
  await context.setOffline(false);
});

test('after a browser restart the app opens with the network gone', async ({ playwright, server }, info) => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-profile-'));
  const launch = () => playwright.chromium.launchPersistentContext(profile, { ...info.project.use.launchOptions });
  try {
    let browser: BrowserContext = await launch();
    let page = await browser.newPage();
    const customer = new CustomerPage(page);
    await customer.open(`${server.origin}/k/demo/front-desk`);
    await controlled(page);
    await browser.close();

    await server.stop();
    browser = await launch();
    await browser.setOffline(true);
    page = await browser.newPage();
    const again = new CustomerPage(page);
    await again.open(`${server.origin}/k/demo/front-desk`);
    await expect(again.title).toHaveText(again.t.form_title);
    await browser.close();
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('a new version is offered only when no form is being filled, and kiosks take it at their reset', async ({ page, context }, info) => {
  const server = new OwnServer(ownPort(info.workerIndex, 1), `pwa-update-${info.workerIndex}`, ['--rate-limit', '0']);
  const dist = server.ownDist();
  await server.start();
  try {
    // A phone: the offer waits while the customer writes.
    const customer = new CustomerPage(page);
    await customer.open(`${server.origin}/c/demo/checkout-2`);
    await controlled(page);
    const before = await cacheNames(page);
    await customer.describe('Half a sentence');
    deployNewVersion(dist);
    await newVersionSeen(page);
    const banner = page.locator('#srk-update');
    await expect(banner).toBeHidden();
    await expect(customer.description).toHaveValue('Half a sentence');
    // With the form back to empty, the offer shows; taking it reloads into the new version.
    await customer.describe('');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(customer.t.update_ready);
    await banner.getByRole('button', { name: customer.t.update_now }).click();
    await page.waitForFunction((old) => caches.keys().then((k) => k.some((n) => !old.includes(n))), before);
    await expect(customer.title).toHaveText(customer.t.form_title);
    await expect(page.locator('#srk-update')).toHaveCount(0);

    // A kiosk: hidden on the acknowledgement; "Done" clears the screen and the new version
    // takes over in the same moment.
    const kiosk = await context.newPage();
    const desk = new CustomerPage(kiosk);
    await desk.open(`${server.origin}/k/demo/front-desk`);
    await controlled(kiosk);
    await desk.fileQuickly('waiting', 'Nobody at the desk');
    const seen = await cacheNames(kiosk);
    deployNewVersion(dist);
    await newVersionSeen(kiosk);
    await expect(kiosk.locator('#srk-update')).toBeHidden();
    await kiosk.getByRole('button', { name: desk.t.done, exact: true }).click();
    await kiosk.waitForFunction((old) => caches.keys().then((k) => k.some((n) => !old.includes(n))), seen);
    await expect(desk.title).toHaveText(desk.t.form_title);
    // The old version's cache is gone. (The kiosk may still be reloading into the new version:
    // a read cut off by that navigation is tried again.)
    await expect
      .poll(async () => {
        const names = await cacheNames(kiosk).catch(() => null);
        return names === null ? -1 : names.filter((n) => n.startsWith('srk-customer-')).length;
      })
      .toBe(1);
  } finally {
    await server.stop();
  }
});

test('with storage full, the server out of reach and an update waiting, a complaint survives "Done" and arrives', async ({
  page,
}, info) => {
  const server = new OwnServer(ownPort(info.workerIndex, 3), `pwa-full-${info.workerIndex}`, ['--rate-limit', '0']);
  const dist = server.ownDist();
  await server.start();
  try {
    const kiosk = new CustomerPage(page);
    await kiosk.open(`${server.origin}/k/demo/front-desk`);
    await controlled(page);
    await page.route('**/api/v1/events', (route) => route.abort());
    await fillStorage(page);
    await kiosk.fileQuickly('waiting', 'Held only in memory');
    await expect(page.locator('#srk-storage-problem')).toHaveText(kiosk.t.storage_full);
    deployNewVersion(dist);
    await newVersionSeen(page);
    // "Done" clears the screen, but the page must not reload into the new version: the
    // complaint exists only in this page's memory. No offer either.
    await page.evaluate(() => ((window as any).__samePage = true));
    await page.getByRole('button', { name: kiosk.t.done, exact: true }).click();
    await expect(kiosk.title).toHaveText(kiosk.t.form_title);
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => (window as any).__samePage === true)).toBe(true);
    await expect(page.locator('#srk-update')).toHaveCount(0);
    // Room again and the server back: the complaint is kept, then sent, exactly once.
    await freeStorage(page);
    await expect(page.locator('#srk-storage-problem')).toHaveCount(0, { timeout: 15_000 });
    await page.unrouteAll();
    await page.locator('#srk-device summary').click();
    await page.getByRole('button', { name: kiosk.t.sync_now }).click();
    await expect.poll(async () => (await server.stored('demo')).filter((e) => e.kind.complaint.description === 'Held only in memory').length).toBe(1);
  } finally {
    await server.stop();
  }
});

test('once another tab has taken an update, this tab\'s "Update now" still brings it the new version', async ({
  page,
  context,
}, info) => {
  const server = new OwnServer(ownPort(info.workerIndex, 0), `pwa-tabs-${info.workerIndex}`, ['--rate-limit', '0']);
  const dist = server.ownDist();
  await server.start();
  try {
    const first = new CustomerPage(page);
    await first.open(`${server.origin}/c/demo/checkout-2`);
    await controlled(page);
    const other = await context.newPage();
    const second = new CustomerPage(other);
    await second.open(`${server.origin}/c/demo/checkout-2`);
    await controlled(other);
    deployNewVersion(dist);
    await newVersionSeen(page);
    await newVersionSeen(other);
    // The first tab takes the update.
    await page.locator('#srk-update').getByRole('button', { name: first.t.update_now }).click();
    await expect(first.title).toHaveText(first.t.form_title);
    await expect(page.locator('#srk-update')).toHaveCount(0);
    // The second tab, still on the old code, is still offered it, and taking it reloads it.
    await other.evaluate(() => ((window as any).__oldCode = true));
    const banner = other.locator('#srk-update');
    await expect(banner).toBeVisible();
    await banner.getByRole('button', { name: second.t.update_now }).click();
    await expect.poll(() => other.evaluate(() => (window as any).__oldCode === true)).toBe(false);
    await expect(second.title).toHaveText(second.t.form_title);
    await expect(other.locator('#srk-update')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});

test('the staff workspace offers updates on the queue, and says when storage is not kept', async ({ page }, info) => {
  const server = new OwnServer(ownPort(info.workerIndex, 2), `pwa-staff-${info.workerIndex}`, ['--rate-limit', '0']);
  const dist = server.ownDist();
  server.seedDemo();
  await server.start();
  try {
    const t = staffStrings('en');
    const tablet = new StaffTablet(page);
    await tablet.open(server.origin);
    await page.waitForFunction(() => (window as any).srkPwa.persisted !== null);
    // Headless Chromium does not grant persistent storage to a site without engagement: the
    // workspace says what that means.
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await expect(page.locator('#srk-storage-refused')).toHaveCount(persisted ? 0 : 1);
    if (!persisted) {
      // A short line first; the explanation opens from it.
      const notice = page.locator('.srk-notice details');
      await expect(notice.locator('summary')).toHaveText(t.storage_refused_title);
      await expect(page.locator('#srk-storage-refused')).toBeHidden();
      await notice.locator('summary').click();
      await expect(page.locator('#srk-storage-refused')).toHaveText(t.storage_refused);
    }
    await controlled(page);
    await tablet.unlock('ana', '246810', 'Ana');
    deployNewVersion(dist, 'staff/sw.js');
    await newVersionSeen(page);
    await expect(page.locator('#srk-update')).toContainText(t.update_ready);
  } finally {
    await server.stop();
  }
});

test('a tablet that is kiosk and staff tablet both is offered no update that does not exist', async ({
  page,
  context,
  server,
}) => {
  const kiosk = new CustomerPage(page);
  await kiosk.open(`${server.origin}/k/demo/front-desk`);
  await controlled(page);
  const staffPage = await context.newPage();
  const tablet = new StaffTablet(staffPage);
  await tablet.open(server.origin);
  // The staff app's own worker installs beside the kiosk's: a first install, not a new version.
  await staffPage.waitForFunction(() => (window as any).srkPwa.reg?.active != null, null, { timeout: 20_000 });
  await staffPage.waitForTimeout(1_000);
  expect(await staffPage.evaluate(() => (window as any).srkPwa.update)).toBe(false);
  await expect(staffPage.locator('#srk-update')).toHaveCount(0);
});

test('the customer page and the staff app pass Chromium installability checks', async ({ playwright, server }, info) => {
  server.seedDemo();
  // Not a Playwright context of its own: those are incognito, where nothing installs.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-install-'));
  const browser = await playwright.chromium.launchPersistentContext(profile, { ...info.project.use.launchOptions });
  try {
    for (const [address, start] of [
      ['/k/demo/front-desk', '/k/demo/front-desk'],
      ['/staff/demo', '/staff/demo'],
    ]) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}${address}`);
      await controlled(page);
      const cdp = await browser.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors, address).toEqual([]);
      const manifest: any = await cdp.send('Page.getAppManifest');
      expect(manifest.errors, address).toEqual([]);
      // Installed from here, the app opens here (this kiosk's store and touchpoint).
      expect(manifest.url, address).toContain('?start=');
      expect(JSON.parse(manifest.data).start_url).toBe(start);
      await cdp.detach();
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  // The manifest never starts outside its scope.
  const r = await fetch(`${server.origin}/staff/manifest.webmanifest?start=${encodeURIComponent('/k/demo/x')}`);
  expect((await r.json()).start_url).toBe('/staff/');
});
