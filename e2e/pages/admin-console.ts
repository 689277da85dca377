// Signing in to the chain's web admin (`/admin/<chain>`): as a chain person with a password, or
// as a store's manager with the store's PIN.
import { expect, Page } from '@playwright/test';
import { Strings, staffStrings } from '../support/locales';

const a = staffStrings('en').admin;

export async function signInPerson(page: Page, origin: string, person: string, password: string, t: Strings = a) {
  await page.goto(`${origin}/admin/demo`);
  await expect(page.getByRole('heading', { name: t.signin_title })).toBeVisible();
  await page.getByLabel(t.person).fill(person);
  await page.getByLabel(t.password).fill(password);
  await page.getByRole('button', { name: t.signin, exact: true }).click();
  await expect(page.locator('#srk-admin-who')).toBeVisible();
}

export async function signInManager(page: Page, origin: string, store: string, staff: string, pin: string) {
  await page.goto(`${origin}/admin/demo`);
  await page.getByLabel(a.as_store).check();
  await page.getByLabel(a.store_id).fill(store);
  await page.getByLabel(a.staff_id).fill(staff);
  await page.getByLabel(a.pin).fill(pin);
  await page.getByRole('button', { name: a.signin, exact: true }).click();
  await expect(page.locator('#srk-admin-who')).toBeVisible();
}
