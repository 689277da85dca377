// Cases as the customer's ticket page sees them: a complaint filed from a phone with its ticket
// secret, worked by Ana on the server's API, the link that opens its ticket page, and the
// ticket code the apps show for it.
import { expect } from '@playwright/test';
import { randomBytes, randomUUID } from 'node:crypto';
import { OwnServer, filedEvent } from './server';

/** Ana of the demo store, as a step's `by`: staff, limit 25.00. */
export const ana = { staff: 'ana', role: 'staff', limit_minor: 2500 };
const min = 60_000;

/** The ticket code of a case, as `recovery_core::TicketCode::from_case` makes it. */
export function ticketCode(caseId: string): string {
  const bits = parseInt(caseId.replace(/-/g, '').slice(0, 8), 16) >>> 2;
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let code = '';
  for (let i = 0; i < 6; i++) {
    if (i === 3) code += '-';
    code += alphabet[(bits >>> (25 - 5 * i)) & 31];
  }
  return code;
}

/** A step of `kind` on the case `filed` opened, taken at `at` on some device at the front desk. */
export function step(filed: any, at: number, kind: any): any {
  return { id: randomUUID(), case: filed.case, at, origin: { store: 'demo', touchpoint: 'front-desk', device: randomUUID() }, kind };
}

/** A case with its ticket page: the filed event, the ticket secret, the page's address and the
 *  ticket code. */
export type Case = { filed: any; secret: string; link: string; code: string };

/** A complaint filed from a phone with its ticket secret, acknowledged and (unless `resolve` is
 *  false) resolved by Ana with a voucher of 12.50. Seeds the demo store first unless `seed` is
 *  false (when the test did). The customer gave an email and agreed to be contacted when
 *  `contact` is set or a follow-up is planned. */
export async function fileCase(
  server: OwnServer,
  { resolve = true, seed = true, followUpAt = null as number | null, contact = false } = {},
): Promise<Case> {
  if (seed) server.seedDemo();
  const now = Date.now();
  const filed = filedEvent('demo', 'Waited 40 minutes at checkout', now - 10 * min);
  if (followUpAt !== null || contact) {
    // A follow-up needs the customer's consent to be contacted.
    filed.kind.complaint.contact = { email: 'sam@example.com' };
    filed.kind.complaint.consent_to_contact = true;
  }
  const secret = randomBytes(32).toString('base64url');
  const filedResult = await server.pushWith([filed], { secrets: { [filed.case]: secret } });
  expect(filedResult[0].status).toBe('stored');
  const steps = [step(filed, now - 8 * min, { type: 'acknowledged', by: ana, apology: 'I am sorry you had to wait.' })];
  if (resolve) {
    steps.push(
      step(filed, now - 5 * min, {
        type: 'resolved',
        by: ana,
        remedy: 'voucher',
        value_minor: 1250,
        gesture: 'a free coffee',
        follow_up_at: followUpAt,
      }),
    );
  }
  const results = await server.pushWith(steps, { token: await server.session('demo', 'ana', '246810') });
  expect(results.map((r: any) => r.status)).toEqual(steps.map(() => 'stored'));
  return { filed, secret, link: `${server.origin}/t/#${filed.case}.${secret}`, code: ticketCode(filed.case) };
}

/** The ratings of the case that the server holds. */
export async function ratedOnServer(server: OwnServer, c: Case): Promise<any[]> {
  return (await server.stored('demo')).filter((e) => e.case === c.filed.case && e.kind.type === 'rated');
}
