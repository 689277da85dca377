// The network plays no part in filing and acknowledging a complaint.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';

test('with the network gone, a complaint is still acknowledged and kept', async ({ page, context }) => {
  const customer = new CustomerPage(page);
  // Once the page shows, it fetches its other languages in the background (not needed to file
  // a complaint; Swedish comes last); let that finish, so that what follows counts only what
  // filing asks for.
  const languages = page.waitForResponse((r) => r.url().endsWith('/locales/sv.json'));
  await customer.open('/k/demo/front-desk');
  await languages;
  await context.setOffline(true);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const ticket = await customer.fileQuickly('availability', 'The advertised phone was sold out');
  expect(ticket).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
  // The acknowledgement needed nothing from the network; the only requests are the sync
  // loop's pushes, which fail and leave the complaint queued on the device.
  expect(requests.filter((url) => !url.endsWith('/api/v1/events'))).toEqual([]);
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_pending);
  expect(await customer.storedEventCount()).toBe(1);
  await context.setOffline(false);
});
