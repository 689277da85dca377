// One case from opening to its documented close on a 1024x768 tablet, counting every tap (a
// click anywhere on the page; typing is not counted): the remedy comes chosen from what the
// customer called fair, the customer rates on the tablet through a hand-over that shows nothing
// internal and ends at the lock screen, the tablet comes back to the person who handed it over
// on the case, and the close comes with the cause the store found before and words for the
// customer. Each test has its own server with the demo store (Ana 246810).
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { filedEvent } from '../support/server';
import { ticketCode } from '../support/tickets';
import { StaffTablet } from '../pages/staff-tablet';
import { fill } from '../support/locales';

test('one case from opening to its documented close takes at most 8 taps, the rating handed to the customer', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const now = Date.now();
  // An earlier billing complaint the store closed as the card terminal's fault; then today's.
  const earlier = filedEvent('demo', 'Charged twice for one coffee', now - 3 * 60 * 60_000);
  const today = filedEvent('demo', 'Charged twice for my lunch', now - 2 * 60_000);
  for (const e of [earlier, today]) {
    e.kind.complaint.category = 'billing';
    e.kind.complaint.fair_solutions = ['refund'];
  }
  today.kind.complaint.name = 'Sam Lee';
  await server.push([earlier, today]);
  const [earlierCode, code] = [ticketCode(earlier.case), ticketCode(today.case)];
  await page.setViewportSize({ width: 1024, height: 768 });
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(earlierCode);
  await tablet.acknowledge();
  await tablet.note('The terminal sent the payment twice.');
  await tablet.resolve('refund', '3.20', undefined, false);
  await tablet.close('equipment', 'Terminal charged twice', 'Checkout', 'Our card terminal sent the payment twice.');
  await tablet.back();

  // From here every tap counts.
  await page.evaluate(() => {
    (window as any).taps = 0;
    document.addEventListener('click', () => (window as any).taps++, true);
  });
  const taps = () => page.evaluate(() => (window as any).taps as number);
  await page.getByRole('button', { name: fill(t.open_case, { ticket: code }) }).click();
  await expect(page.locator('#srk-apology')).toHaveValue(/Sam/);
  await page.getByRole('button', { name: t.ack_button }).click();
  await tablet.expectStatus('acknowledged');
  // The remedy the customer called fair comes chosen; the amount is typed.
  await expect(page.locator('#srk-remedy')).toHaveValue('refund');
  await page.locator('#srk-value').fill('8.40');
  await page.getByRole('button', { name: t.resolve_button }).click();
  await tablet.expectStatus('resolved');

  // The hand-over: the question and the stars alone, focused, nothing internal on screen.
  await page.getByRole('button', { name: t.hand_over }).click();
  await expect(page.locator('#srk-rate-title')).toHaveText(t.handover_title);
  await expect(page.locator('#srk-rate-title')).toBeFocused();
  for (const hidden of ['#srk-signed-in', '#srk-case-title', '#srk-queue-title', '#srk-lock', '#srk-back']) {
    await expect(page.locator(hidden)).toHaveCount(0);
  }
  const shown = await page.locator('main').innerText();
  for (const internal of ['Ana', 'Sam Lee', 'Charged twice', 'The terminal sent', code, t.back, t.lock]) {
    expect(shown, `the hand-over shows "${internal}"`).not.toContain(internal);
  }
  // The bar and the browser tab name the store, not staff mode or its counts.
  await expect(page.locator('.srk-bar__place')).toHaveText('Demo store');
  await expect(page).toHaveTitle('Demo store');
  await expectNoAxeViolations(page, 'hand-over to the customer');
  await page.getByRole('radio', { name: fill(t.star, { n: 4 }), exact: true }).check();
  await page.getByRole('button', { name: t.handover_send }).click();

  // Locked; the tablet comes back to Ana, on the case, to close it.
  await expect(page.getByRole('heading', { name: t.unlock_title })).toBeVisible();
  await expect(page.getByLabel(t.person)).toHaveValue('ana');
  await page.getByLabel(t.pin).fill('246810');
  await page.getByRole('button', { name: t.unlock }).click();
  await expect(page.locator('#srk-case-title')).toHaveText(fill(t.case_title, { ticket: code }));
  await expect(page.locator('#srk-rating')).toContainText(fill(t.rating_line, { stars: 4 }));
  // The close comes with the cause the store found for billing before, and words for the customer.
  await expect(page.locator('#srk-cause-category')).toHaveValue('equipment');
  await expect(page.locator('#srk-sub-cause')).toHaveValue('Terminal charged twice');
  await expect(page.locator('#srk-explanation')).toHaveValue(t.explain.equipment);
  await page.getByRole('button', { name: t.close_button }).click();
  await tablet.expectStatus('closed');

  const count = await taps();
  console.log(`taps from opening the case to its documented close: ${count}`);
  expect(count).toBeLessThanOrEqual(8);

  // The server has the whole documented case, the rating and the close as suggested.
  await tablet.synced();
  const stored = (await server.stored('demo')).filter((e) => e.case === today.case);
  const kinds = stored.map((e) => e.kind.type);
  expect(kinds).toEqual(['filed', 'acknowledged', 'resolved', 'rated', 'closed']);
  const rated = stored.find((e) => e.kind.type === 'rated');
  expect(rated.kind.stars).toBe(4);
  const closed = stored.find((e) => e.kind.type === 'closed');
  expect(closed.kind.cause).toMatchObject({
    category: 'equipment',
    sub_cause: 'Terminal charged twice',
    explanation: t.explain.equipment,
  });
});

test('a customer who declines to rate leaves the tablet locked, and nobody else unlocks onto the case', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const filed = filedEvent('demo', 'The fitting room was locked');
  await server.push([filed]);
  const code = ticketCode(filed.case);
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(code);
  await tablet.acknowledge();
  await tablet.resolve('apology_only', '', undefined, false);
  await page.getByRole('button', { name: t.hand_over }).click();
  await page.getByRole('button', { name: t.handover_skip }).click();
  await expect(page.getByRole('heading', { name: t.unlock_title })).toBeVisible();
  // Max is not Ana: he starts from the queue, and the case still waits for its rating.
  await page.getByLabel(t.person).fill('max');
  await page.getByLabel(t.pin).fill('135790');
  await page.getByRole('button', { name: t.unlock }).click();
  await expect(page.locator('#srk-signed-in')).toHaveText(fill(t.signed_in_as, { name: 'Max' }));
  await expect(page.locator('#srk-queue-title')).toBeVisible();
  await expect(page.locator('#srk-case-title')).toHaveCount(0);
});

test('a failure we could have prevented goes to a manager at once', async ({ page, server }) => {
  server.seedDemo();
  const filed = filedEvent('demo', 'The shelf fell on my foot; it was loose last week too');
  await server.push([filed]);
  const code = ticketCode(filed.case);
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(code);
  await expect(page.locator('#srk-avoidable-unsure')).toBeChecked();
  await page.getByRole('radio', { name: t.avoidable_yes }).check();
  await expectNoAxeViolations(page, 'acknowledgement with the avoidable question');
  await tablet.acknowledge();
  // Escalated with the reason, and Ana may not resolve it.
  await expect(page.locator('#srk-manager-only')).toBeVisible();
  await tablet.back();
  await expect(
    page.locator('section.srk-queue__section', { has: page.locator('#srk-section-for_manager') }).locator('li'),
  ).toHaveAttribute('data-ticket', code);
  await tablet.synced();
  const stored = (await server.stored('demo')).filter((e) => e.case === filed.case);
  expect(stored.map((e) => e.kind.type)).toEqual(['filed', 'acknowledged', 'escalated']);
  expect(stored[1].kind.avoidable).toBe(true);
  expect(stored[2].kind.reason).toBe(t.avoidable_escalation);
});

test('a case is documented well: tries to reach the customer, several factors, names ticked from the store lists', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const now = Date.now();
  const earlier = filedEvent('demo', 'Nobody at the till for ten minutes', now - 3 * 60 * 60_000);
  const today = filedEvent('demo', 'Waited twenty minutes to pay', now - 2 * 60_000);
  today.kind.complaint.contact = { phone: '+62 812 3456 7890' };
  today.kind.complaint.consent_to_contact = true;
  await server.push([earlier, today]);
  const [earlierCode, code] = [ticketCode(earlier.case), ticketCode(today.case)];
  await page.setViewportSize({ width: 1024, height: 768 });
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  // The store's first close names a department: it joins the list.
  await tablet.openCase(earlierCode);
  await tablet.acknowledge();
  await tablet.resolve('apology_only', '', undefined, false);
  await tablet.close('people', 'One till open', 'Checkout', 'Only one of us was at the tills.');
  await tablet.back();

  await tablet.openCase(code);
  // The customer left a number: the try to reach them is a phone call, recorded as a step.
  await page.locator('#srk-contact-attempt summary').click();
  await expect(page.getByRole('radio', { name: t.channel.phone })).toBeChecked();
  await expectNoAxeViolations(page, 'the form to record a try to reach the customer');
  await page.getByLabel(t.contact_note_label).fill('Voicemail, asked them to call back');
  await page.getByRole('button', { name: t.contact_missed }).click();
  await expect(page.locator('#srk-attempts li')).toHaveCount(1);
  await expect(page.locator('#srk-attempts')).toContainText(fill(t.attempt_missed, { channel: t.channel.phone }));
  await expect(page.locator('#srk-attempts')).toContainText('Voicemail, asked them to call back');
  await expect(page.locator('#srk-timeline')).toContainText(t.step.contacted);
  await tablet.acknowledge();
  await tablet.resolve('apology_only', '', undefined, false);

  // The close: the department and a person ticked from the store's lists, one more factor.
  const departments = page.getByRole('group', { name: t.departments_list });
  await departments.getByRole('checkbox', { name: 'Checkout' }).check();
  await expect(page.getByLabel(t.departments_label)).toHaveValue('Checkout');
  await page.getByRole('group', { name: t.people_list }).getByRole('checkbox', { name: 'Max' }).check();
  await page.getByRole('button', { name: t.factor_add }).click();
  await expect(page.getByLabel(fill(t.factor_kind, { n: 1 }))).toHaveValue('process');
  await page.getByLabel(fill(t.factor_words, { n: 1 })).fill('No queue rule at peak');
  await page.getByLabel(t.sub_cause_label).fill('One till open');
  await expectNoAxeViolations(page, 'the close with a contributing factor and the store lists');
  await page.getByRole('button', { name: t.close_button }).click();
  await tablet.expectStatus('closed');

  await tablet.synced();
  const stored = (await server.stored('demo')).filter((e) => e.case === today.case);
  expect(stored.map((e) => e.kind.type)).toEqual(['filed', 'contacted', 'acknowledged', 'resolved', 'closed']);
  expect(stored[1].kind).toMatchObject({
    channel: 'phone',
    reached: false,
    note: 'Voicemail, asked them to call back',
  });
  expect(stored[4].kind.cause).toMatchObject({
    category: 'people',
    sub_cause: 'One till open',
    departments: ['Checkout'],
    people: ['Max'],
    factors: [{ category: 'process', sub_cause: 'No queue rule at peak' }],
  });
});

test("a customer's name and contact erased on the server are gone from the tablet at its next sync", async ({
  page,
  server,
}) => {
  server.seedDemo();
  const filed = filedEvent('demo', 'Charged twice, please call me');
  filed.kind.complaint.name = 'Sam Lee';
  filed.kind.complaint.contact = { phone: '+62 812 3456 7890' };
  filed.kind.complaint.consent_to_contact = true;
  await server.push([filed]);
  const code = ticketCode(filed.case);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(code);
  await expect(page.locator('#srk-contact')).toContainText('+62 812 3456 7890');
  const kept = () => tablet.kept();
  await expect.poll(kept).toContain('Sam Lee');

  // The customer asks to be forgotten; the live feed brings the erasure without a tap.
  server.admin(['erase', '--store', 'demo', '--ticket', code]);
  await expect(page.locator('#srk-contact')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('.srk-case')).not.toContainText('Sam Lee');
  await expect(page.locator('#srk-description')).toHaveText('Charged twice, please call me');
  await expect(page.locator('#srk-timeline')).toContainText(tablet.t.step.erased);
  await expect.poll(kept).not.toContain('Sam Lee');
  expect(await kept()).not.toContain('3456 7890');
});
