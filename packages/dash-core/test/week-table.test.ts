/**
 * The precomputed week table (what the CLI's fast path snapshots with): the same snapshot as the
 * Intl calendar for the weeks it holds, a WeekTableMiss for anything else.
 */
import { describe, expect, it } from 'vitest';
import { localDateOf, localHourOf, localIso, weekOf } from '../src/calendar.js';
import { buildSnapshot, type SnapshotCalendar } from '../src/snapshot/build.js';
import { makeWeekTable, weekTableCalendar, WeekTableMiss } from '../src/snapshot/week-table.js';
import { entry, storeWith } from './support.js';

const INTL: SnapshotCalendar = { weekOf, localDateOf, localHourOf, localIso };
const seconds = (iso: string) => Date.parse(iso) / 1000;
const GOALS = { weekly: 40 * 3600, weeklyBillable: null, daily: 8 * 3600, dailyBillable: null };

describe('week table', () => {
  it('gives the snapshot the Intl calendar gives, for two weeks it holds, around a half-hour DST change', () => {
    // Lord Howe: 2026-04-05 has 24.5 hours; the next week is plain.
    const zone = 'Australia/Lord_Howe';
    const store = storeWith({
      a: [entry('1', '2026-04-04T12:00:00Z', '2026-04-05T14:00:00Z', 'p'), entry('2', '2026-04-08T01:00:00Z', null, 'q', { billable: true })],
    });
    const instants = [seconds('2026-04-02T00:00:00Z'), seconds('2026-04-08T03:00:00Z')];
    const table = makeWeekTable(INTL, zone, 'monday', instants);
    expect(table.weeks).toHaveLength(2);
    expect(table.weeks[0]!.rows[6]).toHaveLength(25);
    expect(table.weeks[0]!.rows[6]![2]).toEqual([seconds('2026-04-04T15:00:00Z'), 1, '2026-04-05T01:30:00+10:30']);
    const calendar = weekTableCalendar(table);
    for (const [now, week] of [
      ['2026-04-08T03:00:00Z', '2026-04-08T03:00:00Z'],
      ['2026-04-08T03:00:00Z', '2026-04-02T00:00:00Z'],
    ] as const) {
      const options = { now: new Date(now), week: new Date(week), timeZone: zone, weekStart: 'monday' as const, goals: GOALS };
      expect(buildSnapshot(store, { ...options, calendar })).toEqual(buildSnapshot(store, options));
    }
  });

  it('holds each week once however many instants fall in it', () => {
    const table = makeWeekTable(INTL, 'UTC', 'sunday', [seconds('2026-11-15T00:00:00Z'), seconds('2026-11-18T12:00:00Z'), seconds('2026-11-21T23:59:59Z')]);
    expect(table.weeks).toHaveLength(1);
    expect(table.weeks[0]!.days.map((day) => day.date)).toEqual(['2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21']);
    expect(table.weeks[0]!.rows.map((rows) => rows.length)).toEqual([24, 24, 24, 24, 24, 24, 24]);
  });

  it('answers dates from plain days only and misses a DST day, another zone, week start or week', () => {
    const zone = 'Europe/Berlin';
    const calendar = weekTableCalendar(makeWeekTable(INTL, zone, 'monday', [seconds('2026-10-21T12:00:00Z')]));
    // The week of Mon 19 - Sun 25 Oct 2026: Sunday has 25 hours.
    expect(calendar.localDateOf(seconds('2026-10-21T21:59:59Z'), zone)).toBe('2026-10-21');
    expect(calendar.localDateOf(seconds('2026-10-21T22:00:00Z'), zone)).toBe('2026-10-22');
    expect(calendar.weekOf(seconds('2026-10-21T12:00:00Z'), zone, 'monday')).toEqual(weekOf(seconds('2026-10-21T12:00:00Z'), zone, 'monday'));
    expect(calendar.localHourOf(seconds('2026-10-25T01:00:00Z'), zone)).toBe(2);
    expect(calendar.localIso(seconds('2026-10-25T01:00:00Z'), zone)).toBe('2026-10-25T02:00:00+01:00');
    expect(() => calendar.localDateOf(seconds('2026-10-25T12:00:00Z'), zone)).toThrow(WeekTableMiss);
    expect(() => calendar.localDateOf(seconds('2026-10-21T12:00:00Z'), 'UTC')).toThrow(new WeekTableMiss('no table for UTC'));
    expect(() => calendar.weekOf(seconds('2026-10-21T12:00:00Z'), zone, 'sunday')).toThrow(new WeekTableMiss('no table for sunday'));
    expect(() => calendar.localDateOf(seconds('2026-10-18T12:00:00Z'), zone)).toThrow(WeekTableMiss); // the week before
    expect(() => calendar.localDateOf(seconds('2026-10-28T12:00:00Z'), zone)).toThrow(new WeekTableMiss(`no table for ${seconds('2026-10-28T12:00:00Z')}`));
    // Hour rows: only row starts are in the table.
    expect(() => calendar.localHourOf(seconds('2026-10-21T12:30:00Z'), zone)).toThrow(new WeekTableMiss(`no table for ${seconds('2026-10-21T12:30:00Z')}`));
    expect(() => calendar.localIso(seconds('2026-10-21T12:00:00Z'), 'UTC')).toThrow(WeekTableMiss);
  });
});
