// The first screen the shell shows while the WebAssembly travels (scripts/prepaint.mjs): the
// page's heading and first words in the reader's language, laid out where the app draws them,
// then replaced by the app without a frame showing both; and the app drawn a slice per frame
// with nothing moving.
import { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectNoAxeViolations } from '../support/axe';
import { fill, LANGS, staffStrings, strings } from '../support/locales';

/** Holds every WebAssembly request until `release()`; one asked for after it goes at once (a
 * page may not have asked yet when the test releases, and a request held then would never go). */
async function holdWasm(page: Page) {
  const held: Array<() => void> = [];
  let released = false;
  await page.route('**/*.wasm', (route) => {
    if (released) void route.continue();
    else held.push(() => void route.continue());
  });
  return () => {
    released = true;
    held.splice(0).forEach((go) => go());
  };
}

/** The boxes of the heading and first paragraph under `root`. */
async function boxes(page: Page, root: string) {
  return page.locator(`${root} h1, ${root} h1 + p`).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { tag: e.tagName, x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent };
    }),
  );
}

/** Checks the shell's first screen: its heading, first paragraph and place line. */
async function expectFirstScreen(page: Page, title: string, intro: string, place: string) {
  const pre = page.locator('#srk-pre');
  await expect(pre.locator('h1')).toHaveText(title);
  await expect(pre.locator('h1 + p')).toHaveText(intro);
  await expect(pre.locator('.srk-bar__place')).toHaveText(place);
  return pre;
}

for (const lang of LANGS) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale: lang === 'en' ? 'en-GB' : `${lang}-XX` });

    test(`the customer page shows its first words before the app, then the app in their place`, async ({ page }) => {
      const t = strings(lang);
      const release = await holdWasm(page);
      await page.goto('/c/demo/checkout-2', { waitUntil: 'domcontentloaded' });
      const pre = await expectFirstScreen(page, t.form_title, t.form_intro, fill(t.place, { place: 'checkout 2' }));
      await expect(pre.locator('select')).toBeDisabled();
      await expect(pre.locator('select option:checked')).toHaveAttribute('lang', lang);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expectNoAxeViolations(page, 'first screen');
      const before = await boxes(page, '#srk-pre');

      // Every frame from here on shows one first screen: the shell's or the app's, never both
      // and never none.
      await page.evaluate(() => {
        (window as any).__frames = [];
        const look = () => {
          (window as any).__frames.push(document.querySelectorAll('h1').length);
          requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      });
      release();
      await expect(page.locator('#srk-submit')).toBeVisible();
      await expect(pre).toHaveCount(0);
      const frames: number[] = await page.evaluate(() => (window as any).__frames);
      expect(frames.every((n) => n === 1), `h1 count per frame: ${frames.join(',')}`).toBe(true);
      expect(await boxes(page, 'form.srk-card')).toEqual(before);
      await expect(page.locator('h1')).toHaveText(t.form_title);
    });
  });
}

test.describe('staff app', () => {
  test.use({ locale: 'sv-SE' });

  test('the staff app shows its sign-in words before the app, in the same place', async ({ page }) => {
    const t = staffStrings('sv');
    const release = await holdWasm(page);
    await page.goto('/staff/demo', { waitUntil: 'domcontentloaded' });
    const pre = await expectFirstScreen(page, t.unlock_title, t.unlock_intro, fill(t.store, { store: 'demo' }));
    await expectNoAxeViolations(page, 'staff first screen');
    const before = await boxes(page, '#srk-pre');
    release();
    await expect(page.locator('#srk-pin')).toBeVisible();
    await expect(pre).toHaveCount(0);
    expect(await boxes(page, 'form.srk-card')).toEqual(before);
  });
});

for (const path of ['/c/NOT_A_STORE/x', '/c/demo', '/x/demo/front-desk', '/staff/', '/staff/-bad']) {
  test(`an address the app refuses (${path}) shows no first screen, then the app's own page`, async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    await expect(page.locator('#srk-pre')).toHaveCount(0);
    release();
    const title = path.startsWith('/staff') ? staffStrings('en').bad_address_title : strings('en').bad_address_title;
    await expect(page.locator('h1')).toHaveText(title);
  });
}

test('the root address shows the default touchpoint', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('#srk-pre .srk-bar__place')).toHaveText(fill(strings('en').place, { place: 'front desk' }));
  release();
  await expect(page.locator('#srk-submit')).toBeVisible();
});

test('the form is drawn a slice per frame, top to bottom, and nothing on it moves', async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[]) {
        const what = e.sources.map((s: any) => `${s.node?.id || s.node?.className || s.node?.nodeName} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`);
        (window as any).__shifts.push(`${e.value}: ${what.join('; ')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
    // The order in which the form's fields and the device status appear.
    (window as any).__order = [];
    new MutationObserver(() => {
      for (const id of ['srk-f-category', 'srk-f-description', 'srk-f-occurred', 'srk-f-fair_solution', 'srk-submit', 'srk-device']) {
        if (document.getElementById(id) && !(window as any).__order.includes(id)) (window as any).__order.push(id);
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/c/demo/checkout-2');
  await expect(page.locator('#srk-device')).toBeAttached();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as any).__order)).toEqual([
    'srk-f-category',
    'srk-f-description',
    'srk-f-occurred',
    'srk-f-fair_solution',
    'srk-submit',
    'srk-device',
  ]);
  expect(await page.evaluate(() => (window as any).__shifts)).toEqual([]);
});
