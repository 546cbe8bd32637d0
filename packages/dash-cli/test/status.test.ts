import type { SnapshotSource } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { Canvas } from '../src/watch/canvas.js';
import { describeSource, formatTimer, truncate } from '../src/watch/format.js';
import { createPainter, hashKey, HASH_PALETTE, normalizeHex, projectColor, wantsMono } from '../src/watch/palette.js';
import { drawStatus, lastActivity, timerText } from '../src/watch/status.js';
import { knownStore, NOW, snapshotOf, TZ } from './fixtures.js';

const source = (over: Partial<SnapshotSource>): SnapshotSource => ({
  id: 'toggl',
  plugin: 'dash-plugin-toggl',
  status: 'ok',
  lastSyncAt: null,
  error: null,
  rateLimitedUntil: null,
  staleSince: null,
  ...over,
});

describe('sync state text', () => {
  const today = '2026-11-20';
  it.each([
    [source({ status: 'ok', lastSyncAt: '2026-11-20T15:29:00Z' }), 'ok · synced 16:29', 'ok'],
    [source({ status: 'syncing' }), 'syncing…', 'ok'],
    [source({ status: 'syncing', staleSince: '2026-11-20T13:00:00Z' }), 'stale since 14:00 · syncing…', 'warn'],
    [source({ status: 'stale', staleSince: '2026-11-20T13:00:00Z' }), 'stale since 14:00', 'warn'],
    [source({ status: 'stale', staleSince: '2026-11-19T13:00:00Z' }), 'stale since Thu 19 Nov 14:00', 'warn'],
    [source({ status: 'stale' }), 'stale (not synced yet)', 'warn'],
    [source({ status: 'rate-limited', rateLimitedUntil: '2026-11-20T16:00:00Z' }), 'rate-limited until 17:00', 'warn'],
    [source({ status: 'error', error: { code: 'NETWORK', message: 'connect ECONNREFUSED' } }), 'error: connect ECONNREFUSED [NETWORK]', 'error'],
  ])('%#', (input, text, tone) => {
    expect(describeSource(input, TZ, today)).toEqual({ text, tone });
  });
});

describe('timers and text', () => {
  it('formats elapsed time as H:MM:SS, right-aligned in a fixed width', () => {
    expect(formatTimer(0)).toBe('0:00:00');
    expect(formatTimer(47 * 60 + 5)).toBe('0:47:05');
    expect(formatTimer(12 * 3600 + 3 * 60)).toBe('12:03:00');
    expect(timerText(0, 61_000)).toBe(' 0:01:01');
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('Pairing on the API client', 10)).toBe('Pairing o…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x', 0)).toBe('');
  });
});

describe('colors', () => {
  it('backend hex colors are used as they are (normalized); others get a stable hashed color', () => {
    expect(normalizeHex('#ABC')).toBe('#aabbcc');
    expect(normalizeHex('06aaf5')).toBe('#06aaf5');
    expect(normalizeHex('blue')).toBeNull();
    expect(projectColor({ key: 'toggl:1', color: '#06AAF5' })).toBe('#06aaf5');
    const hashed = projectColor({ key: 'toggl:42', color: null });
    expect(hashed).toBe(HASH_PALETTE[hashKey('toggl:42') % HASH_PALETTE.length]);
    expect(projectColor({ key: 'toggl:42', color: null })).toBe(hashed); // stable
  });

  it('NO_COLOR (non-empty) or --no-color means monochrome; FORCE_COLOR overrides NO_COLOR', () => {
    expect(wantsMono({ NO_COLOR: '1' }, undefined)).toBe(true);
    expect(wantsMono({ NO_COLOR: '' }, undefined)).toBe(false);
    expect(wantsMono({}, false)).toBe(true);
    expect(wantsMono({}, true)).toBe(false);
    // FORCE_COLOR: set and not 0/false means color, even with NO_COLOR; --no-color still wins.
    expect(wantsMono({ FORCE_COLOR: '1', NO_COLOR: '1' }, undefined)).toBe(false);
    expect(wantsMono({ FORCE_COLOR: '3' }, undefined)).toBe(false);
    expect(wantsMono({ FORCE_COLOR: '0' }, undefined)).toBe(true);
    expect(wantsMono({ FORCE_COLOR: 'false' }, undefined)).toBe(true);
    expect(wantsMono({ FORCE_COLOR: '', NO_COLOR: '1' }, undefined)).toBe(true);
    expect(wantsMono({ FORCE_COLOR: '1' }, false)).toBe(true);
  });
});

describe('drawStatus', () => {
  it('running: the timer sits at a fixed place and is reported for the second tick', () => {
    const snapshot = snapshotOf(knownStore());
    const canvas = new Canvas(100, 3);
    const painter = createPainter(snapshot.week.projects, { mono: false });
    const { rows, timers } = drawStatus(canvas, 0, 0, 100, snapshot, NOW.getTime(), painter);
    expect(rows).toBe(1);
    expect(timers).toEqual([{ x: 9, y: 0, width: 8, startMs: Date.parse('2026-11-20T15:00:00Z'), style: { bold: true, fg: 'cyan' } }]);
    expect(canvas.line(0).slice(0, 17)).toBe('● toggl   0:30:00');
    expect(canvas.cell(19, 0)).toMatchObject({ ch: 'G', fg: '#e36a00', bold: true });
  });

  it('idle: the last tracked minute of the week', () => {
    const snapshot = snapshotOf(knownStore({ running: false }));
    expect(lastActivity(snapshot, 'toggl')).toEqual({ projectKey: 'toggl:tiny', until: '2026-11-17T08:05:00.000Z' });
    expect(lastActivity(snapshot, 'other')).toBeNull();
  });
});
