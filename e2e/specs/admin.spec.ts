// The chain's web admin (`/admin/<chain>`): a chain administrator creates a store with two
// touchpoints and a staff member, prints the store's sticker sheet, and the new person signs in
// on the store's tablet and works a case filed from the new sticker; an area manager sees the
// stores they look after and changes nothing; a store's manager, signed in with their store
// PIN, sees only their store. Every screen is axe clean, in four languages. Each test has its
// own server with the demo chain (`seed-demo`: Cleo, chain administrator; Ari, area manager of
// the demo store; Max, the demo store's manager).
import { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { fill, Lang, LANGS, staffStrings, strings } from '../support/locales';
import { CustomerPage } from '../pages/customer-page';
import { filedEvent } from '../support/server';
import { StaffTablet } from '../pages/staff-tablet';
import { signInManager, signInPerson } from '../pages/admin-console';

test.use({ timezoneId: 'UTC' });

const en = staffStrings('en');
const a = en.admin;
const binary = path.resolve(__dirname, '..', '..', 'target', 'release', 'recovery-server');

function storeButtons(page: Page) {
  return page.locator('.srk-admin__stores button');
}

test('a chain administrator sets up a store whose new person then works a case on its tablet', async ({
  page,
  browser,
  server,
}) => {
  server.seedDemo();
  // A wrong password first: the sign-in says so and keeps the form.
  await page.goto(`${server.origin}/admin/demo`);
  await expect(page).toHaveTitle(fill(a.page_title, { chain: 'demo' }));
  await expectNoAxeViolations(page, 'admin sign-in');
  await page.getByLabel(a.person).fill('cleo');
  await page.getByLabel(a.password).fill('not the password');
  await page.getByRole('button', { name: a.signin, exact: true }).click();
  await expect(page.locator('#srk-admin-signin-problem')).toHaveText(a.errors.wrong);
  await page.getByLabel(a.password).fill('demo-admin-cleo');
  await page.getByRole('button', { name: a.signin, exact: true }).click();
  await expect(page.locator('#srk-admin-who')).toHaveText(
    `${fill(a.signed_in_as, { name: 'Cleo' })} · ${a.reach_chain}`,
  );
  await expect(page).toHaveTitle(fill(a.page_title, { chain: 'Demo chain' }));
  await expect(storeButtons(page)).toHaveText(['Demo store (demo)']);
  await expectNoAxeViolations(page, 'admin console');

  // A new store with two touchpoints, one with a line of its own for its sticker.
  await page.getByRole('button', { name: a.new_store }).click();
  await page.getByLabel(a.store_id).fill('harbour');
  await page.getByLabel(a.store_name).fill('Harbour');
  await page.getByRole('group', { name: a.languages }).getByLabel('Svenska').uncheck();
  const rows = page.locator('.srk-admin__row');
  await rows.nth(0).getByLabel(a.tp_id).fill('till-1');
  await rows.nth(0).getByLabel(a.tp_name).fill('Till 1');
  await rows.nth(0).getByLabel(a.tp_sticker).fill('Or ask anyone at the till');
  await page.getByRole('button', { name: a.tp_add }).click();
  await expect(rows.nth(1).getByLabel(a.tp_id)).toBeFocused();
  await rows.nth(1).getByLabel(a.tp_id).fill('dock');
  await rows.nth(1).getByLabel(a.tp_name).fill('Loading dock');
  await expectNoAxeViolations(page, 'admin new store');
  await page.getByRole('button', { name: a.save_store }).click();
  await expect(page.locator('#srk-admin-store-title')).toHaveText(fill(a.store_settings, { store: 'Harbour' }));
  await expect(storeButtons(page)).toHaveText(['Demo store (demo)', 'Harbour (harbour)']);

  // A person for it.
  await page.getByRole('button', { name: a.add_person }).click();
  await expect(page.locator('#srk-admin-person-title')).toBeFocused();
  await page.getByLabel(a.person_id, { exact: true }).fill('bea');
  await page.getByLabel(a.person_name, { exact: true }).fill('Bea');
  await page.getByLabel(a.first_pin).fill('482913');
  await page.getByRole('button', { name: a.save_person }).click();
  await expect(page.locator('#srk-admin-person-outcome')).toHaveText(a.saved);
  await expect(page.locator('#srk-admin-roster tbody tr')).toHaveCount(1);
  await expect(page.locator('#srk-admin-roster tr[data-person="bea"] th')).toHaveText('Bea');
  await expectNoAxeViolations(page, 'admin store with its staff');

  // Its sticker sheet: one sticker per touchpoint, in the store's languages, with its own line.
  await page.getByRole('button', { name: a.stickers }).click();
  const stickers = page.locator('.srk-sticker');
  await expect(stickers).toHaveCount(2);
  await expect(stickers.nth(0)).toHaveAttribute('data-url', `${server.origin}/c/harbour/till-1`);
  await expect(stickers.nth(0).locator('.srk-sticker__line')).toHaveText('Or ask anyone at the till');
  await expect(stickers.nth(1).getByRole('heading', { level: 2 })).toHaveText('Loading dock');
  await expect(stickers.nth(0).locator('.srk-sticker__invite')).toHaveCount(3);
  await expectNoAxeViolations(page, 'admin sticker sheet');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(1);

  // A customer files at the new till; Bea signs in on the store's tablet and acknowledges it.
  const phone = await browser.newContext();
  const customer = new CustomerPage(await phone.newPage());
  await customer.open(`${server.origin}/c/harbour/till-1`);
  const ticket = await customer.fileQuickly('waiting', 'Nobody at till 1 for ten minutes.');
  const tabletContext = await browser.newContext();
  const tablet = new StaffTablet(await tabletContext.newPage());
  await tablet.open(server.origin, 'harbour');
  await tablet.unlock('bea', '482913', 'Bea');
  await tablet.openCase(ticket);
  await tablet.acknowledge();
  await tablet.synced();

  // The history names who did what.
  await page.getByRole('button', { name: a.history }).click();
  const changes = page.locator('#srk-admin-changes li');
  await expect(changes.filter({ hasText: fill(a.what.store_created, { subject: 'harbour' }) })).toHaveCount(1);
  await expect(changes.filter({ hasText: fill(a.what.staff_added, { subject: 'bea' }) })).toContainText('Cleo (cleo)');
  await expectNoAxeViolations(page, 'admin history');

  // Ari, the area manager, now looks after the new store too.
  await page.getByRole('button', { name: a.people.open }).click();
  await expect(page.locator('#srk-admin-people-title')).toBeFocused();
  await page.getByRole('button', { name: fill(a.people.edit, { name: 'Ari' }) }).click();
  await page.getByRole('group', { name: a.people.stores }).getByLabel('Harbour').check();
  await page.getByRole('button', { name: a.people.save }).click();
  await expect(page.locator('#srk-admin-chain-person-outcome')).toHaveText(a.saved);
  await expect(page.locator('#srk-admin-people tr[data-person="ari"] td').nth(2)).toHaveText('demo, harbour');
  await expectNoAxeViolations(page, 'admin people of the chain');
  await page.getByRole('button', { name: a.sign_out }).click();
  await signInPerson(page, server.origin, 'ari', 'demo-area-ari');
  await expect(storeButtons(page)).toHaveText(['Demo store (demo)', 'Harbour (harbour)']);
  await phone.close();
  await tabletContext.close();
});

test('an area manager sees the stores they look after, compared; a store manager only their own', async ({
  page,
  server,
}) => {
  server.seedDemo(60);
  server.admin(['add-store', '--store', 'harbour', '--name', 'Harbour', '--chain', 'demo', '--touchpoint', 'till-1']);
  execFileSync(
    binary,
    ['add-chain-person', '--chain', 'demo', '--id', 'ari', '--name', 'Ari', '--role', 'area', '--store', 'demo', '--store', 'harbour', '--db', server.db],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RECOVERY_PASSWORD: 'demo-area-ari' } },
  );
  await signInPerson(page, server.origin, 'ari', 'demo-area-ari');
  await expect(page.locator('#srk-admin-who')).toContainText(fill(a.reach_area, { stores: 'demo, harbour' }));
  await expect(storeButtons(page)).toHaveText(['Demo store (demo)', 'Harbour (harbour)']);
  await expect(page.getByRole('button', { name: a.new_store })).toHaveCount(0);
  await expect(page.getByText(a.read_only)).toBeVisible();
  await expect(page.getByLabel(a.store_name)).toBeDisabled();
  await expect(page.getByRole('button', { name: a.add_person })).toHaveCount(0);
  await expect(page.locator('#srk-admin-tokens')).toHaveCount(0);
  await expectNoAxeViolations(page, 'admin as an area manager');

  // Both stores side by side, each chart on one scale; the store filter hides one.
  await page.getByRole('button', { name: a.compare.open }).click();
  await expect(page.locator('#srk-admin-compare-title')).toBeFocused();
  const rows = page.locator('#srk-admin-compare tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('th')).toHaveText('Demo store');
  await expect(rows.nth(0).locator('td').first()).toHaveText('60');
  await expect(rows.nth(1).locator('th')).toHaveText('Harbour');
  await expect(rows.nth(1).locator('td').first()).toHaveText('0');
  await expect(rows.nth(1).locator('td').nth(1)).toHaveText(a.compare.not_known);
  const summaries = page.locator('[id^="srk-chart-compare-"][id$="-summary"]');
  await expect(summaries).toHaveCount(2);
  const tops = await summaries.evaluateAll((ps) => ps.map((p) => p.textContent?.match(/\d+(?=[^\d]*$)/)?.[0]));
  expect(tops[0]).toBe(tops[1]);
  await expectNoAxeViolations(page, 'admin comparison');
  await page.getByRole('group', { name: a.compare.stores }).getByLabel('Harbour').uncheck();
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: a.sign_out }).click();

  await signInManager(page, server.origin, 'demo', 'max', '135790');
  await expect(page.locator('#srk-admin-who')).toContainText(fill(a.reach_store, { store: 'demo' }));
  await expect(storeButtons(page)).toHaveText(['Demo store (demo)']);
  await expect(page.locator('#srk-admin-roster tbody tr')).toHaveCount(2);
  // Ana (staff) can be changed by her manager; Max (a manager) cannot.
  await expect(page.getByRole('button', { name: fill(a.edit, { name: 'Ana' }) })).toBeVisible();
  await expect(page.getByRole('button', { name: fill(a.edit, { name: 'Max' }) })).toHaveCount(0);
  // A device token for a tablet, shown once, then revoked.
  await page.getByLabel(a.token_label).fill('Till tablet');
  await page.getByRole('button', { name: a.issue }).click();
  await expect(page.locator('#srk-admin-issued code')).toHaveText(/^[A-Za-z0-9_-]{20,}$/);
  await expect(page.locator('.srk-admin__token')).toHaveCount(2);
  await expectNoAxeViolations(page, 'admin as a store manager');
  await page.getByRole('button', { name: fill(a.revoke, { label: 'Till tablet' }) }).click();
  await expect(page.locator('.srk-admin__token')).toHaveCount(1);
  // Ana, a staff member, may not use the admin at all.
  await page.getByRole('button', { name: a.sign_out }).click();
  await page.getByLabel(a.as_store).check();
  await page.getByLabel(a.store_id).fill('demo');
  await page.getByLabel(a.staff_id).fill('ana');
  await page.getByLabel(a.pin).fill('246810');
  await page.getByRole('button', { name: a.signin, exact: true }).click();
  await expect(page.locator('#srk-admin-signin-problem')).toHaveText(a.errors.not_manager);
});

test('the admin reads in every language, page title included', async ({ page, server }) => {
  server.seedDemo();
  await signInPerson(page, server.origin, 'cleo', 'demo-admin-cleo');
  for (const lang of LANGS as Lang[]) {
    const t = staffStrings(lang);
    await page.locator('#srk-lang').selectOption(lang);
    await expect(page).toHaveTitle(fill(t.admin.page_title, { chain: 'Demo chain' }));
    await expect(page.locator('#srk-admin-title')).toHaveText(fill(t.admin.title, { chain: 'Demo chain' }));
    await expect(page.getByRole('button', { name: t.admin.add_person })).toBeVisible();
    await expectNoAxeViolations(page, `admin in ${lang}`);
  }
});

test('a change marked for the whole chain is judged in every store and shows on its tablets', async ({ page, browser, server }) => {
  server.seedDemo(120);
  server.admin(['add-store', '--store', 'harbour', '--name', 'Harbour', '--chain', 'demo', '--touchpoint', 'till-1']);
  const tc = en.changes;
  const day = 24 * 3_600_000;
  const when = new Date(Date.now() - 20 * day).toISOString().slice(0, 10);
  await signInPerson(page, server.origin, 'cleo', 'demo-admin-cleo');
  await page.getByRole('button', { name: a.compare.open }).click();
  await expect(page.locator('#srk-admin-compare tbody tr')).toHaveCount(2);
  await expect(page.locator('#srk-admin-changes-title')).toHaveText(a.compare.changes);
  await page.getByLabel(tc.date, { exact: true }).fill(when);
  await page.getByLabel(tc.kind_label, { exact: true }).selectOption('training');
  await page.getByLabel(tc.label, { exact: true }).fill('Service training in every store');
  // It concerns one kind of complaint: waiting.
  await page.getByLabel(tc.category, { exact: true }).selectOption('waiting');
  await page.getByRole('button', { name: tc.submit }).click();
  await expect(page.locator('#srk-admin-changes-said')).toHaveText(tc.saved);
  const change = page.locator('#srk-admin-changes-list > li');
  await expect(change).toHaveCount(1);
  await expect(change).toContainText(fill(tc.line, { date: when, label: 'Service training in every store' }));
  await expect(change).toContainText(fill(tc.by, { name: 'Cleo (cleo)' }));
  await expect(change.locator('.srk-note').first()).toContainText(strings('en').category.waiting);
  // Judged in each store on its own complaints (windows from the change at midnight to now:
  // 20 or 21 days by the hour): the demo store's counts, the harbour's none.
  await expect(change.locator('li[data-store="demo"]')).toContainText(/\d+ complaints in the 2[01] days before/);
  await expect(change.locator('li[data-store="harbour"] .srk-change__verdict')).toHaveText(tc.chance);
  await expect(page.locator('#srk-chart-compare-demo .srk-chart__change')).toHaveCount(1);
  await expectNoAxeViolations(page, 'admin chain changes');

  // The demo store's manager sees it on the tablet, for the whole chain, without removing it.
  const context = await browser.newContext();
  const tabletPage = await context.newPage();
  const tablet = new StaffTablet(tabletPage);
  await tablet.open(server.origin);
  await tablet.unlock('max', '135790', 'Max');
  await tabletPage.getByRole('button', { name: en.insights.open, exact: true }).click();
  const onTablet = tabletPage.locator('#srk-changes > li');
  await expect(onTablet).toHaveCount(1);
  await expect(onTablet).toContainText(tc.scope_chain);
  await expect(onTablet.getByRole('button', { name: fill(tc.remove, { label: 'Service training in every store' }) })).toBeHidden();
  await context.close();

  // Removed in the admin: gone.
  await change.getByRole('button', { name: fill(tc.remove, { label: 'Service training in every store' }) }).click();
  await expect(page.locator('#srk-admin-changes-list > li')).toHaveCount(0);
  await expect(page.getByText(a.compare.no_changes)).toBeVisible();
});

test("a store's manager says who hears of its cases; an area manager only reads it", async ({ page, server }) => {
  server.seedDemo();
  const r = a.recipients;
  await signInManager(page, server.origin, 'demo', 'max', '135790');
  const listed = page.locator('#srk-admin-recipients li');
  await expect(listed).toHaveText([r.none]);
  // An email address for everything about the store's work but spikes, quiet at night.
  await page.getByLabel(r.address).fill('floor@example.com');
  const rules = page.getByRole('group', { name: r.rules });
  await expect(rules.getByRole('checkbox')).toHaveCount(5);
  await rules.getByLabel(r.rule_spike).uncheck();
  await page.getByLabel(r.quiet).fill('22-07');
  await page.getByRole('button', { name: r.save }).click();
  await expect(page.locator('#srk-admin-recipient-outcome')).toHaveText(a.errors.recipient_quiet);
  await page.getByLabel(r.quiet).fill('22:00-07:00');
  await page.getByRole('button', { name: r.save }).click();
  await expect(page.locator('#srk-admin-recipient-outcome')).toHaveText(a.saved);
  const floor = page.locator('li[data-address="floor@example.com"]');
  await expect(floor).toContainText(r.rule_reopened);
  await expect(floor).not.toContainText(r.rule_spike);
  await expect(floor).toContainText(fill(r.quiet_line, { hours: '22:00-07:00' }));
  // A webhook may also ask customers who gave a phone number; its key is shown once.
  await page.getByLabel(r.webhook).check();
  await expect(rules.getByRole('checkbox')).toHaveCount(7);
  await page.getByLabel(r.address).fill(`${server.origin}/hook`);
  await rules.getByLabel(r.rule_ask_held).check();
  await page.getByRole('button', { name: r.save }).click();
  await expect(page.locator('#srk-admin-recipient-secret code')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.locator('li[data-address$="/hook"]')).toContainText(r.rule_ask_held);
  await expectNoAxeViolations(page, 'admin recipients');
  await page.getByRole('button', { name: fill(r.remove, { address: 'floor@example.com' }) }).click();
  await expect(floor).toHaveCount(0);
  await page.getByRole('button', { name: a.history }).click();
  const changes = page.locator('#srk-admin-changes li');
  await expect(changes.filter({ hasText: fill(a.what.recipient_saved, { subject: 'email floor@example.com' }) })).toContainText('Max (max@demo)');
  await expect(changes.filter({ hasText: fill(a.what.recipient_removed, { subject: 'email floor@example.com' }) })).toHaveCount(1);

  // The area manager sees who hears, and changes nothing.
  await page.getByRole('button', { name: a.sign_out }).click();
  await signInPerson(page, server.origin, 'ari', 'demo-area-ari');
  await expect(page.locator('#srk-admin-recipients li')).toHaveCount(1);
  await expect(page.locator('#srk-admin-recipient-form')).toHaveCount(0);
  await expect(page.locator('#srk-admin-recipients button')).toHaveCount(0);
  await expect(page.locator('#srk-admin-recipients')).not.toContainText(/[0-9a-f]{64}/);
});

test("a store's visits told in the admin give the comparison complaints per 1,000 visits", async ({ page, server }) => {
  server.seedDemo();
  // Two complaints yesterday (UTC, the browser's clock here too).
  const now = new Date();
  const yesterday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1, 10, 0);
  const day = new Date(yesterday).toISOString().slice(0, 10);
  await server.push([filedEvent('demo', 'Queue too long', yesterday), filedEvent('demo', 'Queue again', yesterday + 60_000)]);
  const v = a.visits;
  await signInManager(page, server.origin, 'demo', 'max', '135790');
  await expect(page.locator('#srk-admin-visits-none')).toHaveText(v.none);
  // The day asked is yesterday unless changed; a count that is not a number is refused.
  await expect(page.getByLabel(v.date, { exact: true })).toHaveValue(day);
  await page.getByLabel(v.count, { exact: true }).fill('-5');
  await page.getByRole('button', { name: v.save }).click();
  await expect(page.locator('#srk-admin-visits-outcome')).toHaveText(a.errors.number);
  await page.getByLabel(v.count, { exact: true }).fill('400');
  await page.getByRole('button', { name: v.save }).click();
  await expect(page.locator('#srk-admin-visits-outcome')).toHaveText(a.saved);
  await expect(page.locator('#srk-admin-visits tbody tr')).toHaveText([`${day}400`]);
  await expectNoAxeViolations(page, 'admin visits');

  // Yesterday compared: 2 complaints in 400 visits, 5.0 per 1,000.
  await page.getByRole('button', { name: a.compare.open }).click();
  await page.getByLabel(a.compare.from).fill(day);
  await page.getByLabel(a.compare.to).fill(day);
  await page.getByRole('button', { name: a.compare.show }).click();
  const row = page.locator('#srk-admin-compare tbody tr').first();
  await expect(row.locator('td').nth(0)).toHaveText('2');
  await expect(row.locator('td').nth(1)).toHaveText('5.0');
});
