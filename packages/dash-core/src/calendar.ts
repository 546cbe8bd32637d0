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

/** The zone this machine runs in. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

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

/** The calendar day `date` in `timeZone`. */
export function calendarDay(date: string, timeZone: string): CalendarDay {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  const next = DateTime.fromISO(addDays(date, 1), { zone: timeZone }).startOf('day');
  return {
    date,
    weekday: WEEKDAYS[start.weekday - 1]!,
    start: Math.floor(start.toSeconds()),
    end: Math.floor(next.toSeconds()),
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
