// A Playwright test with a recovery server of its own (see OwnServer): a fresh database and a
// port no other test uses, so a test may break the network or restart the server freely.
import { test as base } from '@playwright/test';
import { OwnServer } from './server';

let next = 0;

export const test = base.extend<{ server: OwnServer }>({
  server: async ({}, use, info) => {
    // 40 ports per worker, well away from the shared server's.
    const port = 18200 + info.workerIndex * 40 + (next++ % 40);
    const server = new OwnServer(port, `own-${info.workerIndex}-${port}`, ['--rate-limit', '0']);
    await server.start();
    await use(server);
    await server.stop();
  },
});

export { expect } from '@playwright/test';
