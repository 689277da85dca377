// End-to-end tests: Debian's Chromium (never a downloaded browser) against the real release
// server and the real production build of the app, on 127.0.0.1 only.
import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
export const PORT = Number(process.env.E2E_PORT ?? 18080);
const bin = `${root}/target/release/recovery-server`;
const db = `${root}/target/e2e/recovery.sqlite3`;
/** How every test's Chromium runs (also the one `support/crash.ts` starts itself). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './specs',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: path.join(root, 'target', 'e2e-results'),
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    trace: 'off',
  },
  webServer: {
    // The stores tests file into are set up first (filings elsewhere are refused), as `OwnServer`
    // does: the demo store, mall-a and faults.
    command: [
      `${bin} seed-demo --db ${db} > /dev/null`,
      ...['mall-a', 'faults'].map(
        (store) => `${bin} add-store --store ${store} --name ${store} --touchpoint front-desk --touchpoint checkout-2 --db ${db}`,
      ),
      `exec ${bin} --addr 127.0.0.1:${PORT} --db ${db} --dist ${root}/dist`,
    ].join(' && '),
    url: `http://127.0.0.1:${PORT}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
