import fc from 'fast-check';
import { numRuns } from '../../../test/support/fc-seed.js';
import { describe, expect, it } from 'vitest';
import { toEpochSeconds } from '../src/model.js';
import { Store, type RejectedEntry } from '../src/store.js';
import { entry } from './support.js';

const ids = (entries: { id: string }[]) => entries.map((item) => item.id).sort();

/** Collects change events; resolves after pending microtasks ran. */
function changes(store: Store) {
  const events: { sources: string[] }[] = [];
  store.on('change', (change) => events.push(change));
  return { events, settle: () => new Promise<void>((resolve) => setTimeout(resolve, 0)) };
}

describe('Store: writes through a source handle', () => {
  it('refuses a project key over 200 characters (the minute grid repeats it in every minute) and keeps a 200-character one', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const rejected: RejectedEntry[] = [];
    store.on('rejected', (item) => rejected.push(item));
    a.upsert([
      entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'k'.repeat(201)),
      entry('2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'k'.repeat(200)),
    ]);
    expect(rejected.map((item) => [item.id, item.reason])).toEqual([['1', 'project.key must be at most 200 characters (it is an id, not a name)']]);
    expect(ids(a.entries())).toEqual(['2']);
  });

  it('upsert adds and updates by id; entries are scoped to their source', () => {
    const store = new Store();
    const a = store.addSource('a', 'dash-plugin-a');
    const b = store.addSource('b', 'dash-plugin-b');
    a.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'p'), entry('2', '2026-11-18T11:00:00Z', '2026-11-18T12:00:00Z', 'p')]);
    b.upsert([entry('1', '2026-11-18T09:30:00Z', '2026-11-18T10:30:00Z', 'q')]);
    expect(store.size).toBe(3);
    a.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T09:15:00Z', 'p', { description: 'edited' })]);
    expect(store.size).toBe(3);
    expect(a.entries().find((item) => item.id === '1')).toMatchObject({ source: 'a', end: '2026-11-18T09:15:00Z', description: 'edited' });
    expect(b.entries()).toEqual([
      { id: '1', source: 'b', start: '2026-11-18T09:30:00Z', end: '2026-11-18T10:30:00Z', project: { key: 'q', name: 'Q', client: null, color: null }, description: '', billable: false, tags: [] },
    ]);
    expect(ids(a.entries({ from: '2026-11-18T09:10:00Z', to: '2026-11-18T11:00:00Z' }))).toEqual(['1']);
  });

  it('remove deletes by id, only in its own source', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const b = store.addSource('b', 'x');
    a.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', null)]);
    b.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', null)]);
    a.remove(['1', 'unknown']);
    expect(a.entries()).toEqual([]);
    expect(ids(b.entries())).toEqual(['1']);
  });

  it('skips an invalid entry alone, announcing it as "rejected" with the field, and keeps the valid ones', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const rejected: RejectedEntry[] = [];
    store.on('rejected', (item) => rejected.push(item));
    a.upsert([
      { id: '1', start: '2026-11-18T09:00:00', end: null },
      { id: '7', start: 'yesterday', end: null },
      { id: '8', start: '+275760-09-13T00:00:00Z', end: null },
      { id: '9', start: '1969-12-31T23:59:59Z', end: '1970-01-01T00:10:00Z' },
      { id: '10', start: '2026-11-18T10:00:00Z', end: '2026-11-18T09:00:00Z' },
      { id: '11', start: '2026-11-18T10:00:00Z', end: '2026-11-18T11:00:00Z' },
    ]);
    expect(rejected.map((item) => [item.id, item.reason.split(' ')[0]])).toEqual([
      ['1', 'start'],
      ['7', 'start'],
      ['8', 'start'],
      ['9', 'start'],
      ['10', 'end'],
    ]);
    expect(rejected[4]!.reason).toBe('end must not be before start');
    expect(ids(a.entries())).toEqual(['11']);
    a.setRunning({ id: '12', start: 'NaN', end: null });
    expect(store.runningEntries()).toEqual([]);
    expect(() => store.handle('nope')).toThrow(/unknown source/);
  });

  it('replaceRange replaces what starts in [from, to) and keeps the rest', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const b = store.addSource('b', 'x');
    a.upsert([
      entry('before', '2026-11-15T23:00:00Z', '2026-11-16T01:00:00Z', null), // starts before the range
      entry('gone', '2026-11-17T09:00:00Z', '2026-11-17T10:00:00Z', null),
      entry('kept-edited', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', null),
      entry('at-end', '2026-11-23T00:00:00Z', '2026-11-23T01:00:00Z', null), // starts at `to`: outside
    ]);
    b.upsert([entry('other', '2026-11-17T09:00:00Z', '2026-11-17T10:00:00Z', null)]);
    a.replaceRange({ from: '2026-11-16T00:00:00Z', to: new Date('2026-11-23T00:00:00Z') }, [
      entry('kept-edited', '2026-11-18T09:00:00Z', '2026-11-18T11:00:00Z', null),
      entry('new', '2026-11-19T09:00:00Z', '2026-11-19T10:00:00Z', null),
    ]);
    expect(ids(a.entries())).toEqual(['at-end', 'before', 'kept-edited', 'new']);
    expect(a.entries().find((item) => item.id === 'kept-edited')!.end).toBe('2026-11-18T11:00:00Z');
    expect(ids(b.entries())).toEqual(['other']);
    // An empty replacement clears the range.
    a.replaceRange({ from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' }, []);
    expect(ids(a.entries())).toEqual(['at-end', 'before']);
  });

  it('setRunning sets, replaces and stops the running entry', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    a.setRunning(entry('r1', '2026-11-18T09:00:00Z', null, 'p'));
    expect(store.runningEntries().map((item) => item.id)).toEqual(['r1']);
    // A new timer replaces the old one (stopped upstream without us seeing its end).
    a.setRunning(entry('r2', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z', 'p')); // end is forced to null
    expect(store.runningEntries()).toMatchObject([{ id: 'r2', end: null }]);
    expect(ids(a.entries())).toEqual(['r2']);
    // The old one was upserted with an end, then the timer stops: the finished entry stays.
    a.upsert([entry('r2', '2026-11-18T10:00:00Z', '2026-11-18T10:30:00Z', 'p')]);
    a.setRunning(null);
    expect(store.runningEntries()).toEqual([]);
    expect(a.entries()).toMatchObject([{ id: 'r2', end: '2026-11-18T10:30:00Z' }]);
    // A running entry that simply stops disappears.
    a.setRunning(entry('r3', '2026-11-18T12:00:00Z', null, 'p'));
    a.setRunning(null);
    expect(ids(a.entries())).toEqual(['r2']);
    // Running entries of different sources are independent.
    const b = store.addSource('b', 'x');
    a.setRunning(entry('ra', '2026-11-18T12:00:00Z', null, 'p'));
    b.setRunning(entry('rb', '2026-11-18T12:05:00Z', null, 'q'));
    b.setRunning(null);
    expect(store.runningEntries().map((item) => item.id)).toEqual(['ra']);
  });

  it('status updates: syncing, error, rate-limited, stale, markSynced', () => {
    const store = new Store();
    const a = store.addSource('a', 'dash-plugin-a');
    expect(store.source('a')).toMatchObject({ status: 'stale', lastSyncAt: null, error: null });
    a.setStatus({ status: 'syncing' });
    expect(store.source('a')!.status).toBe('syncing');
    a.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
    expect(store.source('a')).toMatchObject({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
    a.setStatus({ status: 'rate-limited', until: '2026-11-18T13:00:00Z', error: { code: 'RATE_LIMITED', message: 'quota' } });
    expect(store.source('a')).toMatchObject({
      status: 'rate-limited',
      rateLimitedUntil: '2026-11-18T13:00:00.000Z',
      error: { code: 'RATE_LIMITED', message: 'quota' },
    });
    a.setStatus({ status: 'stale', since: new Date('2026-11-18T12:00:00Z') });
    expect(store.source('a')).toMatchObject({ status: 'stale', staleSince: '2026-11-18T12:00:00.000Z', rateLimitedUntil: null, error: null });
    // Stale data stays stale while a sync runs and when it fails; only a successful sync clears it.
    a.setStatus({ status: 'syncing' });
    expect(store.source('a')).toMatchObject({ status: 'syncing', staleSince: '2026-11-18T12:00:00.000Z' });
    a.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
    expect(store.source('a')).toMatchObject({ status: 'error', staleSince: '2026-11-18T12:00:00.000Z' });
    a.markSynced(new Date('2026-11-18T12:30:00Z'));
    expect(store.source('a')).toMatchObject({ status: 'ok', lastSyncAt: '2026-11-18T12:30:00.000Z', staleSince: null, error: null });
    // sources() returns copies.
    store.sources()[0]!.status = 'error';
    expect(store.source('a')!.status).toBe('ok');
  });

  it('cursors are per source', () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const b = store.addSource('b', 'x');
    a.setCursor({ since: 42 });
    expect(a.getCursor()).toEqual({ since: 42 });
    expect(b.getCursor()).toBeUndefined();
  });
});

describe('Store: change events', () => {
  it('coalesces a burst of writes into one event naming the sources', async () => {
    const store = new Store();
    const a = store.addSource('a', 'x');
    const b = store.addSource('b', 'x');
    const { events, settle } = changes(store);
    await settle();
    expect(events).toEqual([{ sources: ['a', 'b'] }]);
    events.length = 0;
    a.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', null)]);
    a.setRunning(entry('r', '2026-11-18T11:00:00Z', null, null));
    b.setStatus({ status: 'syncing' });
    a.markSynced();
    expect(events).toEqual([]); // not synchronously
    await settle();
    expect(events).toEqual([{ sources: ['a', 'b'] }]);
    // A later burst is a new event.
    b.remove(['nothing']); // no change, no event
    await settle();
    expect(events).toHaveLength(1);
    b.upsert([entry('2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', null)]);
    await settle();
    expect(events).toEqual([{ sources: ['a', 'b'] }, { sources: ['b'] }]);
  });
});

describe('Store: serialisation', () => {
  it('toJSON / fromJSON round-trips entries, sources and cursors through JSON text', () => {
    const store = new Store();
    const a = store.addSource('a', 'dash-plugin-a');
    const b = store.addSource('b', 'dash-plugin-b');
    a.upsert([entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'p', { billable: true, tags: ['x'] })]);
    a.setRunning(entry('r', '2026-11-18T11:00:00Z', null, 'p'));
    b.setStatus({ status: 'error', error: { code: 'AUTH_REQUIRED', message: 'sign in' } });
    a.markSynced(new Date('2026-11-18T11:30:00Z'));
    a.setCursor({ etag: 'abc' });
    const restored = Store.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(restored.toJSON()).toEqual(store.toJSON());
    expect(restored.entriesBetween('2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z').map((item) => item.id).sort()).toEqual(['1', 'r']);
    expect(restored.runningEntries().map((item) => item.id)).toEqual(['r']);
    // addSource keeps what the cache had.
    const handle = restored.addSource('a', 'dash-plugin-a');
    expect(handle.getCursor()).toEqual({ etag: 'abc' });
    expect(restored.source('a')!.lastSyncAt).toBe('2026-11-18T11:30:00.000Z');
    // A restored running entry is still the source's running entry: stopping the timer removes it.
    handle.setRunning(null);
    expect(restored.runningEntries()).toEqual([]);
  });

  it('fromJSON rejects a bad shape with CACHE_INVALID', () => {
    for (const bad of [null, {}, { version: 2, sources: [], entries: [] }, { version: 1, sources: [], entries: [{ id: 1 }] }]) {
      expect(() => Store.fromJSON(bad)).toThrow(expect.objectContaining({ code: 'CACHE_INVALID' }));
    }
  });
});

interface Item {
  source: 'a' | 'b';
  id: string;
  start: number;
  length: number;
  running: boolean;
}

describe('Store.entriesBetween', () => {
  const T0 = Date.parse('2026-11-01T00:00:00Z') / 1000;
  const item: fc.Arbitrary<Item> = fc.record({
    source: fc.constantFrom('a' as const, 'b' as const),
    id: fc.integer({ min: 0, max: 30 }).map(String),
    start: fc.integer({ min: 0, max: 20 * 86_400 }),
    // Some long entries (several days) to exercise the day index.
    length: fc.oneof(fc.integer({ min: 0, max: 7200 }), fc.integer({ min: 0, max: 5 * 86_400 })),
    running: fc.boolean(),
  });

  it('equals a filter over every entry (fast-check), after upserts, removes and replaceRange', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 30 }).map(String), { maxLength: 5 }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 20 * 86_400 }), fc.integer({ min: 0, max: 5 * 86_400 }), fc.array(item, { maxLength: 5 }))),
        fc.array(fc.tuple(fc.integer({ min: -86_400, max: 22 * 86_400 }), fc.integer({ min: 1, max: 8 * 86_400 })), { minLength: 1, maxLength: 8 }),
        (items, removed, replace, queries) => {
          const store = new Store();
          const handles = { a: store.addSource('a', 'x'), b: store.addSource('b', 'x') };
          const iso = (seconds: number) => new Date((T0 + seconds) * 1000).toISOString();
          const input = (value: Item) => ({
            id: value.id,
            start: iso(value.start),
            end: value.running ? null : iso(value.start + value.length),
          });
          for (const value of items) handles[value.source].upsert([input(value)]);
          handles.a.remove(removed);
          if (replace) {
            const [from, length, fresh] = replace;
            handles.b.replaceRange({ from: iso(from), to: iso(from + length) }, fresh.map((value) => ({ ...input(value), start: iso(from + (value.start % Math.max(1, length))) })));
          }
          const all = store.toJSON().entries;
          for (const [from, length] of queries) {
            const lo = T0 + from;
            const hi = lo + length;
            const expected = all
              .filter((value) => {
                const start = toEpochSeconds(value.start);
                const end = value.end === null ? Infinity : Math.max(start, toEpochSeconds(value.end));
                return start < hi && end > lo;
              })
              .map((value) => `${value.source}/${value.id}`)
              .sort();
            const found = store.entriesBetween(lo, hi).map((value) => `${value.source}/${value.id}`).sort();
            expect(found).toEqual(expected);
            expect(store.entriesBetween(new Date(lo * 1000), new Date(hi * 1000)).length).toBe(expected.length);
          }
        },
      ),
      { numRuns: numRuns(300) },
    );
  });
});
