import { createLogger } from '../logger.js';
import type { BackendContext } from '../plugin.js';
import { keyedDigest } from '../install-key.js';
import { Redactor } from '../redact.js';
import { Store } from '../store.js';
import type { Weekday } from '../calendar.js';

/** A clock tests move by hand. */
export class FakeClock {
  #now: number;

  constructor(start: Date | string | number = '2026-11-18T12:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now = (): Date => new Date(this.#now);

  advance(ms: number): void {
    this.#now += ms;
  }

  set(to: Date | string | number): void {
    this.#now = new Date(to).getTime();
  }
}

export interface TestContextOptions {
  id?: string;
  plugin?: string;
  clock?: FakeClock;
  timeZone?: string;
  weekStart?: Weekday;
  dataDir?: string;
  configDir?: string;
  /** The install key `context.fingerprint` digests with (default: a fixed test key). */
  key?: Buffer;
}

/** The key test contexts fingerprint with unless given another: fixed, so digests are reproducible. */
export const TEST_INSTALL_KEY = Buffer.alloc(32, 7);

export interface TestContext {
  context: BackendContext;
  store: Store;
  clock: FakeClock;
  /** Every line the backend logged (debug included), secrets masked. */
  logs: string[];
  redactor: Redactor;
}

/** A real store and a BackendContext for one backend, with a fake clock and captured logs. */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const id = options.id ?? 'test';
  const store = new Store();
  const clock = options.clock ?? new FakeClock();
  const logs: string[] = [];
  const redactor = new Redactor();
  const handle = store.addSource(id, options.plugin ?? 'dash-plugin-test');
  const context: BackendContext = {
    id,
    store: handle,
    log: createLogger({ level: 'debug', redactor, write: (line) => logs.push(line) }).child(id),
    now: clock.now,
    timeZone: options.timeZone ?? 'UTC',
    weekStart: options.weekStart ?? 'monday',
    configDir: options.configDir ?? process.cwd(),
    dataDir: options.dataDir ?? `${process.cwd()}/.dash-test-data/${id}`,
    secret: (value) => redactor.add(value),
    fingerprint: (text) => keyedDigest(options.key ?? TEST_INSTALL_KEY, text),
  };
  return { context, store, clock, logs, redactor };
}
