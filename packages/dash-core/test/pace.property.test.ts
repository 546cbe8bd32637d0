/**
 * Pace (pace.ts, through buildSnapshot) against a simple independent calculation on random
 * weeks: luxon for the local 09:00 and 17:00 and the day bounds, a minute-by-minute bitmap for
 * the tracked time (overlaps once), in zones with DST at 02:00, at midnight, half-hour shifts
 * and odd offsets.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { numRuns } from '../../../test/support/fc-seed.js';
import { WEEKDAYS, type Weekday } from '../src/calendar.js';
import { buildSnapshot } from '../src/snapshot/build.js';
import { Store } from '../src/store.js';
import { entry } from './support.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Havana', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
/** Mondays (UTC dates) of weeks with and without clock changes in those zones. */
const WEEKS = ['2026-03-02', '2026-03-23', '2026-03-30', '2026-04-06', '2026-09-07', '2026-10-05', '2026-10-26', '2026-11-02', '2026-11-16'];
const MIN = 60;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

describe('pace: property against an independent calculation', () => {
  it('expected, delta and goalReachedAt for every day and the week', () => {
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      week: fc.constantFrom(...WEEKS),
      /** Minutes from the week's first local midnight (−1 day … +8 days). */
      nowMinute: fc.integer({ min: -1440, max: 8 * 1440 }),
      entries: fc.array(fc.record({ source: fc.constantFrom('a', 'b'), start: fc.integer({ min: -1440, max: 8 * 1440 }), length: fc.integer({ min: 1, max: 600 }) }), { maxLength: 25 }),
      running: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
      daily: fc.integer({ min: 0, max: 12 * 60 }),
      weekly: fc.option(fc.integer({ min: 0, max: 60 * 60 }), { nil: null }),
      workdays: fc.subarray([...WEEKDAYS]),
    });
    fc.assert(
      fc.property(arb, ({ zone, week, nowMinute, entries, running, daily, weekly, workdays }) => {
        const monday = DateTime.fromISO(week, { zone }).startOf('day');
        const origin = Math.floor(monday.toSeconds());
        const now = origin + nowMinute * MIN;
        const store = new Store();
        const handles = { a: store.addSource('a', 'dash-plugin-a'), b: store.addSource('b', 'dash-plugin-b') };
        const tracked = new Set<number>(); // minutes (epoch / 60) tracked up to now
        entries.forEach((item, index) => {
          const start = origin + item.start * MIN;
          const end = start + item.length * MIN;
          handles[item.source].upsert([entry(`e${index}`, iso(start), iso(end), 'p')]);
          for (let t = start; t < Math.min(end, now); t += MIN) tracked.add(t / MIN);
        });
        if (running !== undefined) {
          const start = now - running * MIN;
          handles.a.setRunning(entry('run', iso(start), null, 'p'));
          for (let t = start; t < now; t += MIN) tracked.add(t / MIN);
        }
        const goals = { daily: daily * MIN, dailyBillable: null, weekly: weekly === null ? null : weekly * MIN, weeklyBillable: null };
        const snapshot = buildSnapshot(store, { now: new Date(now * 1000), week: new Date((origin + 12 * 3600) * 1000), timeZone: zone, weekStart: 'monday', goals, workdays: workdays as Weekday[] });

        // The oracle.
        const days = Array.from({ length: 7 }, (_, index) => {
          const date = monday.plus({ days: index });
          return { date: date.toISODate()!, weekday: WEEKDAYS[index]!, start: Math.floor(date.startOf('day').toSeconds()), end: Math.floor(date.plus({ days: 1 }).startOf('day').toSeconds()), from: Math.floor(date.set({ hour: 9 }).toSeconds()), to: Math.floor(date.set({ hour: 17 }).toSeconds()) };
        });
        const isWorkday = (weekday: Weekday) => workdays.includes(weekday);
        const clockedIn = running !== undefined || entries.some((item) => origin + item.start * MIN <= now && origin + (item.start + item.length) * MIN > now);
        const workedIn = (from: number, to: number) => { let n = 0; for (let t = from; t < Math.min(to, now); t += MIN) if (tracked.has(t / MIN)) n += MIN; return n; };
        const reached = (from: number, to: number, goal: number, worked: number): string | null => {
          if (goal <= 0) return null;
          if (worked >= goal) {
            let n = 0;
            for (let t = from; t < to; t += MIN) if (tracked.has(t / MIN) && (n += MIN) >= goal) return iso(t + MIN);
          }
          if (clockedIn && now >= from && now < to && now + (goal - worked) <= to) return iso(now + goal - worked);
          return null;
        };
        const elapsed = (day: (typeof days)[number]) => Math.min(day.to, Math.max(day.from, now)) - day.from;
        days.forEach((day, index) => {
          const goal = isWorkday(day.weekday) ? daily * MIN : 0;
          const worked = workedIn(day.start, day.end);
          const expected = Math.floor((goal * elapsed(day)) / (8 * 3600));
          expect(snapshot.days[index]!.date).toBe(day.date);
          expect(snapshot.days[index]!.totalSeconds).toBe(worked);
          expect(snapshot.days[index]!.pace).toEqual({ expectedSeconds: expected, deltaSeconds: worked - expected, goalReachedAt: reached(day.start, day.end, goal, worked) });
        });
        const workDays = days.filter((day) => isWorkday(day.weekday));
        const weekGoal = weekly === null ? daily * MIN * workDays.length : weekly * MIN;
        const worked = workedIn(days[0]!.start, days[6]!.end);
        const sum = workDays.reduce((acc, day) => acc + elapsed(day), 0);
        const expected = workDays.length === 0 ? 0 : Math.floor((weekGoal * sum) / (workDays.length * 8 * 3600));
        expect(snapshot.week.pace).toEqual({ expectedSeconds: expected, deltaSeconds: worked - expected, goalReachedAt: reached(days[0]!.start, days[6]!.end, weekGoal, worked) });
      }),
      { numRuns: numRuns(150) },
    );
  });
});
