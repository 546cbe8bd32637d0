import type { CalendarDay, Weekday } from '../calendar.js';
import type { SnapshotCalendar } from './core.js';

/**
 * A few weeks of one zone's calendar, computed ahead (by calendar.ts) and saved, so a later process
 * can build a snapshot without time-zone arithmetic or ICU's time-zone start-up. It gives
 * exactly what calendar.ts gave when it was made; outside its weeks it throws WeekTableMiss.
 */
export interface WeekTable {
  timeZone: string;
  weekStart: Weekday;
  weeks: {
    days: CalendarDay[];
    /** Per day, its hour rows: [epoch seconds of the row start, local hour, ISO with offset]. */
    rows: [number, number, string][][];
  }[];
}

/** Asked about an instant or zone the table does not hold. */
export class WeekTableMiss extends Error {}

/** Builds the table of the weeks containing `instants` (epoch seconds) with the given calendar. */
export function makeWeekTable(
  calendar: SnapshotCalendar,
  timeZone: string,
  weekStart: Weekday,
  instants: readonly number[],
): WeekTable {
  const weeks: WeekTable['weeks'] = [];
  for (const instant of instants) {
    const days = calendar.weekOf(instant, timeZone, weekStart);
    if (weeks.some((week) => week.days[0]!.start === days[0]!.start)) continue;
    const rows = days.map((day) =>
      Array.from({ length: Math.ceil((day.end - day.start) / 3600) }, (_, row): [number, number, string] => {
        const start = day.start + row * 3600;
        return [start, calendar.localHourOf(start, timeZone), calendar.localIso(start, timeZone)];
      }),
    );
    weeks.push({ days, rows });
  }
  return { timeZone, weekStart, weeks };
}

/** The calendar of a table (for buildSnapshot's `calendar` option). */
export function weekTableCalendar(table: WeekTable): SnapshotCalendar {
  const rows = new Map<number, [number, number, string]>();
  for (const week of table.weeks) for (const day of week.rows) for (const row of day) rows.set(row[0], row);
  const zone = (timeZone: string) => {
    if (timeZone !== table.timeZone) throw new WeekTableMiss(`no table for ${timeZone}`);
  };
  // Only a plain day (24 rows, hours 0-23, no change of offset) surely gives its date to every
  // instant in it; around a DST change the table says nothing (the caller computes instead).
  const plain = new Set<CalendarDay>();
  for (const week of table.weeks) {
    week.days.forEach((day, index) => {
      const hours = week.rows[index]!;
      if (day.end - day.start === 86_400 && hours.length === 24 && hours.every((item, hour) => item[1] === hour)) plain.add(day);
    });
  }
  const dayOf = (instant: number, timeZone: string): CalendarDay => {
    zone(timeZone);
    for (const week of table.weeks) for (const day of week.days) if (day.start <= instant && instant < day.end && plain.has(day)) return day;
    throw new WeekTableMiss(`no table for ${instant}`);
  };
  const row = (instant: number, timeZone: string) => {
    zone(timeZone);
    const found = rows.get(instant);
    if (!found) throw new WeekTableMiss(`no table for ${instant}`);
    return found;
  };
  return {
    weekOf: (instant, timeZone, weekStart) => {
      if (weekStart !== table.weekStart) throw new WeekTableMiss(`no table for ${weekStart}`);
      const day = dayOf(instant, timeZone);
      const week = table.weeks.find((item) => item.days.includes(day))!;
      return week.days.map((day) => ({ ...day }));
    },
    localDateOf: (instant, timeZone) => dayOf(instant, timeZone).date,
    localHourOf: (instant, timeZone) => row(instant, timeZone)[1],
    localIso: (instant, timeZone) => row(instant, timeZone)[2],
  };
}
