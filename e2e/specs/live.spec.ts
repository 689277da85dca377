// The live queue: a complaint filed on a kiosk shows on the store's online tablet without a
// tap (by the store's live feed, well before the 30 s poll), and a locked tablet keeps up too,
// showing counts only (and the count in its title), with a chime where the store wants one.
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { CustomerPage } from '../pages/customer-page';
import { StaffTablet } from '../pages/staff-tablet';
import { fill } from '../support/locales';
import { filedEvent } from '../support/server';

test('a complaint filed on a kiosk appears on an online tablet without a tap, and on a locked one as a count', async ({
  page,
  browser,
  server,
}) => {
  server.seedDemo();
  // The store wants a chime; the tablet's chimes are counted where the page makes its sound.
  server.admin(['add-store', '--store', 'demo', '--name', 'Demo store', '--chime', 'on']);
  await page.addInitScript(() => {
    const Real = window.AudioContext;
    (window as any).chimes = 0;
    window.AudioContext = class extends Real {
      constructor(...args: any[]) {
        super(...args);
        (window as any).chimes += 1;
      }
    } as any;
  });
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await expect(page.locator('#srk-live')).toHaveText(tablet.t.live);
  await expect(page.locator('#srk-queue-empty')).toBeVisible();
  await expect(page).toHaveTitle(fill(tablet.t.title, { store: 'Demo store' }));

  // Another device: the store's kiosk.
  const kioskContext = await browser.newContext();
  const kiosk = new CustomerPage(await kioskContext.newPage());
  await kiosk.open(`${server.origin}/k/demo/front-desk`);
  const first = await kiosk.fileQuickly('service', 'Nobody answered at the front desk');
  const filedAt = Date.now();
  // No tap on the tablet, and far less than the 30 s poll.
  await expect(page.getByRole('button', { name: fill(tablet.t.open_case, { ticket: first }) })).toBeVisible({
    timeout: 3_000,
  });
  console.log(`filing acknowledged on the kiosk -> row on the tablet: ${Date.now() - filedAt} ms`);
  await expect(page).toHaveTitle(fill(tablet.t.title_waiting, { count: 1, store: 'Demo store' }));
  await expect.poll(() => page.evaluate(() => (window as any).chimes)).toBe(1);

  // Locked, the tablet keeps up and shows counts only.
  await tablet.lock();
  await expect(page.locator('#srk-waiting-new')).toHaveText('1');
  await kiosk.page.getByRole('button', { name: kiosk.t.done, exact: true }).click();
  await kiosk.fileQuickly('waiting', 'Queue at checkout two');
  await expect(page.locator('#srk-waiting-new')).toHaveText('2', { timeout: 3_000 });
  await expect(page).toHaveTitle(fill(tablet.t.title_waiting, { count: 2, store: 'Demo store' }));
  await expect.poll(() => page.evaluate(() => (window as any).chimes)).toBe(2);
  await expect(page.locator('#srk-waiting-overdue')).toHaveText('0');
  await expect(page.locator('#srk-waiting-next')).toContainText(tablet.t.waiting_next.split('{{')[0].trim());
  await expect(page.locator('body')).not.toContainText('Nobody answered');
  await expect(page.locator('body')).not.toContainText(first);
  await expectNoAxeViolations(page, 'locked tablet with counts');
  await kioskContext.close();
});

test.describe('in Swedish', () => {
  test.use({ locale: 'sv-SE' });

  test('a tablet whose feed is refused says nothing of being live and still pulls by its poll', async ({
    page,
    server,
  }) => {
    server.seedDemo();
    // The feed refuses (as over its budget): the tablet falls back to its poll.
    await page.route('**/api/v1/stores/demo/stream', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '30' }, body: '{"error":"rate_limited"}' }),
    );
    const tablet = new StaffTablet(page, 'sv');
    // A short poll for the test (the product's is 30 s).
    await tablet.open(server.origin, 'demo', '?staff_poll=2000');
    await expect(page).toHaveTitle(fill(tablet.t.title, { store: 'demo' }));
    await tablet.unlock('ana', '246810', 'Ana');
    await expect(page).toHaveTitle(fill(tablet.t.title, { store: 'Demo store' }));
    await expect(page.locator('#srk-live')).toHaveCount(0);
    await tablet.lock();
    await expect(page.getByRole('heading', { name: tablet.t.waiting_title })).toBeVisible();
    await expect(page.locator('#srk-waiting-next')).toHaveText(tablet.t.waiting_none);
    await server.push([filedEvent('demo', 'Fitting room light broken')]);
    await expect(page.locator('#srk-waiting-new')).toHaveText('1', { timeout: 8_000 });
    await expect(page).toHaveTitle(fill(tablet.t.title_waiting, { count: 1, store: 'Demo store' }));
    await expectNoAxeViolations(page, 'locked tablet in Swedish');
  });
});
