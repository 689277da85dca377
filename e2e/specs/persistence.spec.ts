// Complaints are kept on the device and survive reloads, including corrupted neighbours.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { TicketPage } from '../pages/ticket-page';
import { fillStorage, freeStorage } from '../support/faults';

test('on a phone, a reload still lists the complaint with its ticket code, which opens its ticket page', async ({ page }) => {
  const customer = new CustomerPage(page);
  await customer.open('/c/demo/checkout-2');
  const ticket = await customer.fileQuickly();
  await page.reload();
  await expect(page.locator('#srk-mine')).toContainText(ticket);
  await expect(page.locator('#srk-mine')).toContainText(customer.t.category.waiting);
  expect(await customer.storedEventCount()).toBe(1);
  // Its code opens the case's own ticket page, the secret in the fragment.
  const link = page.locator('#srk-mine a', { hasText: ticket });
  expect(await link.getAttribute('href')).toMatch(/^\/t\/#[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}$/);
  await link.click();
  const ticketPage = new TicketPage(page);
  await expect(page.getByRole('heading', { level: 1, name: ticketPage.t.title })).toBeVisible();
  await expect(page.locator('#srk-tk-code')).toHaveText(ticket);
});

test('a new browser page of the same device still holds the complaint', async ({ context }) => {
  const first = new CustomerPage(await context.newPage());
  await first.open();
  const ticket = await first.fileQuickly('billing', 'Charged twice');
  const second = new CustomerPage(await context.newPage());
  await second.open();
  await expect(second.page.locator('#srk-mine')).toContainText(ticket);
});

test('a corrupted or foreign storage entry is skipped and reported, and the kiosk keeps working', async ({ page }) => {
  const customer = new CustomerPage(page);
  await customer.open('/c/demo/checkout-2');
  await customer.fileQuickly();
  await page.evaluate(() => {
    localStorage.setItem('srk1:ev:broken', '{"v":1,"event":{"id":');
    localStorage.setItem('srk1:ev:00000000-0000-4000-8000-000000000001', '[1,2,3]');
    localStorage.setItem('another-app', 'hello');
  });
  await page.reload();
  await page.locator('#srk-device summary').click();
  await expect(page.locator('#srk-device-skipped')).toContainText('2');
  await expect(page.locator('#srk-device-stored')).toContainText('1');
  await customer.fileQuickly('product', 'Still works after corruption');
  expect(await page.evaluate(() => localStorage.getItem('srk1:ev:broken'))).toBe('{"v":1,"event":{"id":');
  expect(await page.evaluate(() => localStorage.getItem('another-app'))).toBe('hello');
});

test('full storage keeps the complaint on screen with a clear message, and saves it once there is room', async ({ page }) => {
  // The store's server is out of reach at first, so the tablet alone must keep the complaint.
  await page.route('**/api/v1/events', (route) => route.abort());
  const customer = new CustomerPage(page);
  await customer.open('/k/demo/front-desk');
  await fillStorage(page);
  await customer.fileQuickly('waiting', 'Nobody at the desk');
  await expect(page.locator('#srk-storage-problem')).toHaveText(customer.t.storage_full);
  expect(await customer.storedEventCount()).toBe(0);
  await freeStorage(page);
  // The retry runs every 10 s; the message goes once the complaint is saved.
  await expect(page.locator('#srk-storage-problem')).toHaveCount(0, { timeout: 15_000 });
  expect(await customer.storedEventCount()).toBe(1);
  // Once the server has it, the shared tablet keeps nothing of it.
  await page.unrouteAll();
  await page.locator('#srk-device summary').click();
  await page.getByRole('button', { name: customer.t.sync_now }).click();
  await expect.poll(() => customer.storedEventCount()).toBe(0);
});

test('with storage blocked by the browser, the kiosk still acknowledges and says where the complaint is', async ({ page }) => {
  await page.route('**/api/v1/events', (route) => route.abort());
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('storage is blocked', 'SecurityError');
      },
    });
  });
  const customer = new CustomerPage(page);
  await customer.open('/k/demo/front-desk');
  const ticket = await customer.fileQuickly('billing', 'Charged twice');
  expect(ticket).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
  await expect(page.locator('#srk-storage-problem')).toHaveText(customer.t.storage_unavailable);
  await page.locator('#srk-device summary').click();
  await expect(page.locator('#srk-device-unsaved')).toContainText('1');
  // Held in memory only, it is still sent; once the server has it, nothing is at risk.
  await page.unrouteAll();
  await page.getByRole('button', { name: customer.t.sync_now }).click();
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_sent);
  await expect(page.locator('#srk-storage-problem')).toHaveCount(0);
  await expect(page.locator('#srk-device-unsaved')).toContainText('0');
});
