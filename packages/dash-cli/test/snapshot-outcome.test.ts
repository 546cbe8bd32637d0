/**
 * snapshotOutcome, the one exit-code rule of every read command (full and cache-served paths):
 * README "exit codes": 4 when a backend needs sign-in, 3 when one failed or has nothing cached.
 */
import type { StatusUpdate } from 'dash-core';
import type { Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { snapshotOutcome } from '../src/snapshot/outcome.js';
import { knownStore, snapshotOf } from './fixtures.js';

function withSecond(update: StatusUpdate | null): Store {
  const store = knownStore();
  const second = store.addSource('upwork', 'dash-plugin-upwork');
  if (update) second.setStatus(update);
  else second.markSynced(new Date('2026-11-20T15:29:00Z'));
  return store;
}

describe('snapshotOutcome: exit codes', () => {
  it('is 0 when every source synced and nothing is missing', () => {
    expect(snapshotOutcome(snapshotOf(withSecond(null)))).toEqual({ stderr: '', code: 0 });
  });

  it('is 4 (sign in) for a cached AUTH_REQUIRED, not 3, even with another source failing and one missing', () => {
    const store = withSecond({ status: 'error', error: { code: 'AUTH_REQUIRED', message: 'the token was rejected', hint: 'run dash-cli login upwork' } });
    store.handle('toggl').setStatus({ status: 'error', error: { code: 'NETWORK', message: 'no answer' } });
    const outcome = snapshotOutcome(snapshotOf(store), { missing: ['timew'] });
    expect(outcome.code).toBe(4);
    expect(outcome.stderr).toBe(
      'dash-cli: toggl: no answer\n' +
        'dash-cli: upwork: the token was rejected\nhint: run dash-cli login upwork\n' +
        'dash-cli: no cached data for timew yet (--offline never syncs); run `dash-cli snapshot` once without --offline\n',
    );
  });

  it('is 3 for a failure that is not sign-in, for rate-limited, and for a source with nothing cached', () => {
    expect(snapshotOutcome(snapshotOf(withSecond({ status: 'error', error: { code: 'NETWORK', message: 'no answer' } }))).code).toBe(3);
    expect(
      snapshotOutcome(snapshotOf(withSecond({ status: 'rate-limited', until: '2026-11-20T16:00:00Z', error: { code: 'RATE_LIMITED', message: 'quota used up' } }))).code,
    ).toBe(3);
    expect(snapshotOutcome(snapshotOf(withSecond(null)), { missing: ['timew'] }).code).toBe(3);
  });
});
