// Markers for changes on the manager's insights screen: a manager marks a change, sees the
// complaints it concerns before and after it with the verdict, and removes one; the words in
// every language, axe clean. Each test has a server of its own.
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { fill, staffStrings } from '../support/locales';
import { filedEvent } from '../support/server';
import { StaffTablet } from '../pages/staff-tablet';

const en = staffStrings('en');
const tc = en.changes;
const day = 24 * 3_600_000;

/** `YYYY-MM-DD` of a moment, in UTC (the tablet's clock in these tests). */
function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

test('a manager marks changes and sees which moved the complaints, then removes one', async ({ page, server }) => {
  server.seedDemo();
  // Planted: at the checkout one complaint a day for 40 days, then four a day since the
  // change 10 days ago; at the front desk one a day throughout.
  const change = Date.parse(`${isoDay(Date.now() - 10 * day)}T00:00:00Z`);
  const events: any[] = [];
  const at = (touchpoint: string, when: number) => {
    const e = filedEvent('demo', `Complaint at ${touchpoint}`, when);
    e.origin.touchpoint = touchpoint;
    events.push(e);
  };
  for (let t = change - 40 * day + 12 * 3_600_000; t < Date.now(); t += day) {
    at('front-desk', t);
    at('checkout-2', t);
    if (t > change) for (const h of [3, 6, 9]) at('checkout-2', t + h * 3_600_000 - 11 * 3_600_000);
  }
  const pushed = events.filter((e) => e.at < Date.now());
  const token = await server.session('demo', 'max', '135790');
  for (let i = 0; i < pushed.length; i += 100) {
    const results = await server.pushWith(pushed.slice(i, i + 100), { token });
    expect(results.every((r: any) => r.status === 'stored')).toBe(true);
  }

  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('max', '135790', 'Max');
  await page.getByRole('button', { name: en.insights.open, exact: true }).click();
  await expect(page.locator('#srk-changes-title')).toHaveText(tc.title);
  await expect(page.locator('#srk-changes-none')).toHaveText(tc.none);

  // Marked at the checkout: more than chance. At the front desk: could be chance.
  const mark = async (label: string, touchpoint: string) => {
    await page.getByLabel(tc.date, { exact: true }).fill(isoDay(change));
    await page.getByLabel(tc.kind_label, { exact: true }).selectOption('upgrade');
    await page.getByLabel(tc.label, { exact: true }).fill(label);
    await page.getByLabel(tc.touchpoint, { exact: true }).selectOption(touchpoint);
    await page.getByRole('button', { name: tc.submit }).click();
    await expect(page.locator('#srk-changes-said')).toHaveText(tc.saved);
  };
  await mark('Card terminals upgraded', 'checkout-2');
  await mark('New door chime', 'front-desk');
  const items = page.locator('#srk-changes > li');
  await expect(items).toHaveCount(2);
  const tills = items.filter({ hasText: 'Card terminals upgraded' });
  await expect(tills).toContainText(fill(tc.line, { date: isoDay(change), label: 'Card terminals upgraded' }));
  await expect(tills).toContainText(fill(tc.by, { name: 'Max' }));
  await expect(tills.locator('.srk-change__verdict')).toHaveText(tc.significant);
  const counts = (await tills.textContent())!.match(/(\d+) complaints in the (\d+) days before, (\d+) in/)!;
  const [before, days, after] = [Number(counts[1]), Number(counts[2]), Number(counts[3])];
  expect(days).toBeGreaterThanOrEqual(10);
  expect(after).toBeGreaterThan(3 * before);
  const desk = items.filter({ hasText: 'New door chime' });
  await expect(desk.locator('.srk-change__verdict')).toHaveText(tc.chance);
  // The control chart draws the day of the changes and names them in its table.
  await expect(page.locator('#srk-chart-control .srk-chart__change')).toHaveCount(1);
  const row = page.locator('#srk-chart-control tbody tr').filter({ hasText: isoDay(change) });
  await expect(row.locator('td').last()).toContainText('Card terminals upgraded');
  await expect(row.locator('td').last()).toContainText('New door chime');
  await expectNoAxeViolations(page, 'insights with marked changes');

  // A label the rules refuse is said in words, and nothing is marked.
  await page.getByLabel(tc.label, { exact: true }).fill('x'.repeat(120));
  await page.getByLabel(tc.label, { exact: true }).evaluate((e: HTMLInputElement) => {
    e.removeAttribute('maxlength');
    e.value = 'y'.repeat(121);
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.getByRole('button', { name: tc.submit }).click();
  await expect(page.locator('#srk-changes-said')).toHaveText(tc.errors.label_too_long);
  await expect(items).toHaveCount(2);

  // Removed, it is gone here and on the server.
  await page.getByRole('button', { name: fill(tc.remove, { label: 'New door chime' }) }).click();
  await expect(page.locator('#srk-changes-said')).toHaveText(tc.removed);
  await expect(items).toHaveCount(1);
  await expect(row.locator('td').last()).toHaveText('Card terminals upgraded');
  const kept = await fetch(`${server.origin}/api/v1/stores/demo/markers`, { headers: { authorization: `Bearer ${token}` } });
  const { markers } = await kept.json();
  expect(markers.map((m: any) => [m.label, m.touchpoint, m.kind, m.by])).toEqual([
    ['Card terminals upgraded', 'checkout-2', 'upgrade', 'max'],
  ]);

  // In every language, the same verdict in its own words.
  for (const lang of ['id', 'ms', 'sv'] as const) {
    const t = staffStrings(lang).changes;
    await page.locator('#srk-lang').selectOption(lang);
    await expect(page.locator('#srk-changes-title')).toHaveText(t.title);
    await expect(page.locator('#srk-changes .srk-change__verdict')).toHaveText(t.significant);
  }
  await expectNoAxeViolations(page, 'marked changes in Swedish');
});
