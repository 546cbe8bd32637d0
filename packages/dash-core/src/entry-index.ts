import { toEpochSeconds } from './epoch.js';
import type { TimeEntry } from './model.js';

const DAY = 86_400;

interface Indexed {
  entry: TimeEntry;
  /** Epoch seconds. */
  start: number;
  /** null while running */
  end: number | null;
}

/** The key of an entry: unique across sources. */
export function entryKey(source: string, id: string): string {
  return `${source}\u0000${id}`;
}

/**
 * Entries indexed by the UTC day they start on (running ones kept apart), so reading one week
 * costs the same whatever the size of the history. Shared by Store and the cache's read-only
 * view, so both return entries in the same order. No zod: the snapshot fast path uses it.
 */
export class EntryIndex {
  readonly #entries = new Map<string, Indexed>();
  readonly #byDay = new Map<number, Set<string>>();
  readonly #open = new Set<string>();
  #longest = 0;

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): TimeEntry | undefined {
    return this.#entries.get(key)?.entry;
  }

  isOpen(key: string): boolean {
    return this.#open.has(key);
  }

  all(): TimeEntry[] {
    return [...this.#entries.values()].map((item) => item.entry);
  }

  open(): TimeEntry[] {
    return [...this.#open].map((key) => this.#entries.get(key)!.entry);
  }

  /** Adds or replaces an entry (by source and id). */
  put(entry: TimeEntry): void {
    const key = entryKey(entry.source, entry.id);
    this.drop(key);
    const start = toEpochSeconds(entry.start);
    const end = entry.end === null ? null : Math.max(start, toEpochSeconds(entry.end));
    this.#entries.set(key, { entry, start, end });
    if (end === null) {
      this.#open.add(key);
      return;
    }
    const day = Math.floor(start / DAY);
    let bucket = this.#byDay.get(day);
    if (!bucket) this.#byDay.set(day, (bucket = new Set()));
    bucket.add(key);
    if (end - start > this.#longest) this.#longest = end - start;
  }

  /** Removes an entry; false when there was none. */
  drop(key: string): boolean {
    const item = this.#entries.get(key);
    if (!item) return false;
    this.#entries.delete(key);
    if (item.end === null) this.#open.delete(key);
    else {
      const day = Math.floor(item.start / DAY);
      const bucket = this.#byDay.get(day);
      bucket?.delete(key);
      if (bucket?.size === 0) this.#byDay.delete(day);
    }
    return true;
  }

  /** Every entry that overlaps [lo, hi) (epoch seconds), running ones included. */
  between(lo: number, hi: number): TimeEntry[] {
    const found: TimeEntry[] = [];
    for (let day = Math.floor((lo - this.#longest) / DAY); day <= Math.floor((hi - 1) / DAY); day++) {
      for (const key of this.#byDay.get(day) ?? []) {
        const item = this.#entries.get(key)!;
        if (item.end !== null && item.start < hi && item.end > lo) found.push(item.entry);
      }
    }
    for (const key of this.#open) {
      const item = this.#entries.get(key)!;
      if (item.start < hi) found.push(item.entry);
    }
    return found;
  }

  /** Keys of the entries that start in [lo, hi), running ones included. */
  keysStartingBetween(lo: number, hi: number): string[] {
    const candidates = [...this.#open];
    for (let day = Math.floor(lo / DAY); day <= Math.floor((hi - 1) / DAY); day++) {
      candidates.push(...(this.#byDay.get(day) ?? []));
    }
    return candidates.filter((key) => {
      const { start } = this.#entries.get(key)!;
      return start >= lo && start < hi;
    });
  }
}
