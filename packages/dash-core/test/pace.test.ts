/**
 * Goal pace (pace.ts) in the snapshot: expected-by-now through the 09:00–17:00 window, ahead or
 * behind, and the instant the goal is or will be reached; on ordinary and DST days.
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../src/store.js';
import { entry, H, snap, storeWith } from './support.js';

const ZONE = 'Europe/Berlin';
const GOALS = { weekly: 40 * H, weeklyBillable: null, daily: 8 * H, dailyBillable: null };

describe('day pace', () => {
  it('grows linearly through 09:00–17:00 local: at 13:00 half the goal is expected', () => {
    // Wednesday 2026-11-18, Berlin (UTC+1): 08:00–11:00 local tracked, now 13:00 local.
    const store = storeWith({ a: [entry('1', '2026-11-18T07:00:00Z', '2026-11-18T10:00:00Z', 'p')] });
    const s = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: ZONE, goals: GOALS });
    const today = s.days.find((day) => day.date === '2026-11-18')!;
    expect(today.pace).toEqual({ expectedSeconds: 4 * H, deltaSeconds: -1 * H, goalReachedAt: null });
  });

  it('before 09:00 nothing is expected; after 17:00 the whole goal; past days full, future days 0', () => {
    const store = storeWith({ a: [] });
    const early = snap(store, { now: '2026-11-18T07:59:00Z', timeZone: ZONE, goals: GOALS });
    expect(early.days[2]!.pace!.expectedSeconds).toBe(0);
    expect(early.days[1]!.pace!.expectedSeconds).toBe(8 * H);
    expect(early.days[3]!.pace!.expectedSeconds).toBe(0);
    const late = snap(store, { now: '2026-11-18T16:30:00Z', timeZone: ZONE, goals: GOALS });
    expect(late.days[2]!.pace).toEqual({ expectedSeconds: 8 * H, deltaSeconds: -8 * H, goalReachedAt: null });
  });

  it('a running timer gives the instant the goal is reached at this rate: now + what is missing', () => {
    const store = new Store();
    const a = store.addSource('a', 'dash-plugin-a');
    a.upsert([entry('1', '2026-11-18T07:00:00Z', '2026-11-18T11:00:00Z', 'p')]);
    a.setRunning(entry('run', '2026-11-18T12:00:00Z', null, 'p'));
    const s = snap(store, { now: '2026-11-18T13:00:00Z', timeZone: ZONE, goals: GOALS });
    // 4 h + 1 h worked, 3 h missing: 16:00Z.
    expect(s.days[2]!.pace!.goalReachedAt).toBe('2026-11-18T16:00:00Z');
    // Not clocked in: no forecast.
    a.setRunning(null);
    expect(snap(store, { now: '2026-11-18T13:00:00Z', timeZone: ZONE, goals: GOALS }).days[2]!.pace!.goalReachedAt).toBeNull();
  });

  it('a forecast past the end of the day is null; a goal met gives the instant it was met, overlaps counted once', () => {
    const store = storeWith({
      a: [entry('1', '2026-11-18T06:00:00Z', '2026-11-18T12:00:00Z', 'p')],
      b: [entry('2', '2026-11-18T11:00:00Z', '2026-11-18T14:00:00Z', 'q')],
    });
    const s = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: ZONE, goals: GOALS });
    // Union 06:00–14:00Z = 8 h, reached at 14:00Z (not 13:00Z, which double counting would give).
    expect(s.days[2]!.pace).toEqual({ expectedSeconds: 8 * H, deltaSeconds: 0, goalReachedAt: '2026-11-18T14:00:00Z' });
    const late = new Store();
    late.addSource('a', 'dash-plugin-a').setRunning(entry('run', '2026-11-18T21:00:00Z', null, 'p'));
    expect(snap(late, { now: '2026-11-18T22:00:00Z', timeZone: ZONE, goals: GOALS }).days[2]!.pace!.goalReachedAt).toBeNull();
  });

  it('no daily goal: null; a weekend (goal 0): nothing expected, nothing to reach', () => {
    const store = storeWith({ a: [entry('1', '2026-11-21T09:00:00Z', '2026-11-21T10:00:00Z', 'p')] });
    const s = snap(store, { now: '2026-11-22T12:00:00Z', timeZone: ZONE, goals: { ...GOALS, daily: null, weekly: null } });
    expect(s.days.every((day) => day.pace === null)).toBe(true);
    expect(s.week.pace).toBeNull();
    const withGoal = snap(store, { now: '2026-11-22T12:00:00Z', timeZone: ZONE, goals: GOALS });
    expect(withGoal.days[5]!.pace).toEqual({ expectedSeconds: 0, deltaSeconds: H, goalReachedAt: null });
  });

  it('on the day clocks go back (25 h) the window is still 09:00–17:00 local', () => {
    // Sunday 2026-10-25 is a 25-hour day in Berlin; make Sunday a workday. 13:00 local = 12:00Z.
    const store = storeWith({ a: [] });
    const s = snap(store, { now: '2026-10-25T12:00:00Z', timeZone: ZONE, goals: GOALS, workdays: ['sunday'] });
    expect(s.days[6]!.hours).toHaveLength(25);
    expect(s.days[6]!.pace!.expectedSeconds).toBe(4 * H);
  });

  it('on a day with a half-hour clock change (Lord Howe, 24.5 h) the window starts at 09:00 local, inside an hour row', () => {
    // Sunday 2026-04-05: 02:00 (+11:00) goes back to 01:30 (+10:30); 09:00 local = 22:30Z the day before.
    const store = storeWith({ a: [] });
    const at = (now: string) => snap(store, { now, timeZone: 'Australia/Lord_Howe', goals: GOALS, workdays: ['sunday'] }).days[6]!.pace!.expectedSeconds;
    expect(at('2026-04-04T22:30:00Z')).toBe(0);
    expect(at('2026-04-04T22:31:00Z')).toBe(60);
    expect(at('2026-04-05T02:30:00Z')).toBe(4 * H);
    expect(at('2026-04-05T06:30:00Z')).toBe(8 * H);
  });
});

describe('week pace', () => {
  it('spreads the weekly goal over the workdays: Wednesday 13:00 local = 2.5 of 5 days', () => {
    const store = storeWith({ a: [entry('1', '2026-11-16T08:00:00Z', '2026-11-16T16:00:00Z', 'p')] });
    const s = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: ZONE, goals: GOALS });
    expect(s.week.pace).toEqual({ expectedSeconds: 20 * H, deltaSeconds: -12 * H, goalReachedAt: null });
  });

  it('without a weekly goal the week uses daily × workdays; custom workdays change the spread', () => {
    const store = storeWith({ a: [] });
    const s = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: ZONE, goals: { ...GOALS, weekly: null }, workdays: ['monday', 'wednesday'] });
    expect(s.week.goalSeconds).toBe(16 * H);
    // Monday full, Wednesday half: 1.5 of 2 days of 16 h.
    expect(s.week.pace!.expectedSeconds).toBe(12 * H);
  });

  it('a week in the past is fully expected and keeps the instant its goal was met', () => {
    const entries = [16, 17, 18, 19, 20].map((day) => entry(`d${day}`, `2026-11-${day}T08:00:00Z`, `2026-11-${day}T16:00:00Z`, 'p'));
    const s = snap(storeWith({ a: entries }), { now: '2026-11-25T12:00:00Z', week: new Date('2026-11-18T12:00:00Z'), timeZone: ZONE, goals: GOALS });
    expect(s.week.pace).toEqual({ expectedSeconds: 40 * H, deltaSeconds: 0, goalReachedAt: '2026-11-20T16:00:00Z' });
  });
});
