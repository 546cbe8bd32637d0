import { toEpochSeconds } from '../epoch.js';
import type { TimeEntry } from '../model.js';
import type { SourceState } from '../store.js';
import type { CacheFile } from './format.js';

const DAY = 86_400;
const ISO_OFFSET = /[zZ]|[+-]\d{2}:?\d{2}$/;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

function isNullableString(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

/**
 * True when a cached entry is a complete TimeEntry as Store.toJSON() writes it: every field
 * present and of the right type (what TimeEntrySchema accepts without filling in defaults).
 */
export function isCompleteEntry(value: unknown): value is TimeEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (typeof entry.id !== 'string' || entry.id === '' || typeof entry.source !== 'string' || entry.source === '') return false;
  if (!isInstant(entry.start) || (entry.end !== null && !isInstant(entry.end))) return false;
  if (typeof entry.description !== 'string' || typeof entry.billable !== 'boolean') return false;
  if (!Array.isArray(entry.tags) || !entry.tags.every((tag) => typeof tag === 'string')) return false;
  const project = entry.project;
  if (project === null) return true;
  if (typeof project !== 'object' || project === undefined) return false;
  const { key, name, client, color } = project as Record<string, unknown>;
  return (
    typeof key === 'string' && key !== '' && typeof name === 'string' && isNullableString(client) &&
    (color === null || (typeof color === 'string' && COLOR.test(color)))
  );
}

interface Indexed {
  entry: TimeEntry;
  start: number;
  end: number | null;
}

/**
 * A read-only view of a cache file's store, for `buildSnapshot`, built without zod: what the
 * snapshot fast path reads. It indexes entries exactly as Store does (same order, same
 * overlap rule), so a snapshot of the view equals one of `Store.fromJSON` of the same state.
 * `fromCache` returns undefined when an entry is not complete (the full path then decides).
 */
export class CachedStoreView {
  readonly #entries = new Map<string, Indexed>();
  readonly #byDay = new Map<number, Set<string>>();
  readonly #open = new Set<string>();
  readonly #sources = new Map<string, SourceState>();
  #longest = 0;

  static fromCache(cache: CacheFile, keep: ReadonlySet<string>): CachedStoreView | undefined {
    const view = new CachedStoreView();
    for (const source of cache.store.sources) if (keep.has(source.id)) view.#sources.set(source.id, { ...source });
    for (const raw of cache.store.entries) {
      if (!keep.has((raw as { source?: string }).source ?? '')) continue;
      if (!isCompleteEntry(raw)) return undefined;
      view.#put(raw);
    }
    return view;
  }

  sources(): SourceState[] {
    return [...this.#sources.values()].map((state) => ({ ...state }));
  }

  source(id: string): SourceState | undefined {
    const state = this.#sources.get(id);
    return state && { ...state };
  }

  /** What `handle(id).setStatus({ status: 'stale', since })` does to a source. */
  markStale(id: string, since: string): void {
    const state = this.#sources.get(id)!;
    state.status = 'stale';
    state.error = null;
    state.rateLimitedUntil = null;
    state.staleSince = new Date(toEpochSeconds(since) * 1000).toISOString();
  }

  /** Every entry that overlaps [from, to) (epoch seconds), running ones included; Store's order. */
  entriesBetween(lo: number, hi: number): TimeEntry[] {
    const found: TimeEntry[] = [];
    const firstDay = Math.floor((lo - this.#longest) / DAY);
    const lastDay = Math.floor((hi - 1) / DAY);
    for (let day = firstDay; day <= lastDay; day++) {
      const bucket = this.#byDay.get(day);
      if (!bucket) continue;
      for (const key of bucket) {
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

  #put(entry: TimeEntry): void {
    const key = `${entry.source}\u0000${entry.id}`;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      if (old.end === null) this.#open.delete(key);
      else {
        const bucket = this.#byDay.get(Math.floor(old.start / DAY));
        bucket?.delete(key);
        if (bucket?.size === 0) this.#byDay.delete(Math.floor(old.start / DAY));
      }
    }
    const start = toEpochSeconds(entry.start);
    const end = entry.end === null ? null : Math.max(start, toEpochSeconds(entry.end));
    this.#entries.set(key, { entry, start, end });
    if (end === null) this.#open.add(key);
    else {
      const day = Math.floor(start / DAY);
      let bucket = this.#byDay.get(day);
      if (!bucket) this.#byDay.set(day, (bucket = new Set()));
      bucket.add(key);
      if (end - start > this.#longest) this.#longest = end - start;
    }
  }
}
