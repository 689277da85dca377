// Bad input gets clear, translated errors next to each field, and nothing typed is lost.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { fill, strings } from '../support/locales';

test('sending an empty form shows every required error at once, in a summary and by the fields', async ({ page }) => {
  const customer = new CustomerPage(page);
  const t = customer.t;
  await customer.open();
  await customer.submit();
  const summary = page.locator('#srk-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(2);
  await expect(page.locator('#srk-e-category')).toHaveText(t.error.required);
  await expect(page.locator('#srk-e-description')).toHaveText(t.error.required);
  await expect(customer.description).toHaveAttribute('aria-invalid', 'true');
  expect(await customer.storedEventCount()).toBe(0);
  // Fixing a field clears its error straight away.
  await customer.chooseCategory('billing');
  await expect(page.locator('#srk-e-category')).toHaveCount(0);
});

test('oversize text is refused with its length, and the text stays for the customer to shorten', async ({ page }) => {
  const customer = new CustomerPage(page);
  await customer.open();
  const long = 'é'.repeat(2001);
  await customer.chooseCategory('other');
  await customer.describe(long);
  await customer.submit();
  await expect(page.locator('#srk-e-description')).toHaveText(
    fill(customer.t.error.too_long, { max: 2000, actual: 2001 }),
  );
  await expect(customer.description).toHaveValue(long);
  await customer.describe(long.slice(1));
  await customer.submit();
  await expect(customer.ticket).toBeVisible();
});

test('errors are translated too', async ({ page }) => {
  const customer = new CustomerPage(page, 'ms');
  await customer.open();
  await page.getByLabel(strings('en').language).selectOption('ms');
  await customer.submit();
  await expect(page.locator('#srk-e-description')).toHaveText(strings('ms').error.required);
});

test('script injection is shown as plain text and never runs', async ({ page }) => {
  const customer = new CustomerPage(page);
  await customer.open();
  const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  await customer.chooseCategory('service');
  await customer.describe(attack);
  await customer.contact(attack.slice(0, 60), '', false);
  await customer.submit();
  await expect(customer.title).toContainText('<img src=x');
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
});

test('contact details need consent, and consent needs contact details', async ({ page }) => {
  const customer = new CustomerPage(page);
  const t = customer.t;
  await customer.open();
  await customer.chooseCategory('waiting');
  await customer.describe('Slow queue');
  await customer.contact('Sam', '+62 812 3456 7890', false);
  await customer.submit();
  await expect(page.locator('#srk-e-consent')).toHaveText(t.error.consent_required);
  await page.locator('#srk-f-contact').fill('not a contact');
  await expect(page.locator('#srk-e-contact')).toHaveText(t.error.invalid_contact);
  await page.locator('#srk-f-contact').fill('');
  await page.getByRole('checkbox', { name: t.consent_label }).check();
  await expect(page.locator('#srk-e-contact')).toHaveText(t.error.contact_required);
});

test('invisible control characters are refused with a clear message', async ({ page }) => {
  const customer = new CustomerPage(page);
  await customer.open();
  await customer.chooseCategory('other');
  await customer.describe('price \u202Eoof\u202C was wrong');
  await customer.submit();
  await expect(page.locator('#srk-e-description')).toHaveText(customer.t.error.forbidden_characters);
});
