import type { Logger } from 'dash-core';
import type { DashConfig, Redactor, Store } from 'dash-core/host';

/**
 * What `serve` runs on: the config, the store its backends write to, and a way to ask them for
 * another range. Whoever opens it (dash-core's openSession, through the CLI's setup.ts) owns the host's life: `stop` stops
 * the backends, disposes of them and saves the cache.
 */
export interface ServeSession {
  config: DashConfig;
  store: Store;
  host: {
    currentWeek(): { from: Date; to: Date };
    keepFresh(range: { from: Date; to: Date }, options?: { forMs?: number; timeoutMs?: number }): { synced: Promise<unknown> };
  };
  log: Logger;
  redactor: Redactor;
  /** The clock snapshots are computed with. */
  now: () => Date;
  /** Starts the backends running (polling or streaming into the store). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
