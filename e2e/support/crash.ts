// A browser that can die as a tablet's does: Debian's Chromium started by the test itself on a
// persistent profile (its own folder), driven over the DevTools protocol, and killed with
// SIGKILL (every process of it at once: no shutdown, no flush of what it keeps in memory), then
// started again on the same profile. Playwright's own launchers cannot do this: the browser
// they start is theirs to close.
import { Browser, BrowserContext, Page, chromium } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM_ARGS } from '../playwright.config';

const root = path.resolve(__dirname, '..', '..');

export class KillableBrowser {
  private child?: ChildProcess;
  private browser?: Browser;
  readonly profile: string;

  constructor(name: string) {
    this.profile = path.join(root, 'target', 'e2e', 'profiles', name);
    fs.rmSync(this.profile, { recursive: true, force: true });
    fs.mkdirSync(this.profile, { recursive: true });
  }

  /** Starts the browser on the profile and opens a page. */
  async launch(): Promise<Page> {
    const child = spawn(
      '/usr/bin/chromium',
      [...CHROMIUM_ARGS, `--user-data-dir=${this.profile}`, '--remote-debugging-port=0', 'about:blank'],
      // Its own process group, so that the kill reaches every process of the browser.
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    const endpoint = await new Promise<string>((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not start: ${said}`)), 20_000);
      child.stderr!.on('data', (chunk) => {
        said += chunk;
        const found = said.match(/DevTools listening on (ws:\/\/\S+)/);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${said}`)));
    });
    this.browser = await chromium.connectOverCDP(endpoint);
    return this.context.newPage();
  }

  get context(): BrowserContext {
    return this.browser!.contexts()[0];
  }

  /** Kills every process of the browser at once, as the OS or a power cut does. */
  async kill(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    this.browser = undefined;
  }

  /** Closes the browser as a person does (it writes out what it keeps in memory first). */
  async close(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((r) => child.once('exit', r));
    const cdp = await this.browser!.newBrowserCDPSession();
    await cdp.send('Browser.close').catch(() => {});
    await exited;
    this.browser = undefined;
  }
}
