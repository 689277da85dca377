// A recovery server of a test's own: the real release binary on its own loopback port and its
// own SQLite file, which a test may stop, kill and start again (the shared server of the
// Playwright config must never be restarted under other tests). Also seeds devices with
// queued complaints and reads back what the server stored, through the staff pull API.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const binary = path.join(root, 'target', 'release', 'recovery-server');

export class OwnServer {
  private child?: ChildProcess;
  readonly db: string;
  private tokens = new Map<string, string>();
  private sessions = new Map<string, string>();
  private storesSetUp = false;

  /** The built app this server serves (see `ownDist`). */
  dist = path.join(root, 'dist');
  private readonly dir: string;

  constructor(readonly port: number, name: string, public extraArgs: string[] = []) {
    this.dir = path.join(root, 'target', 'e2e', name);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    this.db = path.join(this.dir, 'recovery.sqlite3');
  }

  /** Serves a copy of the built app of this server's own, which a test may change (a new
   * deploy); call before `start`. Returns the copy's folder. */
  ownDist(): string {
    this.dist = path.join(this.dir, 'dist');
    fs.cpSync(path.join(root, 'dist'), this.dist, { recursive: true });
    return this.dist;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server and waits until its health check answers. The first start sets up the
   *  places tests file at (filings elsewhere are refused): see `setUpStores`. */
  async start(): Promise<void> {
    if (!this.storesSetUp) {
      setUpStores(this.db);
      this.storesSetUp = true;
    }
    this.child = spawn(
      binary,
      ['--addr', `127.0.0.1:${this.port}`, '--db', this.db, '--dist', this.dist, ...this.extraArgs],
      // E2E_SERVER_LOG=1 keeps each server's log in its folder (target/e2e/<name>/server.log).
      process.env.E2E_SERVER_LOG
        ? { stdio: ['ignore', 'ignore', fs.openSync(path.join(this.dir, 'server.log'), 'a')], env: { ...process.env, RUST_LOG: 'info' } }
        : { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const r = await fetch(`${this.origin}/api/v1/health`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`server on ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server and starts it again on the same database with other settings. */
  async restartWith(args: string[]): Promise<void> {
    await this.stop();
    this.extraArgs = args;
    await this.start();
  }

  /** Stops the server: SIGTERM lets it finish in-flight pushes, SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** A staff token of `store`, made once with the server's own `issue-token` command. */
  token(store: string): string {
    let t = this.tokens.get(store);
    if (!t) {
      t = execFileSync(binary, ['issue-token', '--store', store, '--db', this.db, '--label', 'e2e'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      this.tokens.set(store, t);
    }
    return t;
  }

  /** A session token of a staff member, from a real sign-in: staff steps are accepted only
   *  from the person they name. */
  async session(store: string, staff: string, pin: string): Promise<string> {
    const key = `${store}/${staff}`;
    let t = this.sessions.get(key);
    if (!t) {
      const r = await fetch(`${this.origin}/api/v1/stores/${store}/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ staff, pin }),
      });
      if (!r.ok) throw new Error(`sign-in answered ${r.status}`);
      t = (await r.json()).token as string;
      this.sessions.set(key, t);
    }
    return t;
  }

  /** The demo store and its staff (Ana 246810, Max 135790), made by the server's own command;
   *  with `cases`, also that many made-up cases over the last 88 days (deterministic for `seed`
   *  and the moment), the last six filed at the delivery desk in the last hour (a spike). */
  seedDemo(cases = 0, seed = 1): void {
    const extra = cases > 0 ? ['--cases', String(cases), '--seed', String(seed)] : [];
    execFileSync(binary, ['seed-demo', ...extra, '--db', this.db], { stdio: ['ignore', 'ignore', 'ignore'] });
  }

  /** Runs one of the server's maintenance commands (`add-store`, ...) on this server's database. */
  admin(args: string[]): void {
    execFileSync(binary, [...args, '--db', this.db], { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** Pushes events as a customer device would. */
  async push(events: any[]): Promise<any> {
    const r = await fetch(`${this.origin}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    if (!r.ok) throw new Error(`push answered ${r.status}`);
    return r.json();
  }

  /** Pushes events with customers' ticket secrets (`{case: secret}`) and, for staff steps, a
   *  staff bearer token; returns the per-event results. */
  async pushWith(events: any[], opts: { secrets?: Record<string, string>; token?: string } = {}): Promise<any[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const r = await fetch(`${this.origin}/api/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events, ticket_secrets: opts.secrets ?? {} }),
    });
    if (!r.ok) throw new Error(`push answered ${r.status}`);
    return (await r.json()).results;
  }

  /** Every event the server holds for `store`, in cursor order. */
  async stored(store: string): Promise<any[]> {
    const events: any[] = [];
    let after = 0;
    for (;;) {
      const r = await fetch(`${this.origin}/api/v1/stores/${store}/events?after=${after}&limit=1000`, {
        headers: { authorization: `Bearer ${this.token(store)}` },
      });
      if (!r.ok) throw new Error(`pull answered ${r.status}`);
      const page = await r.json();
      events.push(...page.events.map((e: any) => e.event));
      after = page.next;
      if (!page.more) return events;
    }
  }
}

/** The stores tests file into, made with the server's own commands on a fresh database: the
 *  demo store (with Ana and Max), and `mall-a` and `faults` with two touchpoints each. */
export function setUpStores(db: string): void {
  const quiet: any = { stdio: ['ignore', 'ignore', 'pipe'] };
  execFileSync(binary, ['seed-demo', '--db', db], quiet);
  for (const [store, name] of [['mall-a', 'Mall A'], ['faults', 'Faults']]) {
    execFileSync(
      binary,
      ['add-store', '--store', store, '--name', name, '--touchpoint', 'front-desk', '--touchpoint', 'checkout-2', '--db', db],
      quiet,
    );
  }
}

/** A valid "filed" event as the app stores it, for seeding a device's queue. */
export function filedEvent(store: string, text: string, at = Date.now()): any {
  return {
    id: randomUUID(),
    case: randomUUID(),
    at,
    origin: { store, touchpoint: 'checkout-2', device: randomUUID() },
    kind: {
      type: 'filed',
      complaint: {
        category: 'waiting',
        description: text,
        occurred: null,
        impact: null,
        happened_before: null,
        fair_solutions: [],
        fair_solution_note: null,
        name: null,
        contact: null,
        consent_to_contact: false,
      },
      utc_offset_minutes: 0,
    },
  };
}

/** The localStorage entries (key, envelope text) that queue `events` on a device. */
export function queuedEntries(events: any[]): [string, string][] {
  return events.map((e) => [`srk1:ev:${e.id}`, JSON.stringify({ v: 1, event: e, sync: 'pending' })]);
}

/** Checks that the server holds each of `events` exactly once (by case: a retry that made a
 *  new event id would file the complaint twice) and returns how many it holds of them. */
export function countByCase(stored: any[], events: any[]): Map<string, number> {
  const wanted = new Set(events.map((e) => e.case));
  const counts = new Map<string, number>();
  for (const e of stored) if (wanted.has(e.case)) counts.set(e.case, (counts.get(e.case) ?? 0) + 1);
  return counts;
}
