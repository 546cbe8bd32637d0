import { describe, expect, it } from 'vitest';
import { EventDeriver } from '../src/events/index.js';
import type { Goals } from '../src/snapshot/build.js';
import { Store } from '../src/store.js';
import { entry, H, NO_GOALS, snap } from './support.js';

const ZONE = 'Europe/Berlin';
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A deriver fed the store and the snapshot at `now` (Friday 2026-11-20, Berlin). */
function rig(goals: Goals = NO_GOALS) {
  const store = new Store();
  const deriver = new EventDeriver();
  const look = (now: string) => deriver.update(store, snap(store, { now, timeZone: ZONE, goals }));
  return { store, deriver, look };
}

describe('EventDeriver: clock.in and clock.out', () => {
  it('the first look is the baseline; a timer started and stopped gives clock.in then clock.out', () => {
    const { store, look } = rig();
    const a = store.addSource('a', 'dash-plugin-a');
    a.setRunning(entry('old', '2026-11-20T07:00:00Z', null, 'p'));
    expect(look('2026-11-20T08:00:00Z')).toEqual([]);
    a.setRunning(entry('t1', '2026-11-20T08:00:30Z', null, 'p', { description: 'work', billable: true }));
    const [out, inn] = look('2026-11-20T08:01:00Z');
    expect(out).toMatchObject({ type: 'clock.out', data: { source: 'a', entry: { id: 'old', start: '2026-11-20T07:00:00Z', end: '2026-11-20T08:01:00Z' }, seconds: 3660 } });
    expect(inn).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'clock.in',
      timestamp: '2026-11-20T08:01:00Z',
      data: {
        source: 'a',
        entry: { id: 't1', start: '2026-11-20T08:00:30Z', project: { key: 'a:p', name: 'P', client: null, color: null, source: 'a' }, description: 'work', billable: true },
      },
    });
    expect(look('2026-11-20T08:02:00Z')).toEqual([]);
    // Stopped upstream: the entry comes back with its end.
    a.upsert([entry('t1', '2026-11-20T08:00:30Z', '2026-11-20T08:30:00Z', 'p', { description: 'work', billable: true })]);
    a.setRunning(null);
    const events = look('2026-11-20T08:31:00Z');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'clock.out', data: { entry: { id: 't1', end: '2026-11-20T08:30:00Z' }, seconds: 1770 } });
  });

  it('the same happening gets the same id in another process (another deriver, another instant)', () => {
    const first = rig();
    const second = rig();
    for (const { store, look } of [first, second]) {
      store.addSource('a', 'x');
      look('2026-11-20T08:00:00Z');
    }
    first.store.handle('a').setRunning(entry('t1', '2026-11-20T08:00:00Z', null, 'p'));
    second.store.handle('a').setRunning(entry('t1', '2026-11-20T08:00:00Z', null, 'p'));
    const [one] = first.look('2026-11-20T08:00:05Z');
    const [two] = second.look('2026-11-20T08:03:00Z');
    expect(one!.id).toBe(two!.id);
    expect(one!.timestamp).not.toBe(two!.timestamp);
    // The clock.out of that timer has its own id; another timer another one.
    first.store.handle('a').setRunning(null);
    const [out] = first.look('2026-11-20T09:00:00Z');
    expect(out!.type).toBe('clock.out');
    expect(out!.id).not.toBe(one!.id);
    first.store.handle('a').setRunning(entry('t2', '2026-11-20T09:00:00Z', null, 'p'));
    expect(first.look('2026-11-20T09:00:01Z')[0]!.id).not.toBe(one!.id);
  });

  it('a timer whose start is still ahead of now is not clocked in yet', () => {
    const { store, look } = rig();
    store.addSource('a', 'x');
    look('2026-11-20T08:00:00Z');
    store.handle('a').setRunning(entry('t1', '2026-11-20T09:00:00Z', null, 'p'));
    expect(look('2026-11-20T08:30:00Z')).toEqual([]);
    expect(look('2026-11-20T09:00:00Z').map((event) => event.type)).toEqual(['clock.in']);
  });
});

describe('EventDeriver: source.status', () => {
  it('tells settled changes of status, not the syncing in between', async () => {
    const { store, look } = rig();
    const a = store.addSource('a', 'x');
    a.markSynced(new Date('2026-11-20T07:00:00Z'));
    look('2026-11-20T08:00:00Z');
    a.setStatus({ status: 'syncing' });
    expect(look('2026-11-20T08:00:01Z')).toEqual([]);
    a.markSynced(new Date('2026-11-20T08:00:02Z'));
    expect(look('2026-11-20T08:00:02Z')).toEqual([]);
    a.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
    const [failed] = look('2026-11-20T08:05:00Z');
    expect(failed).toMatchObject({ type: 'source.status', data: { id: 'a', status: 'error', error: { code: 'NETWORK', message: 'connection refused' } } });
    a.setStatus({ status: 'syncing' });
    a.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'timed out' } });
    expect(look('2026-11-20T08:10:00Z')).toEqual([]);
    a.markSynced(new Date('2026-11-20T08:15:00Z'));
    const [back] = look('2026-11-20T08:15:00Z');
    expect(back).toMatchObject({ type: 'source.status', data: { id: 'a', status: 'ok', error: null } });
    // Failing again after the recovery is another happening.
    a.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
    const [again] = look('2026-11-20T08:20:00Z');
    expect(again!.id).not.toBe(failed!.id);
    await settle();
  });
});

describe('EventDeriver: goal.reached', () => {
  const goals: Goals = { weekly: 10 * H, weeklyBillable: null, daily: 2 * H, dailyBillable: 1 * H };

  it('once per goal and period, when the running timer crosses it; nextCheckSeconds says when to look', () => {
    const { store, deriver, look } = rig(goals);
    const a = store.addSource('a', 'x');
    // Monday to Thursday: 2 h a day (8 h of the weekly 10 h).
    a.upsert(['16', '17', '18', '19'].map((day) => entry(`d${day}`, `2026-11-${day}T08:00:00Z`, `2026-11-${day}T10:00:00Z`, 'p')));
    a.setRunning(entry('run', '2026-11-20T08:00:00Z', null, 'p', { billable: true }));
    expect(look('2026-11-20T08:30:00Z')).toEqual([]);
    expect(deriver.nextCheckSeconds()).toBe(1800); // daily_billable: 1 h, 30 min done
    const [billable] = look('2026-11-20T09:00:00Z');
    expect(billable).toMatchObject({ type: 'goal.reached', data: { goal: 'daily_billable', date: '2026-11-20', seconds: 3600, goalSeconds: 3600 } });
    expect(look('2026-11-20T09:30:00Z')).toEqual([]);
    expect(deriver.nextCheckSeconds()).toBe(1800);
    const reached = look('2026-11-20T10:00:00Z');
    expect(reached.map((event) => event.data)).toEqual([
      { goal: 'daily', date: '2026-11-20', seconds: 7200, goalSeconds: 7200 },
      { goal: 'weekly', date: '2026-11-16', seconds: 36_000, goalSeconds: 36_000 },
    ]);
    expect(look('2026-11-20T11:00:00Z')).toEqual([]);
    // The weekly billable goal is 5 × the daily one: 5 h, 3 h billable so far.
    expect(deriver.nextCheckSeconds()).toBe(7200);
    a.setRunning(null);
    expect(look('2026-11-20T11:00:01Z').map((event) => event.type)).toEqual(['clock.out']);
    expect(deriver.nextCheckSeconds()).toBeNull();
  });

  it('a day without a goal (the weekend) reaches nothing', () => {
    const { store, look } = rig({ ...NO_GOALS, daily: 2 * H });
    const a = store.addSource('a', 'x');
    look('2026-11-21T08:00:00Z');
    a.upsert([entry('sat', '2026-11-21T08:00:00Z', '2026-11-21T11:00:00Z', 'p')]);
    expect(look('2026-11-21T12:00:00Z')).toEqual([]);
  });
});
