/** staleSince (README "Source status"): set when data is from before, kept until a sync succeeds. */
import { describe, expect, it } from 'vitest';
import { Store } from '../src/store.js';

describe('staleSince', () => {
  it('stays through syncing, rate-limited and error, and clears only when a sync succeeds', () => {
    const store = new Store();
    const handle = store.addSource('a', 'dash-plugin-a');
    const since = '2026-11-20T13:00:00.000Z';
    handle.setStatus({ status: 'stale', since: new Date(since) });
    expect(store.source('a')).toMatchObject({ status: 'stale', staleSince: since });
    handle.setStatus({ status: 'syncing' });
    expect(store.source('a')).toMatchObject({ status: 'syncing', staleSince: since });
    handle.setStatus({ status: 'rate-limited', until: new Date('2026-11-20T15:00:00Z'), error: { code: 'RATE_LIMITED', message: 'quota used up' } });
    expect(store.source('a')).toMatchObject({ status: 'rate-limited', rateLimitedUntil: '2026-11-20T15:00:00.000Z', staleSince: since });
    handle.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'no answer' } });
    expect(store.source('a')).toMatchObject({ status: 'error', rateLimitedUntil: null, staleSince: since });
    handle.markSynced(new Date('2026-11-20T15:01:00Z'));
    expect(store.source('a')).toMatchObject({ status: 'ok', error: null, staleSince: null, lastSyncAt: '2026-11-20T15:01:00.000Z' });
  });

  it('a sync that fails after a good one, by rate limit or by error, makes the data stale since that good sync', () => {
    const store = new Store();
    const limited = store.addSource('limited', 'dash-plugin-a');
    const failed = store.addSource('failed', 'dash-plugin-a');
    const never = store.addSource('never', 'dash-plugin-a');
    const synced = '2026-11-20T14:00:00.000Z';
    limited.markSynced(new Date(synced));
    failed.markSynced(new Date(synced));
    limited.setStatus({ status: 'rate-limited', until: new Date('2026-11-20T15:00:00Z'), error: { code: 'RATE_LIMITED', message: 'quota used up' } });
    failed.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'no answer' } });
    never.setStatus({ status: 'rate-limited', until: new Date('2026-11-20T15:00:00Z') });
    expect(store.source('limited')).toMatchObject({ status: 'rate-limited', staleSince: synced });
    expect(store.source('failed')).toMatchObject({ status: 'error', staleSince: synced });
    // Nothing fetched yet: nothing to be stale.
    expect(store.source('never')).toMatchObject({ status: 'rate-limited', staleSince: null });
  });
});
