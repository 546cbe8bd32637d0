/**
 * instantOf and calendarDay (calendar.ts) against a brute-force search: the first whole minute,
 * scanned from well before, whose local wall reading (luxon) is at or past the asked one. Around
 * every clock change of 2026 in zones that go forward and back by an hour at 02:00, at midnight
 * (Havana, Santiago, Beirut), by half an hour (Lord Howe), by two hours (Troll), or by
 * Ramadan (Casablanca), and in zones without changes.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { numRuns } from '../../../test/support/fc-seed.js';
import { addDays, calendarDay, instantOf } from '../src/calendar.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Havana', 'America/Santiago', 'Asia/Beirut', 'Australia/Lord_Howe', 'Antarctica/Troll', 'Africa/Casablanca', 'Asia/Kathmandu', 'Pacific/Kiritimati'];
const MIN = 60;

/** A wall reading as seconds "as if UTC" (so readings compare as numbers). */
function wallOf(epochSeconds: number, zone: string): number {
  const local = DateTime.fromSeconds(epochSeconds, { zone });
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) / 1000;
}

/** The first whole minute whose reading is `wall` or later, scanned from 16 h before `wall` read as UTC. */
function firstMinuteReading(wall: number, zone: string): number {
  for (let instant = wall - 16 * 3600; instant <= wall + 16 * 3600; instant += MIN) if (wallOf(instant, zone) >= wall) return instant;
  throw new Error('not found within ±16 h');
}

/** The dates (YYYY-MM-DD, local) in 2026 on which `zone`'s offset changes: found by looking at each day's noon. */
function changeDates(zone: string): string[] {
  const dates: string[] = [];
  let day = DateTime.fromISO('2026-01-01', { zone });
  let before = day.set({ hour: 12 }).offset;
  for (let index = 0; index < 366; index++) {
    const next = day.plus({ days: 1 });
    const after = next.set({ hour: 12 }).offset;
    if (after !== before) dates.push(next.toISODate()!, day.toISODate()!);
    before = after;
    day = next;
  }
  return dates.length > 0 ? dates : ['2026-03-29', '2026-10-25'];
}

const CASES = ZONES.flatMap((zone) => changeDates(zone).map((date) => ({ zone, date })));

describe('calendar: property against a brute-force search', () => {
  it('has clock changes to test in the zones that have them', () => {
    expect(changeDates('Europe/Berlin')).toContain('2026-03-29');
    expect(changeDates('America/Havana')).toContain('2026-03-08');
    expect(changeDates('Antarctica/Troll')).toContain('2026-03-29');
  });

  it('instantOf(date, HH:MM) is the first instant the clock reads it, or the jump past a reading that does not exist', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.integer({ min: 0, max: 24 * 4 - 1 }), ({ zone, date }, quarter) => {
        const hours = Math.floor(quarter / 4);
        const minutes = (quarter % 4) * 15;
        const time = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
        const wall = Date.parse(`${date}T${time}:00Z`) / 1000;
        expect(instantOf(date, time, zone)).toBe(firstMinuteReading(wall, zone));
      }),
      { numRuns: numRuns(200) },
    );
  });

  it('a day runs from its first instant to the next day\'s, 24:00 included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), ({ zone, date }) => {
        const day = calendarDay(date, zone);
        expect(day.start).toBe(firstMinuteReading(Date.parse(`${date}T00:00:00Z`) / 1000, zone));
        expect(day.end).toBe(firstMinuteReading(Date.parse(`${addDays(date, 1)}T00:00:00Z`) / 1000, zone));
        expect(instantOf(date, '24:00', zone)).toBe(day.end);
      }),
      { numRuns: numRuns(60) },
    );
  });
});
