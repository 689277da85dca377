// Staff on a shared tablet: unlock with a personal PIN (online, then offline from the kept
// hash), wrong PINs wait longer and finally lock, staff mode locks itself when idle or handed
// back (a person's drafts waiting for them alone), and the queue shows the store's cases from
// the server. Each test has its own server
// with the demo store (Ana 246810, Max 135790).
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { filedEvent } from '../support/server';
import { fill, staffStrings } from '../support/locales';

const en = staffStrings('en');

async function unlock(page: Page, who: string, pin: string) {
  await page.getByLabel(en.person).fill(who);
  await page.getByLabel(en.pin).fill(pin);
  await page.getByRole('button', { name: en.unlock }).click();
}

const offline = (page: Page) => page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));

test('staff unlock online, see the store\'s cases most urgent first, and lock again', async ({ page, server }) => {
  server.seedDemo();
  const now = Date.now();
  const old = filedEvent('demo', 'Waited 40 minutes at checkout', now - 60 * 60_000);
  const fresh = filedEvent('demo', 'Receipt printer out of paper', now - 60_000);
  await server.push([fresh, old]);
  await page.goto(`${server.origin}/staff/demo`);
  await expect(page.getByRole('heading', { name: en.unlock_title })).toBeVisible();
  await expectNoAxeViolations(page, 'staff unlock');
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-signed-in')).toHaveText(fill(en.signed_in_as, { name: 'Ana' }));
  // The workspace is named with the person, never with a raw placeholder.
  await expect(page.getByRole('region', { name: fill(en.signed_in_as, { name: 'Ana' }) })).toBeVisible();
  const rows = page.locator('#srk-queue li');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Waited 40 minutes at checkout');
  await expect(rows.nth(0)).toContainText(en.overdue);
  await expect(rows.nth(1)).toContainText('Receipt printer out of paper');
  await expect(rows.nth(1)).not.toContainText(en.overdue);
  await expectNoAxeViolations(page, 'staff queue');
  await page.getByRole('button', { name: en.lock }).click();
  await expect(page.getByRole('heading', { name: en.unlock_title })).toBeVisible();
  // The PIN is never kept: only Ana's signing key, sealed under a slow key derived from it.
  const kept = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  expect(kept).not.toContain('246810');
  const roster = await page.evaluate(() => JSON.parse(localStorage.getItem('srk1:staff:demo:roster')!));
  expect(roster.pins).toBeUndefined();
  expect(roster.keys).toHaveLength(1);
  expect(roster.keys[0].staff).toBe('ana');
  expect(roster.keys[0].key_id).toMatch(/^[0-9a-f]{32}$/);
  expect(roster.keys[0].rounds).toBeGreaterThanOrEqual(100_000);
  // A 32-byte seed and its 16-byte tag, sealed.
  expect(roster.keys[0].sealed).toMatch(/^[0-9a-f]{96}$/);
});

test('after one online sign-in the PIN works offline, and the queue shows what the tablet has', async ({
  page,
  server,
}) => {
  server.seedDemo();
  await server.push([filedEvent('demo', 'Fitting room light broken')]);
  await page.goto(`${server.origin}/staff/demo`);
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-queue li')).toHaveCount(1);
  await page.getByRole('button', { name: en.lock }).click();
  await offline(page);
  await page.reload();
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-signed-in')).toHaveText(fill(en.signed_in_as, { name: 'Ana' }));
  await expect(page.locator('#srk-queue li')).toContainText('Fitting room light broken');
  await page.getByRole('button', { name: en.refresh }).click();
  await expect(page.locator('#srk-updated')).toHaveText(en.refresh_failed);
  // Someone who never signed in online on this tablet cannot unlock offline.
  await page.getByRole('button', { name: en.lock }).click();
  await unlock(page, 'max', '135790');
  await expect(page.locator('#srk-unlock-problem')).toHaveText(en.needs_online);
});

test('wrong PINs wait longer each time, even for the right PIN', async ({ page, server }) => {
  server.seedDemo();
  await page.goto(`${server.origin}/staff/demo`);
  for (let i = 0; i < 2; i++) {
    await unlock(page, 'ana', '000000');
    await expect(page.locator('#srk-unlock-problem')).toHaveText(en.wrong_pin);
  }
  await unlock(page, 'ana', '000000');
  await expect(page.locator('#srk-unlock-problem')).toHaveText(en.wrong_pin);
  // The third failure asks for 5 seconds of patience, even with the right PIN.
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-unlock-problem')).toHaveText(/5/);
  await expect(page.locator('#srk-signed-in')).toHaveCount(0);
  await expectNoAxeViolations(page, 'staff unlock with a problem');
});

test('offline, the tenth wrong PIN locks staff mode for 15 minutes or until an online sign-in', async ({ page, server }) => {
  server.seedDemo();
  await page.goto(`${server.origin}/staff/demo`);
  await unlock(page, 'ana', '246810');
  await page.getByRole('button', { name: en.lock }).click();
  // Nine failures already on this tablet, the latest just over the longest wait (5 minutes) ago
  // and so still remembered (failures are forgotten after 15 quiet minutes): one more locks it.
  await page.evaluate(() => {
    const key = 'srk1:staff:demo:roster';
    const roster = JSON.parse(localStorage.getItem(key)!);
    roster.throttle = { failures: 9, last_failure: Date.now() - 301_000 };
    localStorage.setItem(key, JSON.stringify(roster));
  });
  await offline(page);
  await page.reload();
  await unlock(page, 'ana', '111111');
  await expect(page.locator('#srk-unlock-problem')).toHaveText(en.wrong_pin);
  // Even the right PIN waits until the lock lifts by itself, 15 minutes (900 s) after that failure.
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-unlock-problem')).toHaveText(/\b(8[5-9]\d|900)\b/);
  await expect(page.locator('#srk-signed-in')).toHaveCount(0);
  // Back online, the server (which never saw those failures) lets Ana in and the count resets.
  await page.unrouteAll();
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-signed-in')).toBeVisible();
});

test('staff mode locks itself when nobody touches the tablet', async ({ page, server }) => {
  server.seedDemo();
  await page.goto(`${server.origin}/staff/demo?staff_idle=1500`);
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-signed-in')).toBeVisible();
  await expect(page.getByRole('heading', { name: en.unlock_title })).toBeVisible({ timeout: 5_000 });
});

test('what a person typed on a case survives the idle lock for them alone, on the case they had open', async ({ page, server }) => {
  server.seedDemo();
  const filed = filedEvent('demo', 'The card reader charged me twice');
  await server.push([filed]);
  // Idle after 4 s: long enough for every step below, which touches the tablet as it goes.
  await page.goto(`${server.origin}/staff/demo?staff_idle=4000`);
  await unlock(page, 'ana', '246810');
  const open = page.locator('#srk-queue li').first().getByRole('button');
  await open.click();
  await page.getByRole('button', { name: en.ack_button }).click();
  await page.getByLabel(en.note_label).fill('Two charges of 4.50 on the statement');
  await page.getByLabel(en.reason_label).fill('Needs the till log');
  // Nobody touches the tablet: it locks, and the case with its half-typed text leaves the screen.
  await expect(page.getByRole('heading', { name: en.unlock_title })).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('#srk-note')).toHaveCount(0);
  // Max signs in: the queue, and on that case empty fields.
  await unlock(page, 'max', '135790');
  await expect(page.locator('#srk-queue-title')).toBeVisible();
  await page.locator('#srk-queue li').first().getByRole('button').click();
  await expect(page.getByLabel(en.note_label)).toHaveValue('');
  await expect(page.getByLabel(en.reason_label)).toHaveValue('');
  await page.getByRole('button', { name: en.lock }).click();
  // Ana is back on her case, with what she typed.
  await unlock(page, 'ana', '246810');
  await expect(page.locator('#srk-case-title')).toBeVisible();
  await expect(page.getByLabel(en.note_label)).toHaveValue('Two charges of 4.50 on the statement');
  await expect(page.getByLabel(en.reason_label)).toHaveValue('Needs the till log');
  // Once recorded, the note is no draft any more.
  await page.getByRole('button', { name: en.note_button }).click();
  await expect(page.locator('#srk-notes')).toContainText('Two charges of 4.50');
  await page.getByRole('button', { name: en.lock }).click();
  await unlock(page, 'ana', '246810');
  await expect(page.getByLabel(en.note_label)).toHaveValue('');
  await expect(page.getByLabel(en.reason_label)).toHaveValue('Needs the till log');
});

test('the staff app speaks the four languages', async ({ page, server }) => {
  server.seedDemo();
  await page.goto(`${server.origin}/staff/demo`);
  for (const lang of ['id', 'ms', 'sv', 'en'] as const) {
    await page.locator('#srk-lang').selectOption(lang);
    await expect(page.locator('h1')).toHaveText(staffStrings(lang).unlock_title);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    // The tab's title follows the language (the store's name once the tablet knows it).
    await expect(page).toHaveTitle(fill(staffStrings(lang).title, { store: 'demo' }));
  }
});

test('on a 1024x768 tablet the queue starts above the fold, and opening a case or a screen shows its top and focuses its heading', async ({ page, server }) => {
  server.seedDemo();
  const now = Date.now();
  // Enough cases that the last one's button lies below the fold.
  const events = Array.from({ length: 14 }, (_, i) => filedEvent('demo', `Complaint number ${i}`, now - (i + 1) * 60_000));
  await server.push(events);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`${server.origin}/staff/demo`);
  await unlock(page, 'max', '135790');
  const open = page.getByRole('button', { name: new RegExp(en.open_case.replace('{{ ticket }}', '.+')) });
  await expect(open).toHaveCount(14);
  // The queue starts above the fold, under a compact workspace.
  const firstBottom = await open.first().evaluate((b) => b.getBoundingClientRect().bottom);
  expect(firstBottom).toBeLessThan(768);
  await open.last().scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  // The heading is focused and at the top of the screen, not where the queue was scrolled to.
  const focusedAtTop = async (id: string) => {
    await expect(page.locator(`#${id}`)).toBeFocused();
    const top = await page.locator(`#${id}`).evaluate((h) => h.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(100);
  };
  await open.last().click();
  await focusedAtTop('srk-case-title');
  await page.getByRole('button', { name: en.back }).click();
  await focusedAtTop('srk-queue-title');
  await page.getByRole('button', { name: en.insights.open }).click();
  await focusedAtTop('srk-insights-title');
  await expectNoAxeViolations(page, 'insights opened');
});
