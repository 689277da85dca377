// Nothing forged, on a real shared tablet: two people who signed in online earlier both work
// offline on one tablet, and once it reconnects each step is on the server as taken by the
// person who took it (signed with their own key, whoever's session carries the push); a
// tablet whose session is ended on the server says so in words and asks for an online sign-in.
import { expect, test } from '../support/fixtures';
import { StaffTablet } from '../pages/staff-tablet';
import { filedEvent } from '../support/server';
import { ticketCode } from '../support/tickets';

test('two people working offline on one tablet both get their steps accepted as theirs', async ({ page, server }) => {
  server.seedDemo();
  const first = filedEvent('demo', 'The card terminal charged me twice');
  const second = filedEvent('demo', 'Nobody at the fitting rooms for 20 minutes');
  await server.push([first, second]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  // Both sign in online once on this tablet; Max last, so the tablet holds his session.
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(ticketCode(first.case));
  await tablet.lock();
  await tablet.unlock('max', '135790', 'Max');
  await tablet.openCase(ticketCode(second.case));
  await tablet.lock();

  // The network goes; each unlocks with their PIN and takes a step.
  await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(ticketCode(first.case));
  await tablet.acknowledge();
  await tablet.toQueue();
  await tablet.lock();
  await tablet.unlock('max', '135790', 'Max');
  await tablet.openCase(ticketCode(second.case));
  await tablet.acknowledge();
  await tablet.expectWaiting(2);

  // Back online: both steps go with Max's session, and both are accepted as their author's.
  await page.unrouteAll();
  await tablet.synced();
  await expect(tablet.refused).toHaveCount(0);
  const acks = (await server.stored('demo')).filter((e) => e.kind.type === 'acknowledged');
  const byCase = new Map(acks.map((e) => [e.case, e]));
  expect(byCase.get(first.case).kind.by.staff).toBe('ana');
  expect(byCase.get(second.case).kind.by.staff).toBe('max');
  // Each carries its author's signature, by a different key.
  const keys = [byCase.get(first.case).proof.key, byCase.get(second.case).proof.key];
  expect(keys.every((k) => /^[0-9a-f]{32}$/.test(k))).toBe(true);
  expect(keys[0]).not.toBe(keys[1]);
});

test('a tablet whose session was ended on the server asks for an online sign-in in words', async ({
  page,
  server,
}) => {
  server.seedDemo();
  await server.push([filedEvent('demo', 'Receipt printer out of paper')]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await expect(page.locator('#srk-queue li')).toHaveCount(1);
  // An operator deactivates Ana: her session and key end at once.
  server.admin(['deactivate-staff', '--store', 'demo', '--id', 'ana']);
  await tablet.refresh();
  await expect(page.locator('#srk-updated')).toHaveText(tablet.t.signed_out);
  await tablet.lock();
  await expect(page.getByText(tablet.t.signed_out)).toBeVisible();
  // Max signs in online: the tablet works again and the words go.
  await tablet.unlock('max', '135790', 'Max');
  await expect(page.locator('#srk-updated')).not.toHaveText(tablet.t.signed_out);
});

test('staff see on the tablet when the public went over their store\'s daily budget', async ({ page, server }) => {
  await server.restartWith(['--rate-limit', '0', '--store-events-per-day', '2']);
  const answers: number[] = [];
  for (const text of ['One', 'Two', 'Three']) {
    const r = await fetch(`${server.origin}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [filedEvent('demo', `Flood ${text}`)] }),
    });
    answers.push(r.status);
  }
  expect(answers).toEqual([200, 200, 429]);
  const tablet = new StaffTablet(page);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.locator('#srk-alerts li[data-kind="budget"]')).toHaveText(
    tablet.t.insights.alert_budget.replace('{{ date }}', today),
  );
});
