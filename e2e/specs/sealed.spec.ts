// Nothing readable left behind on a shared kiosk: a customer's name and contact are stored on
// the device only sealed for the server (Web Crypto, with the key the server publishes with the
// store's promise), so that the browser profile's files (localStorage and IndexedDB keep deleted
// values in their LevelDB files until they compact; session files keep form state) never hold
// them in plain text, and the server opens the seals and stores them whole.
//
// The profile is a real one on disk (Debian's Chromium started by the test, as on a kiosk),
// searched byte for byte after the browser has closed and written out everything it kept in
// memory. Each name and contact carries a random token of its own, searched for as UTF-8 and as
// UTF-16 (Chromium writes strings either way); a control that must be found (the description
// of a complaint still waiting on the device) shows that the search reads where complaints are
// kept.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';
import { KillableBrowser } from '../support/crash';

const FILINGS = 50;
test.describe.configure({ timeout: 300_000 });

/** A token of 14 random letters: no four of them likely to repeat elsewhere, so no
 *  compression of the files can hide it. */
function token(): string {
  return [...randomBytes(14)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.isFile() ? [full] : [];
  });
}

/** Which of `needles` some file under `dir` holds, as UTF-8 or UTF-16, and where. */
function found(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const all = files(dir).map((file) => [file, fs.readFileSync(file)] as const);
  for (const needle of needles) {
    for (const [file, bytes] of all) {
      if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) {
        hits.push(`${needle} in ${path.relative(dir, file)}`);
      }
    }
  }
  return hits;
}

test('a kiosk keeps no name or contact readable on its disk: 50 filed and delivered, and one waiting', async ({ server }) => {
  const browser = new KillableBrowser(`sealed-${server.port}`);
  const page = await browser.launch();
  const kiosk = new CustomerPage(page);
  await kiosk.open(server.origin + '/k/demo/front-desk');
  // The page learnt the server's sealing key with the store's promise.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('srk1:seal-key')?.length ?? 0)).toBe(87);

  const people: { name: string; contact: string; mark: string }[] = [];
  for (let i = 0; i < FILINGS; i++) {
    const person = { name: `Kund ${token()}`, contact: `${token()}@example.com`, mark: `Sealed ${i}` };
    people.push(person);
    await kiosk.chooseCategory('service');
    await kiosk.describe(`${person.mark}: nobody answered at the desk.`);
    await kiosk.contact(person.name, person.contact);
    await kiosk.submit();
    await expect(kiosk.ticket).toBeVisible();
    // The acknowledgement still shows what the customer typed, from memory.
    await expect(page.getByText(person.contact)).toBeVisible();
    await page.getByRole('button', { name: kiosk.t.done }).click();
    await expect(kiosk.title).toHaveText(kiosk.t.form_title);
  }

  // The server opened every seal: each filing stored whole, once.
  const identities = async () =>
    (await server.stored('demo'))
      .filter((e) => e.kind.type === 'filed' && e.kind.complaint.description.startsWith('Sealed '))
      .map((e) => `${e.kind.complaint.name} ${e.kind.complaint.contact?.email}`)
      .sort();
  await expect
    .poll(identities, { timeout: 60_000 })
    .toEqual(people.map((p) => `${p.name} ${p.contact}`).sort());
  await expect.poll(() => kiosk.storedEventCount()).toBe(0);

  // One more, with the server out of reach: it waits on the device, sealed.
  await page.route('**/api/v1/events', (route) => route.abort());
  const waiting = { name: `Kund ${token()}`, contact: `${token()}@example.com`, text: token() };
  await kiosk.chooseCategory('service');
  await kiosk.describe(`Control ${waiting.text}`);
  await kiosk.contact(waiting.name, waiting.contact);
  await kiosk.submit();
  await expect(page.locator('#srk-ack-sync')).toHaveText(kiosk.t.ack_pending);
  const kept = await page.evaluate(() =>
    Object.entries(localStorage).filter(([k]) => k.startsWith('srk1:ev:')).map(([, v]) => JSON.parse(v)),
  );
  expect(kept).toHaveLength(1);
  expect(kept[0].sealed).toMatch(/^[A-Za-z0-9_-]{150,}$/);
  expect(kept[0].event.kind.complaint).toMatchObject({
    name: null,
    contact: null,
    consent_to_contact: false,
    description: `Control ${waiting.text}`,
  });
  await page.getByRole('button', { name: kiosk.t.done }).click();
  await browser.close();

  const profile = browser.profile;
  expect(found(profile, [waiting.text]), 'the control: the waiting complaint is on disk').not.toEqual([]);
  const identifying = [...people, waiting].flatMap((p) => [p.name.split(' ')[1], p.contact.split('@')[0]]);
  expect(found(profile, identifying)).toEqual([]);

  // Started again on the same profile, online: the waiting complaint arrives whole (with the
  // consent to contact it was filed with, which travelled sealed too).
  const again = await browser.launch();
  await again.goto(server.origin + '/k/demo/front-desk');
  await expect
    .poll(async () =>
      (await server.stored('demo'))
        .filter((e) => e.kind.type === 'filed' && e.kind.complaint.description === `Control ${waiting.text}`)
        .map((e) => `${e.kind.complaint.name} ${e.kind.complaint.contact?.email} ${e.kind.complaint.consent_to_contact}`),
    { timeout: 30_000 })
    .toEqual([`${waiting.name} ${waiting.contact} true`]);
  await browser.close();
});
