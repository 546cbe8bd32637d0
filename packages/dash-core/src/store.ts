import { createRequire } from 'node:module';
import { entryKey, EntryIndex } from './entry-index.js';
import { DashError } from './errors.js';
import { EntryInputSchema, TimeEntrySchema, toEpochSeconds, type EntryInput, type TimeEntry } from './model.js';

// require, not import: eventemitter3 is CommonJS, and importing CommonJS from ESM makes Node 20
// scan its source for exports first (~10 ms at start-up).
const { EventEmitter } = createRequire(import.meta.url)('eventemitter3') as typeof import('eventemitter3');

/** What a backend is doing, as shown in the dashboard and in `sources[].status`. */
export type SourceStatusState = 'ok' | 'syncing' | 'stale' | 'error' | 'rate-limited';

export interface SourceError {
  /** Stable, machine-readable (AUTH_REQUIRED, RATE_LIMITED, NETWORK, ...). */
  code: string;
  /** One line for a human; never contains a secret. */
  message: string;
  /** What to do about it (a DashError's `hint`), when the backend said; absent otherwise. */
  hint?: string;
}

export interface SourceState {
  id: string;
  /** The plugin's package name, e.g. "dash-plugin-toggl". */
  plugin: string;
  status: SourceStatusState;
  /** ISO instant of the last successful sync, null before the first. */
  lastSyncAt: string | null;
  error: SourceError | null;
  /** ISO instant when a rate limit lifts (status "rate-limited"), else null. */
  rateLimitedUntil: string | null;
  /**
   * ISO instant since when the data is stale (restored from the cache, marked "stale", or kept
   * from the last successful sync, `lastSyncAt`, when a later one failed), else null. It stays
   * through "syncing", "error" and "rate-limited"; only a successful sync clears it.
   */
  staleSince: string | null;
  /** A backend's own serialisable sync state (cursors, quota); opaque to everything else. */
  cursor: unknown;
}

export type StatusUpdate =
  | { status: 'ok' | 'syncing' }
  | { status: 'stale'; since?: Date | string }
  | { status: 'error'; error: SourceError }
  | { status: 'rate-limited'; until: Date | string; error?: SourceError };

/** A time range [from, to): Dates or ISO instants. */
export interface TimeRange {
  from: Date | string;
  to: Date | string;
}

/** The serialisable form of a store (see `Store.toJSON` / `Store.fromJSON`). */
export interface StoreState {
  version: 1;
  sources: SourceState[];
  entries: TimeEntry[];
}

/** An entry a backend pushed that the store did not take (see `StoreEvents.rejected`). */
export interface RejectedEntry {
  source: string;
  /** The entry's id, when it had a usable one. */
  id: string | null;
  /** One line: which field is wrong and why. */
  reason: string;
}

export interface StoreEvents {
  /** Emitted once per burst of changes (coalesced to a microtask) with the sources that changed. */
  change: [change: { sources: string[] }];
  /**
   * An entry was skipped: a malformed or out-of-range one (start before 1970 or after 9999, end
   * before start, ...). Only that entry is dropped; the rest of the push is taken.
   */
  rejected: [rejected: RejectedEntry];
}

/**
 * The write side a backend gets: every call is scoped to its own source, so a backend can
 * never touch another backend's entries or status.
 */
export interface SourceHandle {
  readonly id: string;
  /** Replace everything this source has that starts in [from, to) with `entries`. */
  replaceRange(range: TimeRange, entries: readonly EntryInput[]): void;
  /** Add or update entries (matched by id). */
  upsert(entries: readonly EntryInput[]): void;
  /** Remove entries by id (deleted upstream). */
  remove(ids: readonly string[]): void;
  /**
   * The entry running now (end null), or null when the timer is stopped. Setting null removes the
   * previous running entry unless it has since been upserted with an end.
   */
  setRunning(entry: EntryInput | null): void;
  setStatus(update: StatusUpdate): void;
  /** Record a successful sync: status ok, error cleared, lastSyncAt = at. */
  markSynced(at?: Date): void;
  /** This source's entries overlapping a range (all of them without one). */
  entries(range?: TimeRange): TimeEntry[];
  /** The backend's own serialisable sync state (kept in the cache across restarts). */
  getCursor<T = unknown>(): T | undefined;
  setCursor(cursor: unknown): void;
}

function seconds(value: Date | string): number {
  return typeof value === 'string' ? toEpochSeconds(value) : Math.floor(value.getTime() / 1000);
}

/**
 * The single place state lives. Backends write through a SourceHandle; readers (snapshot,
 * dashboard, cache) read it and listen for "change".
 * Entries are indexed by the UTC day they start on, so reading one week costs the same
 * whatever the size of the history.
 */
export class Store extends EventEmitter<StoreEvents> {
  readonly #index = new EntryIndex();
  readonly #running = new Map<string, string>();
  readonly #sources = new Map<string, SourceState>();
  #pending = new Set<string>();
  #scheduled = false;

  /** Register a backend instance; keeps what a restored cache already had for it. */
  addSource(id: string, plugin: string): SourceHandle {
    const existing = this.#sources.get(id);
    if (existing) existing.plugin = plugin;
    else {
      this.#sources.set(id, {
        id,
        plugin,
        status: 'stale',
        lastSyncAt: null,
        error: null,
        rateLimitedUntil: null,
        staleSince: null,
        cursor: undefined,
      });
      this.#changed(id);
    }
    return this.handle(id);
  }

  handle(id: string): SourceHandle {
    if (!this.#sources.has(id)) throw new DashError('USAGE', `unknown source "${id}"`);
    return {
      id,
      replaceRange: (range, entries) => this.#replaceRange(id, range, entries),
      upsert: (entries) => this.#upsert(id, entries),
      remove: (ids) => this.#remove(id, ids),
      setRunning: (entry) => this.#setRunning(id, entry),
      setStatus: (update) => this.#setStatus(id, update),
      markSynced: (at = new Date()) => this.#markSynced(id, at),
      entries: (range) => this.#sourceEntries(id, range),
      getCursor: <T>() => this.#sources.get(id)?.cursor as T | undefined,
      setCursor: (cursor) => {
        this.#sources.get(id)!.cursor = cursor;
        this.#changed(id);
      },
    };
  }

  sources(): SourceState[] {
    return [...this.#sources.values()].map((state) => ({ ...state }));
  }

  source(id: string): SourceState | undefined {
    const state = this.#sources.get(id);
    return state && { ...state };
  }

  get size(): number {
    return this.#index.size;
  }

  /** Every entry (of every source) that overlaps [from, to), running ones included. */
  entriesBetween(from: Date | string | number, to: Date | string | number): TimeEntry[] {
    const lo = typeof from === 'number' ? from : seconds(from);
    const hi = typeof to === 'number' ? to : seconds(to);
    return this.#index.between(lo, hi);
  }

  /** Entries with no end, across all sources. */
  runningEntries(): TimeEntry[] {
    return this.#index.open();
  }

  toJSON(): StoreState {
    return {
      version: 1,
      sources: this.sources(),
      entries: this.#index.all(),
    };
  }

  /** Rebuild a store from `toJSON()` output; throws DashError('CACHE_INVALID') on a bad shape. */
  static fromJSON(state: unknown): Store {
    const store = new Store();
    const value = state as Partial<StoreState> | null;
    if (!value || value.version !== 1 || !Array.isArray(value.sources) || !Array.isArray(value.entries)) {
      throw new DashError('CACHE_INVALID', 'not a dash store (wrong version or shape)');
    }
    for (const source of value.sources) store.#sources.set(source.id, { ...source });
    for (const raw of value.entries) {
      const parsed = TimeEntrySchema.safeParse(raw);
      if (!parsed.success) throw new DashError('CACHE_INVALID', 'a cached entry is malformed');
      store.#put(parsed.data);
      // A restored open entry is still its source's running timer: setRunning(null) stops it.
      if (parsed.data.end === null) store.#running.set(parsed.data.source, parsed.data.id);
    }
    return store;
  }

  /**
   * The one check every entry passes on its way in. A bad one is skipped alone (announced as
   * "rejected"): one broken entry upstream must not cost the valid ones of the same sync.
   */
  #parse(source: string, input: EntryInput): TimeEntry | undefined {
    const parsed = EntryInputSchema.safeParse(input);
    if (parsed.success) return { ...parsed.data, source };
    const issue = parsed.error.issues[0]!;
    const id = input && typeof input.id === 'string' && input.id !== '' ? input.id : null;
    this.emit('rejected', { source, id, reason: `${issue.path.join('.') || 'entry'} ${issue.message}` });
    return undefined;
  }

  #parseAll(source: string, inputs: readonly EntryInput[]): TimeEntry[] {
    const entries: TimeEntry[] = [];
    for (const input of inputs) {
      const entry = this.#parse(source, input);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  #put(entry: TimeEntry): void {
    this.#index.put(entry);
  }

  #drop(key: string): boolean {
    return this.#index.drop(key);
  }

  #sourceEntries(source: string, range?: TimeRange): TimeEntry[] {
    const all = range
      ? this.entriesBetween(range.from, range.to)
      : this.#index.all();
    return all.filter((entry) => entry.source === source);
  }

  #replaceRange(source: string, range: TimeRange, inputs: readonly EntryInput[]): void {
    const entries = this.#parseAll(source, inputs);
    const lo = seconds(range.from);
    const hi = seconds(range.to);
    const keep = new Set(entries.map((entry) => entryKey(source, entry.id)));
    for (const key of this.#index.keysStartingBetween(lo, hi)) {
      if (this.#index.get(key)!.source === source && !keep.has(key)) this.#drop(key);
    }
    for (const entry of entries) this.#put(entry);
    this.#changed(source);
  }

  #upsert(source: string, inputs: readonly EntryInput[]): void {
    const entries = this.#parseAll(source, inputs);
    for (const entry of entries) this.#put(entry);
    if (entries.length > 0) this.#changed(source);
  }

  #remove(source: string, ids: readonly string[]): void {
    let removed = false;
    for (const id of ids) removed = this.#drop(entryKey(source, id)) || removed;
    if (removed) this.#changed(source);
  }

  #setRunning(source: string, input: EntryInput | null): void {
    const previous = this.#running.get(source);
    // A running entry that is rejected counts as none: no timer ticks from a broken start.
    const entry = input === null ? null : (this.#parse(source, { ...input, end: null }) ?? null);
    if (previous !== undefined && previous !== entry?.id) {
      const key = entryKey(source, previous);
      if (this.#index.isOpen(key)) this.#drop(key);
    }
    if (entry) {
      this.#running.set(source, entry.id);
      this.#put(entry);
    } else {
      this.#running.delete(source);
    }
    this.#changed(source);
  }

  #setStatus(source: string, update: StatusUpdate): void {
    const state = this.#sources.get(source)!;
    state.status = update.status;
    state.error = update.status === 'error' ? update.error : update.status === 'rate-limited' ? (update.error ?? null) : null;
    state.rateLimitedUntil =
      update.status === 'rate-limited' ? new Date(seconds(update.until) * 1000).toISOString() : null;
    // Data stays stale until a sync succeeds (markSynced): through syncing, errors and rate limits.
    if (update.status === 'stale') state.staleSince = new Date(update.since === undefined ? Date.now() : seconds(update.since) * 1000).toISOString();
    else if (update.status === 'ok') state.staleSince = null;
    // A failed sync leaves what an earlier one fetched (kept, or restored from the cache): it is
    // stale since it was last confirmed.
    else if ((update.status === 'error' || update.status === 'rate-limited') && state.staleSince === null && state.lastSyncAt !== null) {
      state.staleSince = state.lastSyncAt;
    }
    this.#changed(source);
  }

  #markSynced(source: string, at: Date): void {
    const state = this.#sources.get(source)!;
    state.status = 'ok';
    state.error = null;
    state.rateLimitedUntil = null;
    state.staleSince = null;
    state.lastSyncAt = at.toISOString();
    this.#changed(source);
  }

  #changed(source: string): void {
    this.#pending.add(source);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      const sources = [...this.#pending];
      this.#pending.clear();
      this.emit('change', { sources });
    });
  }
}
