// The customer's own ticket page (/t/#<case>.<secret>): the case's timeline, the resolution and
// the rating form; a rating reaches the server once, also after going offline; after closing
// the rating is read-only; wrong secrets and broken links say so; four languages; axe-core in
// every state. Each test has its own server with the demo store (Ana: staff, limit 25.00).
import { Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { LANGS, fill, strings, ticketStrings } from '../support/locales';
import { OwnServer } from '../support/server';
import { Case, ana, fileCase, ratedOnServer, step } from '../support/tickets';
import { StaffTablet } from '../pages/staff-tablet';

const en = ticketStrings('en');
const customer = strings('en');

async function close(server: OwnServer, c: Case) {
  const closed = step(c.filed, Date.now(), {
    type: 'closed',
    by: ana,
    cause: {
      category: 'process',
      sub_cause: 'one till open at peak',
      departments: ['front desk'],
      people: ['ana'],
      explanation: 'Only one till was open at the busiest hour. We now open a second one.',
    },
  });
  const results = await server.pushWith([closed], { token: await server.session('demo', 'ana', '246810') });
  expect(results[0].status).toBe('stored');
}

async function rate(page: Page, stars: 'one' | 'two' | 'three' | 'four' | 'five', comment: string) {
  await page.getByRole('radio', { name: en.stars[stars] }).check();
  await page.getByLabel(en.comment_label).fill(comment);
  await page.getByRole('button', { name: en.submit }).click();
}

const offline = (page: Page) => page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
const online = async (page: Page) => {
  await page.unroute('**/api/v1/**');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
};

test.use({ locale: 'en-GB' });

test('the customer sees the timeline and resolution, rates 4 stars, then changes it to 5', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(c.link);
  await expect(page.getByRole('heading', { level: 1, name: en.title })).toBeVisible();
  await expect(page.locator('#srk-tk-code')).toHaveText(c.code);
  await expect(page.locator('#srk-tk-store')).toHaveText('Demo store');
  await expect(page.locator('#srk-tk-place')).toHaveText('Checkout 2');
  await expect(page.locator('#srk-tk-status')).toHaveText(en.status.resolved);
  await expect(page.locator('#srk-tk-category')).toHaveText(customer.category.waiting);
  await expect(page.locator('#srk-tk-description')).toHaveText('Waited 40 minutes at checkout');
  const timeline = page.locator('#srk-tk-timeline > li');
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toContainText(en.step.filed);
  await expect(timeline.nth(1)).toContainText(en.step.acknowledged);
  await expect(timeline.nth(2)).toContainText(en.step.resolved);
  await expect(page.locator('#srk-tk-remedy')).toHaveText(en.remedy.voucher);
  await expect(page.locator('#srk-tk-value')).toHaveText(fill(en.value, { amount: '€12.50' }));
  await expect(page.locator('#srk-tk-gesture')).toHaveText(fill(en.gesture, { gesture: 'a free coffee' }));
  await expect(page.locator('#srk-tk-stale')).toBeHidden();
  await expect(page.getByRole('radio')).toHaveCount(5);
  await expectNoAxeViolations(page, 'ticket resolved, not rated');

  // Nothing chosen: the page asks for stars and sends nothing.
  await page.getByRole('button', { name: en.submit }).click();
  await expect(page.locator('#srk-tk-problem')).toHaveText(en.choose_stars);
  await expectNoAxeViolations(page, 'ticket rating without stars');

  await rate(page, 'four', 'Kind staff,\nquick fix');
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_sent);
  await expect(page.locator('#srk-tk-problem')).toHaveText('');
  let rated = await ratedOnServer(server, c);
  expect(rated).toHaveLength(1);
  expect(rated[0].kind).toEqual({ type: 'rated', stars: 4, comment: 'Kind staff,\nquick fix' });
  expect(rated[0].origin.store).toBe('demo');
  expect(rated[0].origin.touchpoint).toBe('checkout-2');
  // The page fetched the news: the rating is on the timeline and stays in the form.
  await expect(timeline).toHaveCount(4);
  await expect(timeline.nth(3)).toContainText(en.step.rated);
  await expect(page.getByRole('radio', { name: en.stars.four })).toBeChecked();
  await expect(page.locator('#srk-tk-counter')).toHaveText(fill(customer.counter, { count: 21, max: 1000 }));
  await expectNoAxeViolations(page, 'ticket rated');

  await page.getByRole('radio', { name: en.stars.five }).check();
  await page.getByRole('button', { name: en.submit }).click();
  await expect(timeline).toHaveCount(5);
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_sent);
  rated = await ratedOnServer(server, c);
  expect(rated).toHaveLength(2);
  const latest = rated.reduce((a, b) => (b.at > a.at ? b : a));
  expect(latest.kind.stars).toBe(5);
  const view = await (
    await fetch(`${server.origin}/api/v1/tickets/${c.code}`, { headers: { 'x-ticket-secret': c.secret } })
  ).json();
  expect(view.rating).toEqual({ stars: 5, comment: 'Kind staff,\nquick fix' });
  await page.reload();
  await expect(page.getByRole('radio', { name: en.stars.five })).toBeChecked();
  // The page keeps its own entries only, never the complaint page's.
  const keys = await page.evaluate(() => Object.keys(localStorage));
  expect(keys.every((k) => k.startsWith('srk1:tk:'))).toBe(true);
});

test('offline the page shows what it last saw, keeps a rating and sends it once when back', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(c.link);
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(3);
  await offline(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: en.title })).toBeVisible();
  await expect(page.locator('#srk-tk-stale')).toContainText(en.offline_seen.split('{{')[0].trim());
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(3);
  await expect(page.locator('#srk-tk-remedy')).toHaveText(en.remedy.voucher);
  await expectNoAxeViolations(page, 'ticket offline, last view');

  await rate(page, 'three', 'Fine in the end');
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_pending);
  await expect(page.getByRole('status').filter({ hasText: en.sync_pending })).toHaveCount(1);
  await expectNoAxeViolations(page, 'ticket offline, rating waiting');
  expect(await ratedOnServer(server, c)).toHaveLength(0);
  // Still waiting after a reload while offline.
  await page.reload();
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_pending);
  await expect(page.getByRole('radio', { name: en.stars.three })).toBeChecked();

  await online(page);
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_sent);
  await expect(page.locator('#srk-tk-stale')).toBeHidden();
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(4);
  // Another return of the network sends nothing again.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(500);
  const rated = await ratedOnServer(server, c);
  expect(rated).toHaveLength(1);
  expect(rated[0].kind).toEqual({ type: 'rated', stars: 3, comment: 'Fine in the end' });
});

test('a rating the server refuses says why; after closing the rating is read-only', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(c.link);
  await expect(page.getByRole('radio')).toHaveCount(5);
  // Staff close the case while the page still shows it resolved.
  await close(server, c);
  await rate(page, 'two', '');
  await expect(page.locator('#srk-tk-sync')).toHaveText(fill(en.sync_rejected, { reason: customer.reject.refused }));
  await expectNoAxeViolations(page, 'ticket rating refused');
  expect(await ratedOnServer(server, c)).toHaveLength(0);

  await page.reload();
  await expect(page.locator('#srk-tk-status')).toHaveText(en.status.closed);
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expect(page.locator('#srk-tk-rated')).toHaveText(en.closed_unrated);
  await expect(page.locator('#srk-tk-explanation')).toHaveText(
    'Only one till was open at the busiest hour. We now open a second one.',
  );
  await expect(page.locator('#srk-tk-timeline > li').last()).toContainText(en.step.closed);
  // What staff wrote for themselves never reaches the customer's page.
  await expect(page.locator('main')).not.toContainText('one till open at peak');
  await expect(page.locator('main')).not.toContainText('I am sorry you had to wait.');
  await expectNoAxeViolations(page, 'ticket closed');
});

test('a rating given before closing is shown read-only after it', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(c.link);
  await rate(page, 'four', 'Good');
  await expect(page.locator('#srk-tk-sync')).toHaveText(en.sync_sent);
  await close(server, c);
  await page.reload();
  await expect(page.locator('#srk-tk-status')).toHaveText(en.status.closed);
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expect(page.getByRole('button', { name: en.submit })).toHaveCount(0);
  await expect(page.locator('#srk-tk-rated')).toHaveText(fill(en.rated_closed, { stars: 4 }));
  await expect(page.locator('#srk-tk-rated-comment')).toHaveText('Good');
  await expectNoAxeViolations(page, 'ticket closed, rated');
});

test('a rating being written survives the page fetching the news again', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(c.link);
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(3);
  await page.getByRole('radio', { name: en.stars.three }).check();
  await page.getByLabel(en.comment_label).fill('Half written');
  // The network comes back twice: each time the page fetches the case again.
  for (let i = 0; i < 2; i++) {
    const fetched = page.waitForResponse((r) => r.url().includes('/api/v1/tickets/'));
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await fetched;
  }
  await expect(page.getByRole('radio', { name: en.stars.three })).toBeChecked();
  await expect(page.getByLabel(en.comment_label)).toHaveValue('Half written');
  await expect(page.getByLabel(en.comment_label)).toBeFocused();
  expect(await ratedOnServer(server, c)).toHaveLength(0);
});

test('before the fix the page says a rating comes later', async ({ page, server }) => {
  const c = await fileCase(server, { resolve: false });
  await page.goto(c.link);
  await expect(page.locator('#srk-tk-status')).toHaveText(en.status.acknowledged);
  await expect(page.locator('#srk-tk-rate-later')).toHaveText(en.rate_later);
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expectNoAxeViolations(page, 'ticket acknowledged');
});

test('a wrong secret is "not found", a link without or with a broken fragment is incomplete', async ({
  page,
  server,
}) => {
  const c = await fileCase(server);
  await page.goto(`${server.origin}/t/#${c.filed.case}.${randomBytes(32).toString('base64url')}`);
  await expect(page.getByRole('heading', { level: 1, name: en.not_found_title })).toBeVisible();
  await expect(page.locator('#srk-tk-message')).toHaveText(en.not_found_body);
  await expectNoAxeViolations(page, 'ticket not found');
  for (const address of ['/t/', '/t', `/t/#${c.filed.case}`, `/t/#not-a-case.${c.secret}`, `/t/#${c.filed.case}.short`]) {
    await page.goto('about:blank');
    await page.goto(`${server.origin}${address}`);
    await expect(page.getByRole('heading', { level: 1, name: en.incomplete_title }), address).toBeVisible();
  }
  await expectNoAxeViolations(page, 'ticket link incomplete');
});

test('corrupted storage and a garbage answer never break the page', async ({ page, server }) => {
  const c = await fileCase(server);
  await page.goto(`${server.origin}/t/`);
  await page.evaluate((caseId) => {
    localStorage.setItem(`srk1:tk:view:${caseId}`, '{"v":1,"seen_at":5,"view":{"ticket":');
    localStorage.setItem(`srk1:tk:rating:${caseId}`, '[1,2,3]');
  }, c.filed.case);
  await offline(page);
  await page.goto('about:blank');
  await page.goto(c.link);
  await expect(page.getByRole('heading', { level: 1, name: en.offline_title })).toBeVisible();
  await expectNoAxeViolations(page, 'ticket offline, nothing kept');
  // The garbage answer first, then the network back: in between, the page's own retry would
  // fetch (and keep) the real view, and the next page would show that instead.
  await page.route('**/api/v1/tickets/**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"ticket":42}' }));
  await page.unroute('**/api/v1/**');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: en.problem_title })).toBeVisible();
  await page.unroute('**/api/v1/tickets/**');
  await page.reload();
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(3);
  // A garbage answer after a good one shows the kept view and says why.
  await page.route('**/api/v1/tickets/**', (route) => route.fulfill({ status: 200, body: 'not json' }));
  await page.reload();
  await expect(page.locator('#srk-tk-stale')).toContainText(en.bad_answer_seen.split('{{')[0].trim());
  await expect(page.locator('#srk-tk-timeline > li')).toHaveCount(3);
});

for (const lang of LANGS) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale: lang === 'en' ? 'en-GB' : `${lang}-${lang === 'sv' ? 'SE' : lang === 'id' ? 'ID' : 'MY'}` });
    test(`the ticket page speaks ${lang}`, async ({ page, server }) => {
      const t = ticketStrings(lang);
      const c = await fileCase(server);
      await page.goto(c.link);
      await expect(page.getByRole('heading', { level: 1, name: t.title })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page).toHaveTitle(t.title);
      await expect(page.locator('#srk-tk-status')).toHaveText(t.status.resolved);
      await expect(page.locator('#srk-tk-remedy')).toHaveText(t.remedy.voucher);
      await expect(page.getByRole('radio', { name: t.stars.five })).toBeVisible();
      await expect(page.locator('#srk-tk-category')).toHaveText(strings(lang).category.waiting);
      await expectNoAxeViolations(page, `ticket in ${lang}`);
    });
  });
}

test('when the follow-up is due the customer says the fix did not hold, and the case reopens on the tablet', async ({
  page,
  server,
  browser,
}) => {
  const c = await fileCase(server, { followUpAt: Date.now() - 60_000 });
  await page.goto(c.link);
  await expect(page.getByRole('heading', { name: en.held_title })).toBeVisible();
  await expectNoAxeViolations(page, 'the ticket asking whether the fix held');
  await page.getByRole('button', { name: en.held_submit }).click();
  await expect(page.locator('#srk-tk-held-problem')).toHaveText(en.held_required);
  await page.getByRole('radio', { name: en.held_no }).check();
  await page.locator('#srk-tk-held-comment').fill('The reader charged me twice again.');
  await page.getByRole('button', { name: en.held_submit }).click();
  await expect(page.locator('#srk-tk-held-sync')).toHaveText(en.held_thanks_no);
  await expect(page.locator('#srk-tk-status')).toHaveText(en.status.reopened);
  await expect(page.locator('#srk-tk-held')).toHaveCount(0);
  await expect(page.locator('#srk-tk-timeline')).toContainText(en.step.answered);
  const answers = (await server.stored('demo')).filter((e) => e.case === c.filed.case && e.kind.type === 'answered');
  expect(answers.map((e) => e.kind)).toEqual([
    { type: 'answered', held: false, comment: 'The reader charged me twice again.' },
  ]);

  // On the store's tablet the case is open again, with what the customer said.
  const tabletPage = await browser.newPage({ locale: 'en-GB' });
  const tablet = new StaffTablet(tabletPage);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(c.code);
  await tablet.expectStatus('reopened');
  await expect(tabletPage.locator('#srk-timeline')).toContainText(tablet.t.step.answered);
  await tabletPage.close();
});

test('the customer stops messages about their complaint, and the tablet offers no way to reach them', async ({
  page,
  server,
  browser,
}) => {
  const c = await fileCase(server, { contact: true });
  await page.goto(c.link);
  const stop = page.getByRole('button', { name: en.stop_button });
  await expect(page.getByRole('heading', { name: en.stop_title })).toBeVisible();
  await expect(page.locator('#srk-tk-stop-title + p')).toHaveText(fill(en.stop_intro, { contact: 'sam@example.com' }));
  await expectNoAxeViolations(page, 'the ticket offering to stop messages');
  await stop.click();
  await expect(page.locator('#srk-tk-stop-sync')).toHaveText(en.stop_done);
  await expect(page.locator('#srk-tk-stop-sync')).toBeFocused();
  await expect(stop).toHaveCount(0);
  await expect(page.locator('#srk-tk-timeline')).toContainText(en.step.consent_withdrawn);
  const stops = (await server.stored('demo')).filter((e) => e.case === c.filed.case && e.kind.type === 'consent_withdrawn');
  expect(stops.map((e) => e.kind)).toEqual([{ type: 'consent_withdrawn' }]);
  // It holds across a reload: no offer again, the same words.
  await page.reload();
  await expect(page.locator('#srk-tk-stop-sync')).toHaveText(en.stop_done);
  await expect(stop).toHaveCount(0);
  await expectNoAxeViolations(page, 'the ticket after stopping messages');

  // On the store's tablet: the contact for the record, no link to use it, no try to log.
  const tabletPage = await browser.newPage({ locale: 'en-GB' });
  const tablet = new StaffTablet(tabletPage);
  await tablet.open(server.origin);
  await tablet.unlock('ana', '246810', 'Ana');
  await tablet.openCase(c.code);
  await expect(tabletPage.locator('#srk-contact')).toHaveText('sam@example.com');
  await expect(tabletPage.locator('#srk-contact a')).toHaveCount(0);
  await expect(tabletPage.getByText(tablet.t.contact_withdrawn_label)).toBeVisible();
  await expect(tabletPage.locator('#srk-contact-attempt')).toHaveCount(0);
  await expect(tabletPage.locator('#srk-timeline')).toContainText(tablet.t.step.consent_withdrawn);
  await tabletPage.close();
});
