// The `test` every spec uses: Playwright's, plus
// * `server`: a recovery server of a test's own (see OwnServer): a fresh database and a port no
//   other test uses, so a test may break the network or restart the server freely;
// * `cspViolations` (automatic): every Content-Security-Policy violation in any page or frame of
//   the test's browser contexts (its own `context` and any made with `browser.newContext()`)
//   fails the test. Each document also keeps its own in `window.__cspViolations`.
import { Browser, BrowserContext, test as base } from '@playwright/test';
import { OwnServer } from './server';

let next = 0;

/** One `securitypolicyviolation` event, as reported by the page. */
export interface CspViolation {
  documentURI: string;
  violatedDirective: string;
  effectiveDirective: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  sample: string;
}

declare global {
  interface Window {
    __cspViolations?: CspViolation[];
    __reportCspViolation?: (violation: CspViolation) => Promise<void>;
  }
}

/** Records every CSP violation of `context`'s pages and frames into `sink`. */
async function watchCsp(context: BrowserContext, sink: CspViolation[]): Promise<void> {
  await context.exposeBinding('__reportCspViolation', (_source, violation: CspViolation) => {
    sink.push(violation);
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      const violation = {
        documentURI: event.documentURI,
        violatedDirective: event.violatedDirective,
        effectiveDirective: event.effectiveDirective,
        blockedURI: event.blockedURI,
        sourceFile: event.sourceFile,
        lineNumber: event.lineNumber,
        sample: event.sample,
      };
      window.__cspViolations?.push(violation);
      void window.__reportCspViolation?.(violation);
    });
  });
}

export const test = base.extend<{ server: OwnServer; cspViolations: CspViolation[] }>({
  server: async ({}, use, info) => {
    // 40 ports per worker, well away from the shared server's (E2E_OWN_PORT moves the range, so
    // that two checkouts can run their suites side by side).
    const port = Number(process.env.E2E_OWN_PORT ?? 18200) + info.workerIndex * 40 + (next++ % 40);
    const server = new OwnServer(port, `own-${info.workerIndex}-${port}`, ['--rate-limit', '0']);
    await server.start();
    await use(server);
    await server.stop();
  },
  cspViolations: [
    async ({ browser, context }, use) => {
      const violations: CspViolation[] = [];
      await watchCsp(context, violations);
      // Contexts a test makes itself (several devices in one test) are watched too.
      const newContext = browser.newContext;
      browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const made = await newContext.apply(browser, args);
        await watchCsp(made, violations);
        return made;
      };
      try {
        await use(violations);
      } finally {
        browser.newContext = newContext;
      }
      // Let reports of the last moments arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
      base.expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
