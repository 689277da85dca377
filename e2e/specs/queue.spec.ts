// The staff queue leaves nothing out of sight: cases stand in sections (overdue, new, waiting for
// a manager, in progress, follow-ups due, to document), a resolved case stays until its
// documented close, and any case, open or closed, is found by its ticket code or the customer's
// name. Each test has its own server with the demo store (Ana 246810).
import { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { filedEvent } from '../support/server';
import { ticketCode } from '../support/tickets';
import { StaffTablet } from '../pages/staff-tablet';
import { fill } from '../support/locales';

/** The rows of the queue's section `key` (none when the section is not shown). */
const section = (page: Page, key: string): Locator =>
  page.locator('section.srk-queue__section', { has: page.locator(`#srk-section-${key}`) }).locator('li');

test('a resolved case stays in the queue until its documented close, and any case is found by code or name', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const now = Date.now();
  const late = filedEvent('demo', 'Waited 40 minutes at checkout', now - 60 * 60_000);
  const fresh = filedEvent('demo', 'Receipt printer out of paper', now - 60_000);
  fresh.kind.complaint.name = 'Sam Lee';
  await server.push([late, fresh]);
  const [lateCode, freshCode] = [ticketCode(late.case), ticketCode(fresh.case)];
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');

  // Sections, most pressing first, each with its count.
  await expect(section(page, 'overdue')).toHaveCount(1);
  await expect(section(page, 'overdue')).toHaveAttribute('data-ticket', lateCode);
  await expect(section(page, 'new')).toHaveAttribute('data-ticket', freshCode);
  await expect(page.locator('#srk-section-overdue')).toHaveText(`${t.section.overdue} 1`);
  await expect(page.locator('#srk-section-new')).toHaveText(`${t.section.new} 1`);
  await expectNoAxeViolations(page, 'staff queue in sections');

  // Resolved without a follow-up (no contact given), then back: the case waits to be documented.
  await tablet.openCase(lateCode);
  await tablet.acknowledge();
  await tablet.resolve('apology_only', '0', 'A coffee on us');
  await tablet.expectStatus('resolved');
  await tablet.back();
  await expect(section(page, 'to_document')).toHaveCount(1);
  await expect(section(page, 'to_document')).toHaveAttribute('data-ticket', lateCode);
  await expect(section(page, 'to_document')).not.toContainText(t.overdue);
  await expect(section(page, 'overdue')).toHaveCount(0);

  // Search: a code typed in lower case without its dash, a part of a name, nothing.
  const search = page.getByLabel(t.search_label);
  await search.fill(` ${freshCode.replace('-', '').toLowerCase()} `);
  await expect(page.locator('#srk-found li')).toHaveCount(1);
  await expect(page.locator('#srk-found li')).toHaveAttribute('data-ticket', freshCode);
  await expect(page.locator('#srk-found li')).toContainText(t.status.filed);
  await search.fill('lee');
  await expect(page.locator('#srk-found li')).toHaveAttribute('data-ticket', freshCode);
  await expect(page.locator('#srk-found li')).toContainText('Sam Lee');
  await expectNoAxeViolations(page, 'staff queue search results');
  await search.fill('nobody');
  await expect(page.locator('#srk-found-none')).toHaveText(fill(t.search_none, { query: 'nobody' }));
  await expect(page.locator('.srk-queue__section')).toHaveCount(0);

  // Documented and closed: it leaves the queue, and a search still finds it.
  await search.fill('');
  await tablet.openCase(lateCode);
  await tablet.close('process', 'one till open at peak', 'front desk', 'We had one till open at the busiest hour.');
  await tablet.back();
  await expect(section(page, 'to_document')).toHaveCount(0);
  await expect(page.locator(`#srk-queue li[data-ticket="${lateCode}"]`)).toHaveCount(0);
  await search.fill(lateCode);
  await expect(page.locator('#srk-found li')).toHaveAttribute('data-ticket', lateCode);
  await expect(page.locator('#srk-found li')).toContainText(t.status.closed);
  // A found case opens, and the search is still there on the way back.
  await page.getByRole('button', { name: fill(t.open_case, { ticket: lateCode }) }).click();
  await tablet.expectStatus('closed');
  await tablet.back();
  await expect(search).toHaveValue(lateCode);
  // Locking empties it: the next person starts from the queue.
  await tablet.lock();
  await tablet.unlock('ana', '246810', 'Ana');
  await expect(page.getByLabel(t.search_label)).toHaveValue('');
  await expect(section(page, 'new')).toHaveAttribute('data-ticket', freshCode);
});

test('a section of many cases shows its 50 most urgent, and the rest at a tap, focus on the first of them', async ({
  page,
  server,
}) => {
  server.seedDemo();
  const now = Date.now();
  // 60 new complaints, a second apart: the oldest is the most urgent (the earliest deadline).
  const filed = Array.from({ length: 60 }, (_, i) =>
    filedEvent('demo', `Queue of many, complaint ${i}`, now - 2 * 60_000 + i * 1_000),
  );
  await server.push(filed);
  const tablet = new StaffTablet(page);
  const t = tablet.t;
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await expect(page.locator('#srk-section-new')).toHaveText(`${t.section.new} 60`);
  await expect(section(page, 'new')).toHaveCount(50);
  await expect(section(page, 'new').first()).toHaveAttribute('data-ticket', ticketCode(filed[0].case));
  const more = page.getByRole('button', { name: fill(t.show_all, { count: 60 }) });
  await expectNoAxeViolations(page, 'a queue section with more cases than it shows');
  await more.click();
  await expect(section(page, 'new')).toHaveCount(60);
  await expect(more).toHaveCount(0);
  // The eye goes on where the list went on: the 51st case.
  await expect(section(page, 'new').nth(50).getByRole('button')).toBeFocused();
  await expect(section(page, 'new').nth(50)).toHaveAttribute('data-ticket', ticketCode(filed[50].case));
});

test('a tablet whose browser refuses to keep cases says so, and works from memory', async ({ page, server }) => {
  server.seedDemo();
  // The browser refuses the tablet's case store (as when its storage is full); its other
  // storage still works.
  await page.addInitScript(() => {
    const open = indexedDB.open.bind(indexedDB);
    indexedDB.open = ((name: string, version?: number) => {
      if (name.startsWith('srk1-staff-')) throw new DOMException('refused for the test', 'QuotaExceededError');
      return open(name, version);
    }) as typeof indexedDB.open;
  });
  const filed = filedEvent('demo', 'Storage refused, still on the queue');
  await server.push([filed]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await expect(page.locator('#srk-cases-not-kept')).toHaveText(tablet.t.cases_not_kept);
  await expectNoAxeViolations(page, 'a tablet that cannot keep its cases');
  await tablet.openCase(ticketCode(filed.case));
  await tablet.acknowledge();
  await expect(page.locator('#srk-outbox')).toHaveText(tablet.t.all_sent);
  await expect(page.locator('#srk-cases-not-kept')).toBeVisible();
});

test("a tablet signing in shows its queue before the store's older cases, and a sign-in cut off is done again missing none", async ({
  page,
  server,
}) => {
  // 2,500 cases, about a third of them in the queue: one page (1,000 a page) of the queue's
  // part, then two of the rest.
  server.seedDemo(2_500, 5);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let cut = 0;
  await page.route(/\/api\/v1\/stores\/demo\/cases\?.*part=rest/, async (route) => {
    await held;
    if (/after=[1-9]/.test(route.request().url()) && cut++ === 0) return route.abort('connectionreset');
    return route.continue();
  });
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('max', '135790', 'Max');
  // The rest is held back: the queue is there already, and says what it still reads.
  await expect(page.locator('#srk-reading')).toHaveText(tablet.t.reading_store);
  await expect(page.locator('section.srk-queue__section li').first()).toBeVisible();
  // The queue's cases are as of now, not "none fetched yet".
  await expect(page.locator('#srk-updated')).toContainText(tablet.t.updated.split('{{')[0].trim());
  await expectNoAxeViolations(page, 'staff queue while the store is read');
  release();
  // Cut off after the rest's first page: signed in again, every case kept, each whole (none
  // left with only the steps after the cut).
  await expect.poll(() => cut).toBeGreaterThanOrEqual(1);
  await tablet.refresh();
  await expect.poll(() => tablet.keptCount(), { timeout: 30_000 }).toBe(2500);
  await expect(page.locator('#srk-reading')).toHaveCount(0);
});
