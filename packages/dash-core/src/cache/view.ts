import { endsAfterStart, isShowableInstant } from '../bounds.js';
import { toEpochSeconds } from '../epoch.js';
import { EntryIndex } from '../entry-index.js';
import type { TimeEntry } from '../model.js';
import type { SourceState } from '../store.js';
import type { CacheFile } from './format.js';

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && isShowableInstant(value);
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
  if (!endsAfterStart(entry.start, entry.end as string | null)) return false;
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

/**
 * A read-only view of a cache file's store, for `buildSnapshot`, built without zod: what the
 * snapshot fast path reads. It indexes entries exactly as Store does (same order, same
 * overlap rule), so a snapshot of the view equals one of `Store.fromJSON` of the same state.
 * `fromCache` returns undefined when an entry is not complete (the full path then decides).
 */
export class CachedStoreView {
  readonly #index = new EntryIndex();
  readonly #sources = new Map<string, SourceState>();

  static fromCache(cache: CacheFile, keep: ReadonlySet<string>): CachedStoreView | undefined {
    const view = new CachedStoreView();
    for (const source of cache.store.sources) if (keep.has(source.id)) view.#sources.set(source.id, { ...source });
    for (const raw of cache.store.entries) {
      if (!keep.has((raw as { source?: string }).source ?? '')) continue;
      if (!isCompleteEntry(raw)) return undefined;
      view.#index.put(raw);
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

  /** What `Store.addSource(id, plugin)` does for a source the cache holds nothing of. */
  addPlaceholder(id: string, plugin: string): void {
    this.#sources.set(id, { id, plugin, status: 'stale', lastSyncAt: null, error: null, rateLimitedUntil: null, staleSince: null, cursor: undefined });
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
    return this.#index.between(lo, hi);
  }
}
