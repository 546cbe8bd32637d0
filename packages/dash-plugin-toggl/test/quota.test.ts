import { describe, expect, it } from 'vitest';
import { addRange, covers, loadCursor } from '../src/cursor.js';
import { formatClock, parseQuotaHeaders, parseRetryAfter, QuotaTracker } from '../src/quota.js';

const T = Date.parse('2026-11-18T12:00:00Z');

describe('quota headers', () => {
  it('reads X-Toggl-Quota-Remaining / -Resets-In, and nothing when either is missing', () => {
    expect(parseQuotaHeaders({ 'x-toggl-quota-remaining': '29', 'x-toggl-quota-resets-in': '3600' }, T)).toEqual({
      remaining: 29,
      resetsAt: T + 3_600_000,
      at: T,
    });
    expect(parseQuotaHeaders({ 'x-toggl-quota-remaining': '-3', 'x-toggl-quota-resets-in': '10' }, T)?.remaining).toBe(-3);
    expect(parseQuotaHeaders({ 'x-toggl-quota-remaining': '29' }, T)).toBeNull();
    expect(parseQuotaHeaders({ 'x-toggl-quota-remaining': 'lots', 'x-toggl-quota-resets-in': '1' }, T)).toBeNull();
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter({ 'retry-after': '7' }, T)).toBe(7_000);
    expect(parseRetryAfter({ 'retry-after': new Date(T + 90_000).toUTCString() }, T)).toBe(90_000);
    expect(parseRetryAfter({}, T)).toBeUndefined();
  });
});

describe('the schedule', () => {
  const floor = 300_000;

  it('polls at the floor while the quota is ample or unknown', () => {
    expect(new QuotaTracker().nextDelay(T, floor)).toBe(floor);
    const tracker = new QuotaTracker();
    tracker.observe({ remaining: 29, resetsAt: T + 3_600_000, at: T });
    expect(tracker.nextDelay(T, floor)).toBe(floor);
  });

  it('spreads the remaining requests (minus a reserve of 5) until the reset', () => {
    const tracker = new QuotaTracker();
    tracker.observe({ remaining: 9, resetsAt: T + 3_600_000, at: T });
    expect(tracker.nextDelay(T, floor)).toBe(900_000);
    tracker.observe({ remaining: 5, resetsAt: T + 1_200_000, at: T });
    expect(tracker.nextDelay(T, floor)).toBe(1_200_000);
    // After the reset the old figures no longer apply.
    expect(tracker.nextDelay(T + 1_200_000, floor)).toBe(floor);
  });

  it('waits out a block, which then expires by itself', () => {
    const tracker = new QuotaTracker();
    tracker.block(T + 2_400_000, 'quota');
    expect(tracker.blockedAt(T)).toEqual({ until: T + 2_400_000, reason: 'quota' });
    expect(tracker.nextDelay(T, floor)).toBe(2_400_000);
    expect(tracker.blockedAt(T + 2_400_000)).toBeNull();
    expect(tracker.state.blocked).toBeNull();
  });

  it('formats the reset time in the user zone', () => {
    expect(formatClock(T, 'UTC')).toBe('12:00');
    expect(formatClock(T, 'Europe/Berlin')).toBe('13:00');
    expect(formatClock(T, 'America/New_York')).toBe('07:00');
  });
});

describe('the cursor', () => {
  it('merges fetched ranges and answers coverage', () => {
    let ranges = addRange([], 100, 200);
    ranges = addRange(ranges, 300, 400);
    expect(covers(ranges, 150, 350)).toBe(false);
    ranges = addRange(ranges, 200, 300);
    expect(ranges).toEqual([[100, 400]]);
    expect(covers(ranges, 150, 350)).toBe(true);
  });

  it('drops a stored cursor of another scope, account or shape', () => {
    const cursor = { version: 1, scope: 'a', account: 'acct', since: 5, ranges: [[1, 2]], runningId: null, quota: { last: null, blocked: null } };
    expect(loadCursor(cursor, 'a', 'acct').since).toBe(5);
    expect(loadCursor(cursor, 'b', 'acct').since).toBeNull();
    expect(loadCursor(cursor, 'a', 'other').since).toBeNull();
    expect(loadCursor(cursor, 'a', 'other').account).toBe('other');
    // A cursor written before accounts were recorded belongs to nobody: start over.
    const { account: _dropped, ...anonymous } = cursor;
    expect(loadCursor(anonymous, 'a', 'acct').since).toBeNull();
    expect(loadCursor({ version: 2 }, 'a', 'acct').since).toBeNull();
    expect(loadCursor(undefined, 'a', 'acct').ranges).toEqual([]);
  });
});
