// Complaints reach the store's server exactly once, the device says where they stand, and a
// shared kiosk keeps nothing the server has. Each test has a server of its own.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { SyncStatus } from '../pages/sync-status';
import { countByCase, filedEvent, queuedEntries } from '../support/server';
import { fill } from '../support/locales';
import { ana, step } from '../support/tickets';

test('a complaint filed on a phone reaches the server once and the phone says so, also after a reload', async ({
  page,
  server,
}) => {
  const customer = new CustomerPage(page);
  const sync = new SyncStatus(page, customer.t);
  await customer.open(`${server.origin}/c/mall-a/checkout-2`);
  const ticket = await customer.fileQuickly('billing', 'Charged twice for one coffee');
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_sent);
  await page.getByRole('button', { name: customer.t.another }).click();
  await expect(page.locator('#srk-mine')).toContainText(`${ticket} · ${customer.t.category.billing}`);
  await expect(page.locator('#srk-mine')).toContainText(customer.t.mine_sent);
  await sync.drained();
  await expect(page.locator('#srk-sync-last')).not.toHaveText(customer.t.sync_never);
  const marks = Object.values(await sync.marks());
  expect(marks).toEqual(['sent']);
  await page.reload();
  await expect(page.locator('#srk-mine')).toContainText(customer.t.mine_sent);
  const stored = await server.stored('mall-a');
  expect(stored).toHaveLength(1);
  expect(stored[0].kind.complaint.description).toBe('Charged twice for one coffee');
  expect(stored[0].origin.touchpoint).toBe('checkout-2');
  // The language it was filed in, for the messages that may follow.
  expect(stored[0].kind.complaint.language).toBe('en');
});

test("the phone's list shows where each case stands, as the server last said, also with the server out of reach", async ({
  page,
  server,
}) => {
  server.seedDemo();
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/c/demo/front-desk`);
  const ticket = await customer.fileQuickly('waiting', 'Waited 20 minutes at the desk');
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_sent);
  await page.getByRole('button', { name: customer.t.another }).click();
  const line = page.locator('#srk-mine li').filter({ hasText: ticket });
  await expect(line).toContainText(customer.t.status_filed);
  // The list links to the case's ticket page.
  await expect(line.getByRole('link', { name: ticket })).toHaveAttribute('href', /^\/t\/#[0-9a-f-]{36}\.[\w-]+$/);

  // Ana acknowledges it on the tablet: the phone learns it when the list appears.
  const [filed] = await server.stored('demo');
  const token = await server.session('demo', 'ana', '246810');
  const ack = step(filed, Date.now(), { type: 'acknowledged', by: ana, apology: 'I am sorry you had to wait.' });
  expect((await server.pushWith([ack], { token }))[0].status).toBe('stored');
  const asked = page.waitForResponse((r) => r.url().includes('/api/v1/tickets/'));
  await page.reload();
  expect((await asked).status()).toBe(200);
  await expect(line).toContainText(customer.t.status_working);
  await expect(line).toContainText(customer.t.mine_sent);

  // Resolved while the phone cannot reach the server: it shows what it last learnt...
  await page.route('**/api/v1/tickets/**', (route) => route.abort());
  const resolved = step(filed, Date.now(), { type: 'resolved', by: ana, remedy: 'voucher', value_minor: 1250, gesture: 'a free coffee', follow_up_at: null });
  expect((await server.pushWith([resolved], { token }))[0].status).toBe('stored');
  await page.reload();
  await expect(page.locator('#srk-mine')).toBeVisible();
  await expect(line).toContainText(customer.t.status_working);
  // ...and asks again as soon as the browser says it is back online.
  await page.unroute('**/api/v1/tickets/**');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(line).toContainText(customer.t.status_resolved);
  await expect(line).not.toContainText(customer.t.status_working);
});

test('a complaint records the language the customer switched to before filing', async ({ page, server }) => {
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/c/mall-a/checkout-2`);
  await page.getByLabel(customer.t.language).selectOption('sv');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await new CustomerPage(page, 'sv').fileQuickly('billing', 'Dubbeldebiterad för en kaffe');
  await expect.poll(async () => (await server.stored('mall-a')).map((e: any) => e.kind.complaint.language)).toEqual(['sv']);
});

test('a kiosk removes a complaint and its contact details once the server has them', async ({ page, server }) => {
  const customer = new CustomerPage(page);
  const sync = new SyncStatus(page, customer.t);
  await customer.open(`${server.origin}/k/mall-a/front-desk`);
  await customer.chooseCategory('service');
  await customer.describe('Nobody answered at the desk');
  await customer.contact('Siti', 'siti@example.com');
  await customer.submit();
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_sent);
  await sync.drained();
  await expect.poll(() => customer.storedEventCount()).toBe(0);
  await expect(page.locator('#srk-device-stored')).toHaveText(fill(customer.t.device_stored, { count: 0 }));
  const everything = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(everything).not.toContain('siti@example.com');
  expect(everything).not.toContain('Siti');
  const stored = await server.stored('mall-a');
  expect(stored.map((e) => e.kind.complaint.contact)).toEqual([{ email: 'siti@example.com' }]);
});

test('offline, the complaint waits on the device and says so; back online it is delivered', async ({
  page,
  context,
  server,
}) => {
  const customer = new CustomerPage(page);
  const sync = new SyncStatus(page, customer.t);
  await customer.open(`${server.origin}/c/mall-a/checkout-2`);
  await context.setOffline(true);
  await customer.fileQuickly('waiting', 'Queue of twenty people');
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_pending);
  await sync.open();
  await expect(sync.pending).toHaveText(fill(customer.t.sync_pending, { count: 1 }));
  await expect(sync.problem).toContainText(customer.t.sync_problem.offline);
  await expect(page.locator('#srk-device-summary')).toContainText(fill(customer.t.sync_pending, { count: 1 }));
  expect(await server.stored('mall-a')).toHaveLength(0);
  await context.setOffline(false);
  await sync.drained();
  await expect(page.locator('#srk-ack-sync')).toHaveText(customer.t.ack_sent);
  await expect(sync.problem).toBeEmpty();
  expect(await server.stored('mall-a')).toHaveLength(1);
});

test('what the server refuses is kept, shown as needing attention with its reason, and not sent again', async ({
  page,
  server,
}) => {
  const customer = new CustomerPage(page);
  const sync = new SyncStatus(page, customer.t);
  // The server already holds an event under this id with other content: a conflict.
  const original = filedEvent('mall-a', 'The original words');
  const push = await fetch(`${server.origin}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [original] }),
  });
  expect(push.status).toBe(200);
  const altered = { ...original, kind: { ...original.kind, complaint: { ...original.kind.complaint, description: 'Other words' } } };
  const fine = filedEvent('mall-a', 'A fine complaint');
  await page.goto(`${server.origin}/api/v1/health`);
  await sync.seed(queuedEntries([altered, fine]));
  const pushes: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/events')) pushes.push(Date.now());
  });
  await customer.open(`${server.origin}/c/mall-a/checkout-2`);
  await sync.open();
  await expect(sync.attention).toContainText(fill(customer.t.sync_attention, { count: 1 }));
  await expect(sync.attention).toContainText(customer.t.reject.conflict);
  await sync.drained();
  await expect(page.locator('#srk-device-summary')).toContainText(
    fill(customer.t.sync_attention_short, { count: 1 }),
  );
  const marks = await sync.marks();
  expect(marks[altered.id]).toBe('rejected');
  expect(marks[fine.id]).toBe('sent');
  // Still refused after a reload, and not sent again by itself.
  const before = pushes.length;
  await page.reload();
  await sync.open();
  await expect(sync.attention).toContainText(customer.t.reject.conflict);
  await page.waitForTimeout(1_500);
  expect(pushes.length).toBe(before);
  const stored = await server.stored('mall-a');
  expect(stored.map((e) => e.kind.complaint.description).sort()).toEqual(['A fine complaint', 'The original words']);
  // A person may ask for another try; the server refuses it again, and it stays kept.
  await page.getByRole('button', { name: customer.t.sync_retry_rejected }).click();
  await expect.poll(() => pushes.length).toBeGreaterThan(before);
  await expect(sync.attention).toContainText(customer.t.reject.conflict);
  expect((await sync.marks())[altered.id]).toBe('rejected');
});

test('a push the server refuses as a whole is split until the one event it objects to needs attention', async ({
  page,
  server,
}) => {
  const customer = new CustomerPage(page);
  const sync = new SyncStatus(page, customer.t);
  const events = Array.from({ length: 7 }, (_, i) => filedEvent('mall-a', `Complaint ${i}`, 1_763_000_000_000 + i));
  const poison = events[4].id;
  await page.route('**/api/v1/events', async (route) => {
    const body = route.request().postDataJSON();
    if (body.events.some((e: any) => e.id === poison)) {
      await route.fulfill({ status: 422, contentType: 'application/json', body: '{"error":"unprocessable"}' });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${server.origin}/api/v1/health`);
  await sync.seed(queuedEntries(events));
  await customer.open(`${server.origin}/c/mall-a/checkout-2`);
  await sync.open();
  await expect(sync.attention).toContainText(customer.t.reject.unprocessable);
  await sync.drained();
  const stored = await server.stored('mall-a');
  expect(stored.map((e) => e.id).sort()).toEqual(events.filter((e) => e.id !== poison).map((e) => e.id).sort());
  expect((await sync.marks())[poison]).toBe('rejected');
});
