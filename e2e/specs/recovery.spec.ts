// The four recovery steps end to end: a complaint filed on a kiosk (one browser context) is
// worked by staff on a tablet (another context), with the tablet going offline and back,
// escalated above a staff member's authority, resolved by a manager, rated, closed with its
// cause, and reopened when the follow-up finds the fix did not hold. The server holds every
// step once. Each test has its own server with the demo store (Ana: staff, limit 25.00;
// Max: manager).
import { Browser, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { CustomerPage } from '../pages/customer-page';
import { StaffTablet } from '../pages/staff-tablet';
import { filedEvent } from '../support/server';
import { fill, ticketStrings } from '../support/locales';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

const offline = (page: Page) => page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));

test('kiosk to tablet: acknowledge offline, escalate above the limit, a manager resolves, rate, close, reopen', async ({
  browser,
  server,
}) => {
  server.seedDemo();
  // 1. A customer files on the kiosk, agreeing to be contacted.
  const kiosk = new CustomerPage(await newPage(browser));
  await kiosk.open(`${server.origin}/k/demo/front-desk`);
  await kiosk.chooseCategory('billing');
  await kiosk.describe('I was charged twice for the same jacket.');
  await kiosk.fair('refund');
  await kiosk.contact('Siti', 'siti@example.com');
  await kiosk.submit();
  const ticket = (await kiosk.ticket.textContent())!.trim();
  await expect(kiosk.page.locator('#srk-ack-sync')).toHaveText(kiosk.t.ack_sent);
  // The kiosk's acknowledgement frames the QR code of the customer's own ticket page (the
  // secret in the fragment), and no link that would open it on the shared tablet.
  const src = await kiosk.page.locator('#srk-ticket-qr').getAttribute('src');
  expect(src).toMatch(/^\/qr\/#\/t\/#[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}$/);
  await expect(kiosk.page.frameLocator('#srk-ticket-qr').locator('svg path')).toHaveCount(1);
  await expect(kiosk.page.locator('#srk-ticket-link')).toHaveCount(0);
  await expectNoAxeViolations(kiosk.page, 'kiosk acknowledgement with QR');
  const link = src!.slice('/qr/#'.length);

  // 2. Ana unlocks the tablet and sees it; then the tablet loses its connection.
  const tablet = new StaffTablet(await newPage(browser));
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(ticket);
  await expect(tablet.page.locator('#srk-description')).toHaveText('I was charged twice for the same jacket.');
  await expect(tablet.page.locator('#srk-fair')).toContainText(kiosk.t.fair.refund);
  // The suggested apology answers what the customer said, in the first person.
  await expect(tablet.page.locator('#srk-apology')).toHaveValue(new RegExp(`^Siti, ${escape(kiosk.t.apology.billing)}`));
  await expectNoAxeViolations(tablet.page, 'staff case, filed');
  await offline(tablet.page);
  await tablet.acknowledge();
  await tablet.note('Terminal ran the card twice at 10:02.');
  await expect(tablet.page.locator('#srk-outbox')).toHaveText(fill(tablet.t.pending_steps, { count: 2 }));
  await expectNoAxeViolations(tablet.page, 'staff case, acknowledged');

  // 3. Above Ana's limit: the tablet refuses and she escalates with a reason.
  await tablet.resolve('refund', '30', 'Free coffee');
  await expect(tablet.page.locator('#srk-resolve-problem')).toHaveText(
    fill(tablet.t.above_limit, { limit: '€25.00' }),
  );
  await tablet.escalate('Refund of 30.00 is above my limit');
  await expect(tablet.page.locator('#srk-manager-only')).toHaveText(tablet.t.manager_only);
  // Back online: the three steps reach the server.
  await tablet.page.unrouteAll();
  await tablet.synced();
  await tablet.lock();

  // 4. Max, a manager, resolves it: no delight script on an escalated case.
  await tablet.unlock('max', '135790', 'Max');
  await tablet.openCase(ticket);
  await expect(tablet.page.locator('#srk-gesture')).toHaveCount(0);
  await tablet.resolve('refund', '30');
  await tablet.expectStatus('resolved');
  await expect(tablet.page.locator('#srk-resolution')).toContainText('€30.00');

  // 5. The customer rates the fix later, on their own phone (a third browser): the phone is
  // offline when they rate, and sends the rating once it is back.
  const tk = ticketStrings('en');
  const phone = await newPage(browser);
  await phone.goto(`${server.origin}${link}`);
  await expect(phone.locator('#srk-tk-code')).toHaveText(ticket);
  await expect(phone.locator('#srk-tk-status')).toHaveText(tk.status.resolved);
  await offline(phone);
  await phone.getByRole('radio', { name: tk.stars.four }).check();
  await phone.getByLabel(tk.comment_label).fill('Sorted quickly, thank you');
  await phone.getByRole('button', { name: tk.submit }).click();
  await expect(phone.locator('#srk-tk-sync')).toHaveText(tk.sync_pending);
  await phone.unrouteAll();
  await phone.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(phone.locator('#srk-tk-sync')).toHaveText(tk.sync_sent, { timeout: 15_000 });
  // The tablet sees the rating, and the case is closed with its cause.
  await tablet.refresh();
  await expect(tablet.page.locator('#srk-rating')).toContainText(fill(tablet.t.rating_line, { stars: 4 }));
  await expectNoAxeViolations(tablet.page, 'staff case, resolved');
  await tablet.close('equipment', 'Card terminal double charge', 'Checkout, IT', 'Our card terminal sent your payment twice.');
  await expect(tablet.page.locator('#srk-cause')).toContainText('Card terminal double charge');
  await expectNoAxeViolations(tablet.page, 'staff case, closed');
  await tablet.synced();
  // The phone now shows why it happened, and the rating can no longer change.
  await phone.reload();
  await expect(phone.locator('#srk-tk-explanation')).toHaveText('Our card terminal sent your payment twice.');
  await expect(phone.getByRole('button', { name: tk.submit })).toHaveCount(0);

  // 6. Days later the follow-up finds the fix did not hold: the case reopens.
  await tablet.followUp(false, 'The second charge is still on her statement.');
  await tablet.expectStatus('reopened');
  await expectNoAxeViolations(tablet.page, 'staff case, reopened');
  await tablet.synced();

  const stored = await server.stored('demo');
  const steps = stored.map((e) => e.kind.type);
  expect(steps).toEqual([
    'filed',
    'acknowledged',
    'noted',
    'escalated',
    'resolved',
    'rated',
    'closed',
    'followed_up',
  ]);
  expect(stored.filter((e) => e.kind.type === 'acknowledged')[0].kind.by.staff).toBe('ana');
  expect(stored.filter((e) => e.kind.type === 'resolved')[0].kind.by.staff).toBe('max');
  expect(stored.filter((e) => e.kind.type === 'resolved')[0].kind.value_minor).toBe(3000);
});

test('a repeat or serious complaint goes to a manager at once, with no delight script', async ({ page, server }) => {
  server.seedDemo();
  const serious = filedEvent('demo', 'The ladder fell on my foot');
  serious.kind.complaint.impact = 'severe';
  await server.push([serious]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  const ticket = await page.locator('#srk-queue li').first().getAttribute('data-ticket');
  await expect(page.locator('#srk-queue li').first()).toContainText(tablet.t.severity_high);
  await tablet.openCase(ticket!);
  await expect(page.locator('#srk-needs-manager')).toHaveText(tablet.t.needs_manager);
  await tablet.acknowledge();
  await expect(page.locator('#srk-manager-only')).toHaveText(tablet.t.manager_only);
  await expectNoAxeViolations(page, 'staff case needing a manager');
});

test('the same customer complaining again is flagged as a repeat failure and escalated when acknowledged', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const first = filedEvent('demo', 'Wrong size delivered', Date.now() - 3 * 86_400_000);
  const again = filedEvent('demo', 'Wrong size delivered again');
  for (const e of [first, again]) {
    e.kind.complaint.contact = { email: 'bo@example.com' };
    e.kind.complaint.consent_to_contact = true;
  }
  // Typed differently, the same person.
  again.kind.complaint.contact = { email: 'BO@Example.com' };
  await server.push([first, again]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  const rows = page.locator('#srk-queue li');
  await expect(rows).toHaveCount(2);
  const repeatRow = rows.filter({ hasText: 'Wrong size delivered again' });
  await expect(repeatRow).toContainText(tablet.t.repeat);
  await expect(rows.filter({ hasNotText: 'again' })).not.toContainText(tablet.t.repeat);
  await tablet.openCase((await repeatRow.getAttribute('data-ticket'))!);
  await expect(page.locator('#srk-repeat')).toHaveText(tablet.t.repeat_escalation);
  await tablet.acknowledge();
  await expect(page.locator('#srk-escalated')).toContainText(tablet.t.repeat_escalation);
  await tablet.synced();
  const kinds = (await server.stored('demo')).map((e) => e.kind.type);
  expect(kinds.filter((k) => k === 'escalated')).toHaveLength(1);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test("a phone's acknowledgement links the customer's own ticket page, secret in the fragment", async ({ page, server }) => {
  const customer = new CustomerPage(page);
  await customer.open(`${server.origin}/c/demo/checkout-2`);
  await customer.fileQuickly('waiting', 'Twenty minutes at the pharmacy counter.');
  const link = page.locator('#srk-ticket-link');
  await expect(link).toHaveText(customer.t.ticket_link);
  expect(await link.getAttribute('href')).toMatch(/^\/t\/#[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}$/);
  await expect(page.locator('#srk-ticket-qr')).toHaveCount(0);
  await expectNoAxeViolations(page, 'phone acknowledgement with ticket link');
});
