// The hardened headers on the real build: every shell starts its wasm app under the strict CSP
// (its inline loader allowed by hash, nothing inline else), and the CSP watcher of
// support/fixtures really sees a violation.
import { expect, test } from '../support/fixtures';
import { CustomerPage } from '../pages/customer-page';

test('every shell is served with a hash-only CSP and its app starts under it', async ({ page, request }) => {
  for (const path of ['/c/demo/checkout-2', '/staff/demo', '/t/ABCD-EFGH', '/qr/']) {
    const reply = await request.get(path);
    expect(reply.status(), path).toBe(200);
    const csp = reply.headers()['content-security-policy'];
    expect(csp, path).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/]{43}=')+;/);
    expect(csp, path).not.toContain('unsafe-inline');
    expect(csp, path).not.toContain("'unsafe-eval'");
    expect(csp, path).toContain(path === '/qr/' ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
    expect(reply.headers()['cross-origin-opener-policy'], path).toBe('same-origin');
  }
  const api = await request.get('/api/v1/health');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");

  // The wasm app ran: the form is drawn.
  await new CustomerPage(page).open();
});

test('the CSP watcher catches an inline style attribute', async ({ page, cspViolations }) => {
  await new CustomerPage(page).open();
  await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
  await expect.poll(() => cspViolations.length).toBe(1);
  expect(cspViolations[0].effectiveDirective).toBe('style-src-attr');
  expect(await page.evaluate(() => window.__cspViolations?.length)).toBe(1);
  // Seen: this test's violation is the expected one.
  cspViolations.length = 0;
});
