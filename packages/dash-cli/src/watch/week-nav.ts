import { weekOf, type Weekday } from 'dash-core';

const WEEK = 7 * 86_400;

/**
 * The week `offset` weeks from the one containing `now`: an instant inside it (mid-week noon,
 * safe from DST shifts) and its [from, to) range for the backends.
 */
export function shiftedWeek(now: Date, offset: number, timeZone: string, weekStart: Weekday): { anchor: Date; from: Date; to: Date; dates: string[] } {
  const current = weekOf(Math.floor(now.getTime() / 1000), timeZone, weekStart);
  const middle = current[3]!.start + 12 * 3600 + offset * WEEK;
  const days = weekOf(middle, timeZone, weekStart);
  return { anchor: new Date(middle * 1000), from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000), dates: days.map((day) => day.date) };
}
