// Page object for the sync status in the device panel, and the outbox in the device's storage.
import { expect, Locator, Page } from '@playwright/test';
import { Strings, fill } from '../support/locales';

export class SyncStatus {
  constructor(readonly page: Page, readonly t: Strings) {}

  async open() {
    const details = this.page.locator('#srk-device');
    if ((await details.getAttribute('open')) === null) await this.page.locator('#srk-device summary').click();
  }
  get pending(): Locator {
    return this.page.locator('#srk-sync-pending');
  }
  get problem(): Locator {
    return this.page.locator('#srk-sync-problem');
  }
  get attention(): Locator {
    return this.page.locator('#srk-sync-attention');
  }
  async sendNow() {
    await this.open();
    await this.page.getByRole('button', { name: this.t.sync_now, exact: true }).click();
  }
  /** Waits until nothing is waiting to be sent. */
  async drained(timeout = 30_000) {
    await expect(this.pending).toHaveText(fill(this.t.sync_pending, { count: 0 }), { timeout });
  }

  /** The outbox as the device stores it: event id → sync mark. */
  async marks(): Promise<Record<string, string>> {
    return this.page.evaluate(() => {
      const out: Record<string, string> = {};
      for (const k of Object.keys(localStorage)) {
        if (!k.startsWith('srk1:ev:')) continue;
        try {
          out[k.slice(8)] = JSON.parse(localStorage.getItem(k)!).sync ?? 'pending';
        } catch {
          out[k.slice(8)] = 'unreadable';
        }
      }
      return out;
    });
  }

  /** Queues events on the device as if filed earlier, before the app starts. */
  async seed(entries: [string, string][]) {
    await this.page.evaluate((list) => {
      for (const [k, v] of list) localStorage.setItem(k, v);
    }, entries);
  }
}
