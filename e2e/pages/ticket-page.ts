// Page object for the customer's ticket page (/t/#<case>.<secret>): the case and the rating.
import { expect, Locator, Page } from '@playwright/test';
import { Lang, Strings, ticketStrings } from '../support/locales';

/** The star choices, as the page's texts name them. */
export type Stars = 'one' | 'two' | 'three' | 'four' | 'five';

export class TicketPage {
  readonly t: Strings;
  constructor(readonly page: Page, lang: Lang = 'en') {
    this.t = ticketStrings(lang);
  }

  /** Opens a ticket link afresh and waits until the page shows the case. (From another
   *  ticket's page, a link that differs only in its fragment would not load the page again.) */
  async open(link: string) {
    await this.page.goto('about:blank');
    await this.page.goto(link);
    await expect(this.page.getByRole('heading', { level: 1, name: this.t.title })).toBeVisible();
    await expect(this.page.locator('#srk-tk-status')).not.toBeEmpty();
  }

  /** Chooses the stars, writes the comment and sends the rating. */
  async rate(stars: Stars, comment: string) {
    await this.page.getByRole('radio', { name: this.t.stars[stars] }).check();
    await this.page.getByLabel(this.t.comment_label).fill(comment);
    await this.page.getByRole('button', { name: this.t.submit }).click();
  }

  /** The case's steps, oldest first. */
  get timeline(): Locator {
    return this.page.locator('#srk-tk-timeline > li');
  }

  /** The line saying where the rating stands. */
  get sync(): Locator {
    return this.page.locator('#srk-tk-sync');
  }

  /** The page says the rating waits to be sent. */
  async expectWaiting() {
    await expect(this.sync).toHaveText(this.t.sync_pending);
  }

  /** Waits, without touching the page, until it says the rating reached the store: the page
   *  must send by itself within `timeout`. */
  async sentByItself(timeout = 15_000) {
    await expect(this.sync).toHaveText(this.t.sync_sent, { timeout });
  }
}
