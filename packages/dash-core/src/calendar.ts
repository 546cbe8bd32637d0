/**
 * Local calendar arithmetic on epoch seconds, on the platform's own time-zone data (Intl): local
 * dates, hours and ISO instants, and the days of a week, exact on days of 23 and 25 hours and where
 * clocks change at midnight. Plain dates ("2026-11-20") are counted on the proleptic Gregorian
 * calendar with Date.UTC.
 */

import { remembered } from './remembered.js';

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

export { systemTimeZone } from './system-zone.js';

const DAY = 86_400;

/** A wall-clock reading: what a clock on the wall shows at an instant in a zone. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  // Stryker disable next-line ConditionalExpression: without the memory each call builds a formatter (slower, same answers).
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * en-US with h23: "11/22/2026, 04:45:12". format() is ~4× faster than formatToParts(). Mutants
 * of this pattern and of `if (match)` are equivalent by design: a reading the pattern does not
 * take goes the layout-free way, with the same answer (which no test can tell apart on one ICU).
 */
// Stryker disable next-line Regex
const READING = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

function wallAt(epochSeconds: number, timeZone: string): Wall {
  const formatter = formatterFor(timeZone);
  const instant = Math.floor(epochSeconds) * 1000;
  const match = READING.exec(formatter.format(instant));
  // Stryker disable next-line ConditionalExpression,BlockStatement: see READING.
  if (match) {
    const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
    return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
  }
  // Another ICU's layout: the slower, layout-free way (never taken on Node's own ICU).
  // Stryker disable all
  const wall: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(instant)) {
    if (part.type in wall) wall[part.type as keyof Wall] = Number(part.value);
  }
  // Stryker restore all
  return wall;
}

/** The wall clock as if it were UTC, in epoch seconds: comparable across offsets. */
function wallSeconds(wall: Wall): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) / 1000;
}

/** The zone's offset from UTC at an instant, in seconds (east positive). */
function offsetAt(epochSeconds: number, timeZone: string): number {
  const whole = Math.floor(epochSeconds);
  return wallSeconds(wallAt(whole, timeZone)) - whole;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Epoch seconds of 00:00 UTC on a YYYY-MM-DD date. */
function utcMidnight(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / 1000;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDateOf(epochSeconds: number, timeZone: string): string {
  const wall = wallAt(epochSeconds, timeZone);
  return isoDate(wall.year, wall.month, wall.day);
}

/** Adds whole calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const moved = new Date((utcMidnight(date) + days * DAY) * 1000);
  return isoDate(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/**
 * The first instant the zone's clock reads `wall` (a wall-clock reading in seconds, as if UTC):
 * the first of two where clocks go back over it, or the moment the clock jumps past a reading
 * that does not exist.
 */
function firstInstantAt(wall: number, timeZone: string): number {
  // The offsets in force a day before and a day after that reading: the instant that reads it
  // is less than 15 hours from `wall` read as UTC, and a zone changes at most once in two days.
  const offsets = new Set([offsetAt(wall - DAY, timeZone), offsetAt(wall + DAY, timeZone)]);
  const matches = [...offsets].map((offset) => wall - offset).filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // Skipped: between the two candidates the clock is short of `wall` at `low` and past it at
  // `high`; find the jump.
  let low = wall - Math.max(...offsets);
  let high = wall - Math.min(...offsets);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    // Stryker disable next-line EqualityOperator: no instant reads a skipped `wall`, so `>` is the same test.
    if (middle + offsetAt(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * Epoch seconds of the first instant of local `date`: its midnight, the first of two where
 * clocks go back over midnight (Cuba, Beirut), or the moment clocks jump past a midnight that
 * does not exist (Havana, Santiago).
 */
const startOfDay = remembered((date: string, timeZone: string): number => firstInstantAt(utcMidnight(date), timeZone));

/** Epoch seconds of local wall time `time` ("HH:MM", "24:00" = the next day's start) on `date`. */
export function instantOf(date: string, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  // 24:00 reads as the next day's 00:00 (utcMidnight(date) + 24 h), so it is that day's start.
  return firstInstantAt(utcMidnight(date) + hours * 3600 + minutes * 60, timeZone);
}

/** The ISO weekday name of a YYYY-MM-DD date. */
export function weekdayOf(date: string): Weekday {
  const sundayFirst = new Date(utcMidnight(date) * 1000).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7]!;
}

/** The calendar day `date` in `timeZone`. */
export function calendarDay(date: string, timeZone: string): CalendarDay {
  return { date, weekday: weekdayOf(date), start: startOfDay(date, timeZone), end: startOfDay(addDays(date, 1), timeZone) };
}

/** The seven local days of the week that contains `epochSeconds`, starting on `weekStart`. */
export function weekOf(epochSeconds: number, timeZone: string, weekStart: Weekday): CalendarDay[] {
  const date = localDateOf(epochSeconds, timeZone);
  const back = (WEEKDAYS.indexOf(weekdayOf(date)) - WEEKDAYS.indexOf(weekStart) + 7) % 7;
  const first = addDays(date, -back);
  return Array.from({ length: 7 }, (_, index) => calendarDay(addDays(first, index), timeZone));
}

/** The local wall-clock hour (0-23) at an instant. */
export function localHourOf(epochSeconds: number, timeZone: string): number {
  return wallAt(epochSeconds, timeZone).hour;
}

/** UTC itself is written "Z"; every other zone with its offset, "+00:00" included. */
const UTC_NAMES = new Set(['utc', 'gmt']);

/** An ISO instant with the zone's offset at that moment, e.g. 2026-03-29T03:00:00+02:00. */
export function localIso(epochSeconds: number, timeZone: string): string {
  const wall = wallAt(epochSeconds, timeZone);
  const offset = wallSeconds(wall) - Math.floor(epochSeconds);
  const time = `${isoDate(wall.year, wall.month, wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
  if (UTC_NAMES.has(timeZone.toLowerCase())) return `${time}Z`;
  const minutes = Math.abs(offset) / 60;
  return `${time}${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
