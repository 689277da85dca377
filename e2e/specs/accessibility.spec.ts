// axe-core finds nothing on any screen or state, in every language.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { expectNoAxeViolations } from '../support/axe';
import { LANGS, strings } from '../support/locales';

for (const lang of LANGS) {
  test(`every customer screen and state is clean in ${lang}`, async ({ page }) => {
    const customer = new CustomerPage(page, lang);
    await customer.open('/c/demo/checkout-2');
    await page.getByLabel(strings('en').language).selectOption(lang);
    await expect(customer.title).toHaveText(customer.t.form_title);
    await expectNoAxeViolations(page, 'empty form');
    await customer.submit();
    await expect(page.locator('#srk-summary')).toBeVisible();
    await expectNoAxeViolations(page, 'form with errors');
    await customer.chooseCategory('product');
    await customer.describe('Broken on arrival');
    await customer.choose('impact', 'severe');
    await customer.happenedBefore(true);
    await customer.fair('refund');
    await customer.contact('Lee', 'lee@example.com');
    await customer.submit();
    await expect(customer.ticket).toBeVisible();
    await expectNoAxeViolations(page, 'acknowledgement (escalated)');
    await page.getByRole('button', { name: customer.t.another }).click();
    await page.locator('#srk-device summary').click();
    await expectNoAxeViolations(page, 'form with my cases and device status');
  });
}

test('the kiosk idle warning and acknowledgement are clean', async ({ page }) => {
  await page.clock.install();
  const customer = new CustomerPage(page);
  await customer.open('/k/demo/front-desk');
  await customer.describe('typing');
  await page.clock.runFor(50_000);
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await expectNoAxeViolations(page, 'idle warning');
  await page.getByRole('button', { name: customer.t.idle_stay }).click();
  await customer.fileQuickly();
  await expectNoAxeViolations(page, 'kiosk acknowledgement');
});

test('the bad-address page is clean', async ({ page }) => {
  await page.goto('/c/NOT_A_STORE/x');
  await expect(page.locator('h1')).toHaveText(strings('en').bad_address_title);
  await expectNoAxeViolations(page, 'bad address');
});
