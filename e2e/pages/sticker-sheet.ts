// Page object for the staff app's sheet of QR stickers (reached from the workspace).
import { expect, Locator, Page } from '@playwright/test';
import { fill, Strings } from '../support/locales';

export class StickerSheet {
  constructor(readonly page: Page, readonly t: Strings) {}

  /** Opens the sheet from the workspace. */
  async open(store: string) {
    await this.page.getByRole('button', { name: this.t.stickers_open }).click();
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(fill(this.t.stickers_title, { store }));
  }

  get stickers(): Locator {
    return this.page.locator('#srk-stickers > li');
  }

  sticker(touchpoint: string): Locator {
    return this.page.locator(`#srk-stickers > li[data-touchpoint="${touchpoint}"]`);
  }

  get printButton(): Locator {
    return this.page.getByRole('button', { name: this.t.stickers_print, exact: true });
  }

  get backButton(): Locator {
    return this.page.getByRole('button', { name: this.t.back, exact: true });
  }
}
