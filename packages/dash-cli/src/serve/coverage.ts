import type { ServeSession } from './session.js';

type Range = { from: Date; to: Date };

/** A range synced this recently is not asked for again. */
const FRESH_MS = 5 * 60_000;

/**
 * Makes sure the store holds a range before it is read: the current week is kept fresh by the
 * running backends; another one (a paged week, a Grafana time range) is synced at once and held
 * in the host's fresh ranges for a few minutes (PluginHost.keepFresh), so the running backends
 * keep it fresh while someone looks at it; asked again after that, it is taken again.
 * Concurrent requests for the same range wait for the same sync.
 */
export class Coverage {
  readonly #session: ServeSession;
  readonly #synced: { range: Range; at: number; done: Promise<void> }[] = [];

  constructor(session: ServeSession) {
    this.#session = session;
  }

  async ensure(range: Range): Promise<void> {
    const week = this.#session.host.currentWeek();
    if (range.from >= week.from && range.to <= week.to) return;
    const now = Date.now();
    const covering = this.#synced.find((item) => now - item.at < FRESH_MS && item.range.from <= range.from && item.range.to >= range.to);
    if (covering) return covering.done;
    const done = this.#session.host.keepFresh(range, { forMs: FRESH_MS, timeoutMs: 20_000 }).synced.then(() => {});
    this.#synced.push({ range, at: now, done });
    // Keep the list short: forget what is no longer fresh.
    for (let index = this.#synced.length - 1; index >= 0; index--) if (now - this.#synced[index]!.at >= FRESH_MS) this.#synced.splice(index, 1);
    return done;
  }
}
