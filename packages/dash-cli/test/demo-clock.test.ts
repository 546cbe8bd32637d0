/**
 * The demo's clock (demo-clock.ts): the real time during working hours, else a working
 * afternoon (16:40 local on the last workday), exact in zones with DST; and what the demo then
 * shows: working hours, lunch, a running billable timer, the day's goal nearly met.
 */
import { localIso, type Weekday } from 'dash-core';
import { Store, buildSnapshot } from 'dash-core/host';
import { demoPlugin } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { demoClock } from '../src/watch/demo-clock.js';

const WORKDAYS: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const local = (ms: number | null, zone: string) => (ms === null ? null : localIso(Math.floor(ms / 1000), zone).slice(0, 16));

describe('demoClock', () => {
  it.each([
    // [now (UTC), zone, shown (local) or null for the real clock]
    ['2026-12-02T10:00:00Z', 'UTC', null], // Wednesday 10:00: working hours
    ['2026-12-02T05:00:00Z', 'UTC', '2026-12-01T16:40'], // Wednesday 05:00 → Tuesday afternoon
    ['2026-12-02T19:00:00Z', 'UTC', '2026-12-02T16:40'], // Wednesday evening → that afternoon
    ['2026-12-05T12:00:00Z', 'UTC', '2026-12-04T16:40'], // Saturday → Friday
    ['2026-11-30T06:00:00Z', 'Europe/Berlin', '2026-11-27T16:40'], // Monday 07:00 → last Friday
    ['2026-03-30T05:00:00Z', 'Europe/Berlin', '2026-03-27T16:40'], // over the spring change
    ['2026-11-02T03:00:00Z', 'America/New_York', '2026-10-30T16:40'], // Monday 22:00 → Friday (before the fall change)
    ['2026-12-02T10:00:00Z', 'Asia/Kathmandu', null], // 15:45 local
  ])('%s in %s → %s', (now, zone, shown) => {
    expect(local(demoClock(Date.parse(now), zone, WORKDAYS), zone)).toBe(shown);
  });

  it('no workdays: the real clock', () => {
    expect(demoClock(Date.parse('2026-12-02T03:00:00Z'), 'UTC', [])).toBeNull();
  });

  it('at 05:00 the demo shows a working afternoon: lunch gap, a running billable timer, the day goal nearly met', async () => {
    const zone = 'Europe/Berlin';
    const shown = new Date(demoClock(Date.parse('2026-11-19T04:00:00Z'), zone, WORKDAYS)!);
    expect(local(shown.getTime(), zone)).toBe('2026-11-18T16:40');
    const store = new Store();
    const handle = store.addSource('demo', 'dash-plugin-demo');
    const backend = await demoPlugin.createBackend({}, { now: () => shown, timeZone: zone, store: handle } as never);
    const weekStart = new Date('2026-11-15T23:00:00Z');
    await backend.sync({ from: weekStart, to: new Date('2026-11-22T23:00:00Z'), signal: new AbortController().signal });
    const snapshot = buildSnapshot(store, { now: shown, timeZone: zone, weekStart: 'monday', goals: { weekly: 40 * 3600, weeklyBillable: 30 * 3600, daily: 8 * 3600, dailyBillable: 6 * 3600 } });
    const today = snapshot.days.find((day) => day.date === snapshot.today)!;
    expect(snapshot.clockedIn).toHaveLength(1);
    expect(snapshot.clockedIn[0]!.billable).toBe(true);
    // Nearly met: between 75% and 100% of the 8 h day.
    expect(today.totalSeconds / today.goalSeconds!).toBeGreaterThan(0.75);
    expect(today.totalSeconds / today.goalSeconds!).toBeLessThan(1);
    // Nothing at night, a lunch break around noon.
    const minutes = today.hours.flatMap((hour) => hour.minutes.map((key) => ({ hour: hour.hour, key })));
    expect(minutes.filter((minute) => minute.hour >= 1 && minute.hour < 8 && minute.key !== null)).toHaveLength(0);
    expect(minutes.filter((minute) => minute.hour === 12 && minute.key === null).length).toBeGreaterThanOrEqual(30);
  });
});
