// The acknowledgement promises the store's own acknowledgement target (the demo store's is 5
// minutes; the default is 10), learnt from the server while online and kept on the device for
// when it is not; a device that never learnt it promises the default.
import { expect, test } from '../support/fixtures';
import type { Page } from '@playwright/test';
import { CustomerPage } from '../pages/customer-page';
import { fill } from '../support/locales';

/** "… respond by HH:MM" as the page writes it, `minutes` after the filing it holds. */
function promise(customer: CustomerPage, page: Page, minutes: number) {
  return page
    .evaluate((minutes) => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('srk1:ev:'))!;
      const at = JSON.parse(localStorage.getItem(key)!).event.at;
      const tag = navigator.languages.find((t) => t.split('-')[0].toLowerCase() === 'en') ?? 'en';
      return new Intl.DateTimeFormat([tag], { hour: '2-digit', minute: '2-digit' }).format(new Date(at + minutes * 60_000));
    }, minutes)
    .then((time) => fill(customer.t.next_respond, { time }));
}

test("the acknowledgement promises the store's own target, learnt online and kept offline", async ({ page, server }) => {
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/c/demo/checkout-2`);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('srk1:promise:demo'))).toBe('5');
  // The server goes away; the page keeps what it learnt.
  await server.stop();
  await customer.fileQuickly('billing', 'Charged twice for one coffee');
  await expect(page.locator('#srk-ticket')).toBeVisible();
  await expect(page.getByText(await promise(customer, page, 5))).toBeVisible();
  await expect(page.getByText(await promise(customer, page, 10))).toHaveCount(0);
});

test('a device that never learnt the target promises the default', async ({ page, server }) => {
  await page.route('**/promise', (route) => route.abort());
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/c/demo/checkout-2`);
  await customer.fileQuickly('waiting', 'The queue did not move for twenty minutes');
  await expect(page.locator('#srk-ticket')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('srk1:promise:demo'))).toBeNull();
  await expect(page.getByText(await promise(customer, page, 10))).toBeVisible();
});
