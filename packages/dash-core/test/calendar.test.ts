/**
 * calendar.ts (Intl only) against luxon, an independent implementation of the same rules, on
 * random instants near every kind of clock change: DST at 02:00, at midnight (Havana, Santiago,
 * Beirut), half-hour shifts (Lord Howe), odd offsets (Kathmandu, Chatham), and none (UTC).
 */
import fc from 'fast-check';
import { numRuns } from '../../../test/support/fc-seed.js';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDay, instantOf, isValidTimeZone, localDateOf, localHourOf, localIso, weekOf, WEEKDAYS } from '../src/calendar.js';

const ZONES = [
  'UTC',
  'Etc/UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Havana',
  'America/Santiago',
  'America/St_Johns',
  'Asia/Beirut',
  'Africa/Cairo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

/** Clock changes of 2026 (UTC instants) and a plain Monday. */
const ANCHORS = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-04-04T16:00:00Z',
  '2026-10-03T16:00:00Z',
  '2026-09-26T14:00:00Z',
  '2026-03-08T05:00:00Z',
  '2026-09-06T04:00:00Z',
  '2026-04-05T03:00:00Z',
  '2026-03-28T22:00:00Z',
  '2026-10-24T21:00:00Z',
  '2026-10-29T21:00:00Z',
  '2026-11-16T00:00:00Z',
].map((iso) => Date.parse(iso) / 1000);

// ------------------------------------------------------------------ the reference: luxon

const luxon = {
  localDateOf: (seconds: number, zone: string) => DateTime.fromSeconds(seconds, { zone }).toISODate()!,
  localHourOf: (seconds: number, zone: string) => DateTime.fromSeconds(seconds, { zone }).hour,
  localIso: (seconds: number, zone: string) => DateTime.fromSeconds(seconds, { zone }).toISO({ suppressMilliseconds: true })!,
  addDays: (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!,
  /** The first instant whose local date is `date`: searched second by second around midnight. */
  startOfDay(date: string, zone: string): number {
    const guess = Math.floor(DateTime.fromISO(date, { zone }).startOf('day').toSeconds());
    for (let instant = guess - 2 * 3600; instant <= guess + 2 * 3600; instant += 60) {
      if (DateTime.fromSeconds(instant, { zone }).toISODate()! >= date) {
        // Back to the exact second of a change inside that minute.
        let exact = instant;
        while (DateTime.fromSeconds(exact - 1, { zone }).toISODate()! >= date) exact--;
        return exact;
      }
    }
    throw new Error(`no start found for ${date} in ${zone}`);
  },
};

const instants = fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -4 * 86_400, max: 4 * 86_400 })).map(([anchor, delta]) => anchor + delta);
const zones = fc.constantFrom(...ZONES);

describe('calendar (Intl) agrees with luxon', () => {
  it('local date, hour and ISO instant of any instant', () => {
    fc.assert(
      fc.property(instants, zones, (instant, zone) => {
        expect(localDateOf(instant, zone)).toBe(luxon.localDateOf(instant, zone));
        expect(localHourOf(instant, zone)).toBe(luxon.localHourOf(instant, zone));
        expect(localIso(instant, zone)).toBe(luxon.localIso(instant, zone));
      }),
      { numRuns: numRuns(2_000) },
    );
  });

  it('weeks: seven days, each starting at the first instant of its date, ending where the next starts', () => {
    fc.assert(
      fc.property(instants, zones, fc.constantFrom(...WEEKDAYS), (instant, zone, weekStart) => {
        const days = weekOf(instant, zone, weekStart);
        expect(days).toHaveLength(7);
        expect(days[0]!.weekday).toBe(weekStart);
        expect(days.map((day) => day.date)).toContain(luxon.localDateOf(instant, zone));
        days.forEach((day, index) => {
          expect(day.start).toBe(luxon.startOfDay(day.date, zone));
          expect(day.end).toBe(luxon.startOfDay(luxon.addDays(day.date, 1), zone));
          expect(day.weekday).toBe(WEEKDAYS[DateTime.fromISO(day.date, { zone: 'utc' }).weekday - 1]);
          if (index > 0) expect(day.date).toBe(luxon.addDays(days[index - 1]!.date, 1));
        });
      }),
      { numRuns: numRuns(120) },
    );
  });

  it('adds days across months, leap days and years', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: -800, max: 800 }), (date, days) => {
        const iso = date.toISOString().slice(0, 10);
        expect(addDays(iso, days)).toBe(luxon.addDays(iso, days));
      }),
      { numRuns: numRuns(100) },
    );
  });

  it('knows the same zones', () => {
    for (const zone of [...ZONES, 'europe/berlin', 'Mars/Olympus', 'Europe/Berlin ', '', 'UTC+3', 'EST5EDT']) {
      expect(isValidTimeZone(zone), zone).toBe(IANAZone.isValidZone(zone));
    }
  });
});

describe('calendar: days that start twice or not at midnight', () => {
  it('Havana 2026-03-08 starts at 01:00 (midnight is skipped) and has 23 hours', () => {
    const day = calendarDay('2026-03-08', 'America/Havana');
    expect(localIso(day.start, 'America/Havana')).toBe('2026-03-08T01:00:00-04:00');
    expect(day.end - day.start).toBe(23 * 3600);
  });

  it('Havana 2026-11-01 starts at the first of its two midnights and has 25 hours', () => {
    const day = calendarDay('2026-11-01', 'America/Havana');
    expect(localIso(day.start, 'America/Havana')).toBe('2026-11-01T00:00:00-04:00');
    expect(day.end - day.start).toBe(25 * 3600);
  });

  it('Beirut 2026-10-25: at midnight the clock goes back to 23:00, so the 24th has 25 hours', () => {
    const day = calendarDay('2026-10-25', 'Asia/Beirut');
    expect(localIso(day.start, 'Asia/Beirut')).toBe('2026-10-25T00:00:00+02:00');
    const before = calendarDay('2026-10-24', 'Asia/Beirut');
    expect(before.end).toBe(day.start);
    expect(before.end - before.start).toBe(25 * 3600);
  });
});

describe('calendar: wall times and offsets', () => {
  const at = (iso: string) => Date.parse(iso) / 1000;

  it('instantOf: a local wall time on a date, 24:00 as the next day\'s start, a skipped time as the first after it', () => {
    expect(instantOf('2026-11-18', '09:30', 'Europe/Berlin')).toBe(at('2026-11-18T08:30:00Z'));
    expect(instantOf('2026-11-18', '09:00', 'Europe/Berlin')).toBe(at('2026-11-18T08:00:00Z'));
    expect(instantOf('2026-11-18', '24:30', 'UTC')).toBe(at('2026-11-19T00:30:00Z'));
    expect(instantOf('2026-11-18', '00:45', 'America/New_York')).toBe(at('2026-11-18T05:45:00Z'));
    expect(instantOf('2026-11-18', '24:00', 'Europe/Berlin')).toBe(at('2026-11-18T23:00:00Z'));
    // Berlin skips 02:00-03:00 on 2026-03-29: 02:30 does not exist, the first instant after is 03:00 CEST.
    expect(instantOf('2026-03-29', '02:30', 'Europe/Berlin')).toBe(at('2026-03-29T01:00:00Z'));
    // 02:30 happens twice on 2026-10-25: the first one (CEST).
    expect(instantOf('2026-10-25', '02:30', 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z'));
    expect(instantOf('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe(at('2026-04-04T14:45:00Z'));
  });

  it('localIso: "Z" for UTC and GMT, "+00:00" for a zone that is at offset 0 only in winter', () => {
    expect(localIso(at('2026-11-18T12:00:00Z'), 'UTC')).toBe('2026-11-18T12:00:00Z');
    expect(localIso(at('2026-11-18T12:00:00Z'), 'GMT')).toBe('2026-11-18T12:00:00Z');
    expect(localIso(at('2026-11-18T12:00:00Z'), 'Europe/London')).toBe('2026-11-18T12:00:00+00:00');
    expect(localIso(at('2026-07-18T12:00:00Z'), 'Europe/London')).toBe('2026-07-18T13:00:00+01:00');
    expect(localIso(at('2026-11-18T12:00:00Z'), 'Asia/Kathmandu')).toBe('2026-11-18T17:45:00+05:45');
    expect(localIso(at('2026-11-18T12:00:00Z'), 'America/St_Johns')).toBe('2026-11-18T08:30:00-03:30');
  });

  it('isValidTimeZone: IANA names yes; empty or made-up names no', () => {
    expect(isValidTimeZone('Pacific/Kiritimati')).toBe(true);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
