// A customer files a complaint in each language and is acknowledged at once.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { LANGS, fill, strings } from '../support/locales';

for (const lang of LANGS) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale: lang === 'en' ? 'en-GB' : `${lang}-${lang === 'sv' ? 'SE' : lang === 'id' ? 'ID' : 'MY'}` });

    test('the page follows the browser language and acknowledges with a personal apology', async ({ page }) => {
      const t = strings(lang);
      const customer = new CustomerPage(page, lang);
      await customer.open();
      await expect(customer.title).toHaveText(t.form_title);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await customer.chooseCategory('delivery');
      await customer.describe('Paket kom två dagar för sent / the parcel came two days late.');
      await customer.choose('occurred', 'yesterday');
      await customer.choose('impact', 'moderate');
      await customer.fair('discount');
      await customer.contact('Ayu', 'ayu@example.com');
      await customer.submit();
      await expect(customer.title).toHaveText(fill(t.thanks_named, { name: 'Ayu' }));
      await expect(page.locator('.srk-apology')).toContainText(t.apology.delivery);
      await expect(page.locator('.srk-apology')).not.toContainText(t.escalated);
      await expect(page.getByText(fill(t.next_contact, { contact: 'ayu@example.com' }))).toBeVisible();
      await expect(page.getByText(t.next_fair)).toBeVisible();
      await expect(customer.ticket).toHaveText(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    });
  });
}

test('switching language changes every text at once, without losing what was typed', async ({ page }) => {
  const customer = new CustomerPage(page, 'en');
  await customer.open();
  await customer.describe('Kassan var stängd');
  await page.getByLabel(strings('en').language).selectOption('sv');
  const sv = strings('sv');
  await expect(customer.title).toHaveText(sv.form_title);
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(customer.description).toHaveValue('Kassan var stängd');
  await expect(page.getByRole('button', { name: sv.submit })).toBeVisible();
});

test('a repeat, serious complaint is escalated instead of getting the usual script', async ({ page }) => {
  const customer = new CustomerPage(page, 'en');
  const t = customer.t;
  await customer.open();
  await customer.chooseCategory('product');
  await customer.describe('Second broken kettle in a month.');
  await customer.choose('impact', 'severe');
  await customer.happenedBefore(true);
  await customer.submit();
  const apology = page.locator('.srk-apology');
  await expect(apology).toContainText(t.apology.product);
  await expect(apology).toContainText(t.repeat);
  await expect(apology).toContainText(t.serious);
  await expect(apology).toContainText(t.escalated);
  await expect(customer.title).toHaveText(t.thanks);
});
