// Page object for the staff app on a shared tablet: unlock, the queue, one case's steps.
import { expect, Locator, Page } from '@playwright/test';
import { fill, Lang, Strings, staffStrings } from '../support/locales';

export class StaffTablet {
  readonly t: Strings;
  constructor(readonly page: Page, lang: Lang = 'en') {
    this.t = staffStrings(lang);
  }

  async open(origin: string, store = 'demo', query = '') {
    await this.page.goto(`${origin}/staff/${store}${query}`);
    await expect(this.page.getByRole('heading', { name: this.t.unlock_title })).toBeVisible();
  }

  async unlock(who: string, pin: string, name: string) {
    await this.page.getByLabel(this.t.person).fill(who);
    await this.page.getByLabel(this.t.pin).fill(pin);
    await this.page.getByRole('button', { name: this.t.unlock }).click();
    await expect(this.page.locator('#srk-signed-in')).toHaveText(fill(this.t.signed_in_as, { name }));
  }

  /** Every case this tablet keeps in IndexedDB, as the text it is kept as ('' when none). */
  async kept(store = 'demo'): Promise<string> {
    return this.page.evaluate((name) => new Promise<string>((resolve) => {
      const open = indexedDB.open(name);
      // Never create the app's database here (it would be made without its stores).
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onerror = () => resolve('');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('records')) return resolve('');
        const all = db.transaction('records').objectStore('records').getAll();
        all.onsuccess = () => resolve(all.result.map((r: { t: string }) => r.t).join('\n'));
        all.onerror = () => resolve('');
        db.close();
      };
    }), `srk1-staff-${store}`);
  }

  /** How many cases this tablet keeps in IndexedDB (0 until the cursor covering them is kept). */
  async keptCount(store = 'demo'): Promise<number> {
    return this.page.evaluate((name) => new Promise<number>((resolve) => {
      const open = indexedDB.open(name);
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('notes')) return resolve(0);
        const tx = db.transaction(['records', 'notes']);
        const count = tx.objectStore('records').count();
        const note = tx.objectStore('notes').get('pulled');
        tx.oncomplete = () => { db.close(); resolve(note.result ? count.result : 0); };
        tx.onerror = () => resolve(0);
      };
    }), `srk1-staff-${store}`);
  }

  async lock() {
    await this.page.getByRole('button', { name: this.t.lock }).click();
    await expect(this.page.getByRole('heading', { name: this.t.unlock_title })).toBeVisible();
  }

  async refresh() {
    await this.page.getByRole('button', { name: this.t.refresh }).click();
  }

  /** Opens a case from the queue, refreshing until it has arrived from the server. */
  async openCase(ticket: string) {
    const button = this.page.getByRole('button', { name: fill(this.t.open_case, { ticket }) });
    await expect(async () => {
      if (!(await button.isVisible())) await this.refresh();
      await expect(button).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await button.click();
    await expect(this.page.locator('#srk-case-title')).toHaveText(fill(this.t.case_title, { ticket }));
  }

  async back() {
    await this.page.getByRole('button', { name: this.t.back }).click();
  }

  get status(): Locator {
    return this.page.locator('#srk-case-status');
  }

  async expectStatus(key: string) {
    await expect(this.status).toHaveText(fill(this.t.status_line, { status: this.t.status[key] }));
  }

  async acknowledge() {
    await this.page.getByRole('button', { name: this.t.ack_button }).click();
    await this.expectStatus('acknowledged');
  }

  async note(text: string) {
    await this.page.getByLabel(this.t.note_label).fill(text);
    await this.page.getByRole('button', { name: this.t.note_button }).click();
    await expect(this.page.locator('#srk-notes')).toContainText(text);
  }

  async resolve(remedy: string, value: string, gesture?: string, followUp = true) {
    await this.page.getByLabel(this.t.remedy_label).selectOption(remedy);
    await this.page.locator('#srk-value').fill(value);
    if (gesture !== undefined) await this.page.getByLabel(this.t.gesture_label).fill(gesture);
    const follow = this.page.locator('#srk-follow-up');
    if ((await follow.count()) > 0) await follow.setChecked(followUp);
    await this.page.getByRole('button', { name: this.t.resolve_button }).click();
  }

  async escalate(reason: string) {
    await this.page.getByLabel(this.t.reason_label).fill(reason);
    await this.page.getByRole('button', { name: this.t.escalate_button }).click();
    await expect(this.page.locator('#srk-escalated')).toContainText(reason);
  }

  async rate(stars: number, comment: string) {
    await this.page.getByRole('radio', { name: fill(this.t.star, { n: stars }), exact: true }).check();
    await this.page.getByLabel(this.t.comment_label).fill(comment);
    await this.page.getByRole('button', { name: this.t.rate_button }).click();
    await expect(this.page.locator('#srk-rating')).toContainText(fill(this.t.rating_line, { stars }));
  }

  async close(cause: string, subCause: string, departments: string, explanation: string) {
    await this.page.getByLabel(this.t.cause_label, { exact: true }).selectOption(cause);
    await this.page.getByLabel(this.t.sub_cause_label).fill(subCause);
    await this.page.getByLabel(this.t.departments_label).fill(departments);
    await this.page.getByLabel(this.t.explanation_label).fill(explanation);
    await this.page.getByRole('button', { name: this.t.close_button }).click();
    await this.expectStatus('closed');
  }

  async followUp(held: boolean, note: string) {
    await this.page.getByRole('radio', { name: held ? this.t.held_yes : this.t.held_no }).check();
    await this.page.getByLabel(this.t.follow_note_label).fill(note);
    await this.page.getByRole('button', { name: this.t.follow_button }).click();
  }

  /** Leaves an open case for the queue (nothing when the queue is on screen). */
  async toQueue() {
    if (await this.page.locator('#srk-case-title').isVisible()) await this.back();
  }

  /** The line saying how many steps wait to be sent. */
  get outbox(): Locator {
    return this.page.locator('#srk-outbox');
  }

  /** The steps the server refused, one line each. */
  get refused(): Locator {
    return this.page.locator('#srk-refused > li');
  }

  /** The tablet says `count` steps wait to be sent. */
  async expectWaiting(count: number) {
    await expect(this.outbox).toHaveText(fill(this.t.pending_steps, { count }));
  }

  /** Waits, without touching the tablet, until it says every step reached the server and
   *  none was refused: the tablet must send by itself within `timeout`. */
  async sentByItself(timeout = 15_000) {
    await expect(this.outbox).toHaveText(this.t.all_sent, { timeout });
    await expect(this.refused).toHaveCount(0);
  }

  /** Waits until every step this tablet took has reached the server. */
  async synced() {
    await expect(async () => {
      await this.refresh();
      await expect(this.page.locator('#srk-outbox')).toHaveText(this.t.all_sent, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
}
