import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One local calendar day: its date and the instants (epoch seconds) it starts and ends at. */
export interface CalendarDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  weekday: Weekday;
  /** Epoch seconds of local midnight (or the first instant of the day where midnight is skipped). */
  start: number;
  /** Epoch seconds of the next day's start: 23, 24 or 25 hours later around DST changes. */
  end: number;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export { systemTimeZone } from './system-zone.js';

function localDate(epochSeconds: number, timeZone: string): DateTime {
  return DateTime.fromSeconds(epochSeconds, { zone: timeZone });
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDateOf(epochSeconds: number, timeZone: string): string {
  return localDate(epochSeconds, timeZone).toISODate()!;
}

/** Adds whole calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/**
 * Epoch seconds of the first instant of local `date`. Where clocks go back from 01:00 to 00:00
 * (Cuba), 00:00 happens twice and luxon may pick the second one: the day starts at the first.
 */
function startOfDay(date: string, timeZone: string): number {
  const start = Math.floor(DateTime.fromISO(date, { zone: timeZone }).startOf('day').toSeconds());
  const zone = IANAZone.create(timeZone);
  const offset = (seconds: number) => zone.offset(seconds * 1000) * 60;
  const wall = start + offset(start);
  const earlier = wall - offset(start - 6 * 3600);
  return earlier < start && earlier + offset(earlier) === wall ? earlier : start;
}

/** The calendar day `date` in `timeZone`. */
export function calendarDay(date: string, timeZone: string): CalendarDay {
  const start = startOfDay(date, timeZone);
  return {
    date,
    weekday: WEEKDAYS[DateTime.fromISO(date, { zone: 'utc' }).weekday - 1]!,
    start,
    end: startOfDay(addDays(date, 1), timeZone),
  };
}

/** The seven local days of the week that contains `epochSeconds`, starting on `weekStart`. */
export function weekOf(epochSeconds: number, timeZone: string, weekStart: Weekday): CalendarDay[] {
  const local = localDate(epochSeconds, timeZone);
  const back = (local.weekday - 1 - WEEKDAYS.indexOf(weekStart) + 7) % 7;
  const first = addDays(local.toISODate()!, -back);
  return Array.from({ length: 7 }, (_, index) => calendarDay(addDays(first, index), timeZone));
}

/** The local wall-clock hour (0-23) at an instant. */
export function localHourOf(epochSeconds: number, timeZone: string): number {
  return localDate(epochSeconds, timeZone).hour;
}

/** An ISO instant with the zone's offset at that moment, e.g. 2026-03-29T03:00:00+02:00. */
export function localIso(epochSeconds: number, timeZone: string): string {
  return localDate(epochSeconds, timeZone).toISO({ suppressMilliseconds: true })!;
}
