// Refreshes the README's screenshots from a running server:
//   node scripts/screenshots.mjs http://127.0.0.1:8080
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'id-ID' });
let page = await phone.newPage();
await page.goto(`${base}/c/demo/checkout-2`);
await page.locator('h1').waitFor();
await page.getByRole('radio').nth(2).check();
await page.locator('#srk-f-description').fill('Antrean di kasir 2 lebih dari 25 menit, hanya satu kasir yang buka.');
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: 'docs/form-phone-id.png' });
const tablet = await browser.newContext({ viewport: { width: 820, height: 1000 }, deviceScaleFactor: 1, locale: 'en-GB' });
page = await tablet.newPage();
await page.goto(`${base}/k/demo/front-desk`);
await page.locator('h1').waitFor();
await page.getByRole('radio').first().check();
await page.locator('#srk-f-description').fill('Second kettle in a month that stopped working after a week.');
await page.getByRole('radio', { name: 'Very seriously' }).check();
await page.locator('#srk-f-happened_before').check();
await page.getByRole('checkbox', { name: 'A replacement' }).check();
await page.locator('#srk-f-name').fill('Sam');
await page.locator('#srk-f-contact').fill('sam@example.com');
await page.getByRole('checkbox', { name: /contact me/ }).check();
await page.locator('#srk-submit').click();
await page.locator('#srk-ticket').waitFor();
await page.frameLocator('#srk-ticket-qr').locator('svg').waitFor();
await page.screenshot({ path: 'docs/acknowledgement-kiosk-en.png' });
// Staff on the tablet (the run command's demo store: Ana's PIN is 246810): the queue, then the
// case just filed, which needs a manager.
page = await tablet.newPage();
await page.goto(`${base}/staff/demo`);
await page.locator('#srk-person').fill('ana');
await page.locator('#srk-pin').fill('246810');
await page.locator('#srk-pin').press('Enter');
await page.locator('#srk-queue li').first().waitFor();
await page.screenshot({ path: 'docs/staff-queue-en.png' });
await page.locator('#srk-queue li').first().getByRole('button').click();
await page.locator('#srk-ack-form').waitFor();
await page.screenshot({ path: 'docs/staff-case-en.png', fullPage: true });
// Locked, the tablet keeps up with the store and shows only counts (its title carries them too).
await page.locator('#srk-lock').click();
await page.locator('#srk-waiting-new').waitFor();
await page.screenshot({ path: 'docs/staff-locked-en.png' });
// Max (a manager, 135790) works the case and hands the tablet to the customer, who reads the
// question in Swedish: nothing of the case but the question.
await page.locator('#srk-person').fill('max');
await page.locator('#srk-pin').fill('135790');
await page.locator('#srk-pin').press('Enter');
await page.locator('#srk-queue li').first().getByRole('button').click();
await page.locator('#srk-ack-form button[type=submit]').click();
await page.locator('#srk-resolve-form button[type=submit]').click();
await page.locator('#srk-hand-over').click();
await page.locator('#srk-lang').selectOption('sv');
await page.locator('#srk-rate-title').waitFor();
await page.getByRole('radio').nth(4).check();
await page.screenshot({ path: 'docs/staff-handover-sv.png' });
// Back with Max, in English: the close, with a contributing factor and the store's lists.
await page.locator('.srk-handover button[type=submit]').click();
await page.locator('#srk-lang').selectOption('en');
await page.locator('#srk-pin').fill('135790');
await page.locator('#srk-pin').press('Enter');
await page.locator('#srk-close-form').waitFor();
await page.locator('#srk-sub-cause').fill('Kettle batch with a faulty thermostat');
await page.locator('#srk-factor-add').click();
await page.locator('#srk-factor-1').fill('Returns not checked against earlier faults');
const first = page.locator('#srk-department-list input').first();
if (await first.count()) await first.check();
await page.locator('#srk-close-form').scrollIntoViewIfNeeded();
await page.locator('#srk-close-form').screenshot({ path: 'docs/staff-close-en.png' });
// A phone in Swedish that lost its connection: the complaint waits, and the device says so.
const offline = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'sv-SE' });
page = await offline.newPage();
await page.goto(`${base}/c/demo/checkout-2`);
await page.locator('h1').waitFor();
await offline.setOffline(true);
await page.getByRole('radio').nth(3).check();
await page.locator('#srk-f-description').fill('Kortläsaren drog pengarna två gånger.');
await page.locator('#srk-submit').click();
await page.locator('#srk-ticket').waitFor();
await page.locator('#srk-done').click();
await page.locator('#srk-device summary').click();
await page.locator('#srk-sync-problem').filter({ hasText: /./ }).waitFor();
await page.locator('#srk-device').scrollIntoViewIfNeeded();
await page.screenshot({ path: 'docs/sync-status-phone-sv.png' });
await browser.close();
