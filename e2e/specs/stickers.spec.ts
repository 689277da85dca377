// Staff print a sheet of QR stickers for their store's touchpoints: one sticker per touchpoint
// with its QR code (the absolute address of the touchpoint's phone page), its name, the store's
// name, the invitation to tell us in each of the store's languages and the written address;
// printed two by three on A4 without the app around it; and offline, from the store profile
// the tablet keeps (a profile kept before stores had languages too). Each test has its own
// server with the demo store (Ana 246810).
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { fill, Lang, staffStrings } from '../support/locales';
import { StaffTablet } from '../pages/staff-tablet';
import { StickerSheet } from '../pages/sticker-sheet';

const en = staffStrings('en');
const DEMO_TOUCHPOINTS = ['front-desk', 'checkout-2', 'fitting-room', 'delivery-desk'];
/** The names `seed-demo` gives the demo store's places; a place without one reads as its slug. */
const DEMO_PLACES: Record<string, string> = {
  'front-desk': 'Front desk',
  'checkout-2': 'Checkout 2',
  'fitting-room': 'Fitting rooms',
  'delivery-desk': 'Delivery desk',
};
const ALL: Lang[] = ['en', 'id', 'ms', 'sv'];

async function expectSticker(
  sheet: StickerSheet,
  origin: string,
  touchpoint: string,
  langs: Lang[],
  place = touchpoint.replace(/-/g, ' '),
) {
  const url = `${origin}/c/demo/${touchpoint}`;
  const sticker = sheet.sticker(touchpoint);
  // The address the QR code was made from (the encoder's own tests scan its symbols back, and
  // the app's unit tests scan a sticker's SVG back to this address).
  await expect(sticker).toHaveAttribute('data-url', url);
  await expect(sticker.getByRole('heading', { level: 2 })).toHaveText(place);
  await expect(sticker.locator('.srk-sticker__store')).toHaveText('Demo store');
  const invites = sticker.locator('.srk-sticker__invite');
  await expect(invites).toHaveText(langs.map((l) => staffStrings(l).sticker_invite));
  expect(await invites.evaluateAll((ps) => ps.map((p) => p.getAttribute('lang')))).toEqual(langs);
  await expect(sticker.locator('.srk-sticker__url')).toHaveText(url.replace(/^http:\/\//, ''));
  const qr = sticker.getByRole('img', { name: fill(en.sticker_qr, { place }), exact: true });
  await expect(qr).toBeVisible();
  // A real symbol: finder patterns and data, drawn as a path (no style attributes).
  const d = await qr.locator('path[fill="#000"]').getAttribute('d');
  expect(d?.match(/M/g)?.length ?? 0).toBeGreaterThan(50);
  expect(await qr.evaluate((svg) => svg.outerHTML)).not.toContain('style=');
}

/** The number of pages of a PDF Chromium made (its page objects). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

async function unlockAna(page: Page, origin: string): Promise<StaffTablet> {
  const tablet = new StaffTablet(page);
  await tablet.open(origin);
  await tablet.unlock('ana', '246810', 'Ana');
  return tablet;
}

test('one sticker per touchpoint, in the store\'s languages, printed on A4 without the app', async ({
  page,
  server,
}) => {
  server.seedDemo();
  await unlockAna(page, server.origin);
  const sheet = new StickerSheet(page, en);
  await sheet.open('Demo store');
  await expect(sheet.stickers).toHaveCount(DEMO_TOUCHPOINTS.length);
  expect(await sheet.stickers.evaluateAll((li) => li.map((l) => l.getAttribute('data-touchpoint')))).toEqual(
    DEMO_TOUCHPOINTS,
  );
  for (const touchpoint of DEMO_TOUCHPOINTS) {
    await expectSticker(sheet, server.origin, touchpoint, ALL, DEMO_PLACES[touchpoint]);
  }
  await expect(page.locator('#srk-stickers-languages')).toHaveText(
    fill(en.stickers_languages, { languages: 'English, Bahasa Indonesia, Bahasa Melayu, Svenska' }),
  );
  await expectNoAxeViolations(page, 'sticker sheet');

  // "Print" opens the browser's print dialogue.
  await page.evaluate(() => {
    (window as any).__printed = 0;
    window.print = () => {
      (window as any).__printed += 1;
    };
  });
  await sheet.printButton.click();
  expect(await page.evaluate(() => (window as any).__printed)).toBe(1);

  // On paper: the stickers only, each QR code at least 3 cm wide.
  await page.emulateMedia({ media: 'print' });
  await expect(sheet.stickers.first()).toBeVisible();
  for (const hidden of [
    sheet.printButton,
    sheet.backButton,
    page.getByRole('button', { name: en.lock }),
    page.locator('.srk-bar'),
    page.locator('#srk-signed-in'),
    page.getByRole('heading', { level: 1 }),
  ]) {
    await expect(hidden).toBeHidden();
  }
  expect(await page.locator('button:visible').count()).toBe(0);
  const box = await sheet.sticker('checkout-2').getByRole('img').boundingBox();
  // CSS pixels are 1/96 inch: 3 cm is 113.4 px.
  expect(box!.width).toBeGreaterThanOrEqual(113);
  expect(Math.abs(box!.width - box!.height)).toBeLessThan(1);
  // Six stickers fit on an A4 page: four make one page.
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pdfPages(pdf)).toBe(1);

  await page.emulateMedia({ media: 'screen' });
  await sheet.backButton.click();
  await expect(page.getByRole('heading', { name: en.queue_title })).toBeVisible();
});

test('a store\'s own languages, in its order, and seven touchpoints on two A4 pages', async ({ page, server }) => {
  server.seedDemo();
  const touchpoints = ['door', 'till-1', 'till-2', 'fitting-room', 'cafe', 'returns', 'delivery-desk'];
  server.admin([
    'add-store',
    '--store',
    'demo',
    '--name',
    'Demo store',
    '--languages',
    'ms,en',
    ...touchpoints.flatMap((t) => ['--touchpoint', t]),
  ]);
  await unlockAna(page, server.origin);
  const sheet = new StickerSheet(page, en);
  await sheet.open('Demo store');
  await expect(sheet.stickers).toHaveCount(touchpoints.length);
  for (const touchpoint of touchpoints) await expectSticker(sheet, server.origin, touchpoint, ['ms', 'en']);
  await expect(page.locator('#srk-stickers-languages')).toHaveText(
    fill(en.stickers_languages, { languages: 'Bahasa Melayu, English' }),
  );
  await page.emulateMedia({ media: 'print' });
  expect(pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true }))).toBe(2);
});

test('offline, the sheet is made from the profile the tablet keeps, even one kept before stores had languages', async ({
  page,
  context,
  server,
}) => {
  server.seedDemo();
  await unlockAna(page, server.origin);
  // A profile kept by an earlier build has no languages.
  await page.evaluate(() => {
    const key = 'srk1:staff:demo:roster';
    const roster = JSON.parse(localStorage.getItem(key)!);
    delete roster.profile.languages;
    localStorage.setItem(key, JSON.stringify(roster));
  });
  await page.reload();
  await context.setOffline(true);
  const tablet = new StaffTablet(page);
  await tablet.unlock('ana', '246810', 'Ana');
  const sheet = new StickerSheet(page, en);
  await sheet.open('Demo store');
  await expect(sheet.stickers).toHaveCount(DEMO_TOUCHPOINTS.length);
  for (const touchpoint of DEMO_TOUCHPOINTS) {
    await expectSticker(sheet, server.origin, touchpoint, ALL, DEMO_PLACES[touchpoint]);
  }
  await expectNoAxeViolations(page, 'sticker sheet offline');
  await context.setOffline(false);
});
