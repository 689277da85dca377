// Page object for the customer's page: the complaint form and the acknowledgement.
import { expect, Locator, Page } from '@playwright/test';
import { Lang, Strings, strings } from '../support/locales';

export class CustomerPage {
  readonly t: Strings;
  constructor(readonly page: Page, lang: Lang = 'en') {
    this.t = strings(lang);
  }

  /** Opens a QR-sticker address (phone) or a kiosk address. */
  async open(path = '/c/demo/checkout-2') {
    await this.page.goto(path);
    await expect(this.title).toBeVisible();
  }

  get title(): Locator {
    return this.page.locator('h1');
  }
  get description(): Locator {
    return this.page.locator('#srk-f-description');
  }
  get ticket(): Locator {
    return this.page.locator('#srk-ticket');
  }
  get submitButton(): Locator {
    return this.page.getByRole('button', { name: this.t.submit, exact: true });
  }

  async chooseCategory(key: string) {
    await this.page.getByRole('radio', { name: this.t.category[key], exact: true }).check();
  }
  async describe(text: string) {
    await this.description.fill(text);
  }
  async choose(group: 'occurred' | 'impact', key: string) {
    await this.page.getByRole('radio', { name: this.t[group][key], exact: true }).check();
  }
  async happenedBefore(yes: boolean) {
    await this.page
      .getByRole('group', { name: new RegExp(this.t.before_legend.replace('?', '\\?')) })
      .getByRole('radio', { name: yes ? this.t.yes : this.t.no, exact: true })
      .check();
  }
  async fair(key: string) {
    await this.page.getByRole('checkbox', { name: this.t.fair[key], exact: true }).check();
  }
  async contact(name: string, contact: string, consent = true) {
    await this.page.locator('#srk-f-name').fill(name);
    await this.page.locator('#srk-f-contact').fill(contact);
    if (consent) await this.page.getByRole('checkbox', { name: this.t.consent_label }).check();
  }
  async submit() {
    await this.submitButton.click();
  }

  /** Files the two required answers and waits for the acknowledgement. */
  async fileQuickly(category = 'waiting', text = 'I waited 25 minutes at checkout 2.') {
    await this.chooseCategory(category);
    await this.describe(text);
    await this.submit();
    await expect(this.ticket).toHaveText(/^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/);
    return (await this.ticket.textContent())!.trim();
  }

  async storedEventCount(): Promise<number> {
    return this.page.evaluate(
      () => Object.keys(localStorage).filter((k) => k.startsWith('srk1:ev:')).length,
    );
  }
}
