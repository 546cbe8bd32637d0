import { calendarDay, weekOf } from 'dash-core';
import { type DashConfig } from 'dash-core/host';
import { HttpError } from './http.js';

/** The longest range /api/v1/entries and /grafana/query read at once. */
export const MAX_RANGE_DAYS = 92;

export function parseInstant(value: string, name: string): Date {
  // ISO 8601 date-times, or epoch milliseconds (what Grafana's ${__from} gives).
  const date = /^\d{10,16}$/.test(value) ? new Date(Number(value)) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new HttpError(400, 'BAD_QUERY', `${name} must be an ISO 8601 date-time (e.g. 2026-11-20T17:00:00Z) or epoch milliseconds`);
  return date;
}

/** `?at=ISO&week=YYYY-MM-DD` of GET /api/v1/snapshot. */
export function snapshotQuery(params: URLSearchParams, config: DashConfig): { at?: Date; week?: Date } {
  const query: { at?: Date; week?: Date } = {};
  const at = params.get('at');
  if (at !== null) query.at = parseInstant(at, 'at');
  const week = params.get('week');
  if (week !== null) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(week) && !Number.isNaN(Date.parse(`${week}T12:00:00Z`)) && new Date(`${week}T12:00:00Z`).toISOString().startsWith(week);
    if (!valid) throw new HttpError(400, 'BAD_QUERY', 'week must be a date, YYYY-MM-DD (any day of the week)');
    query.week = new Date(calendarDay(week, config.timezone).start * 1000);
  }
  return query;
}

/** The range of the week a snapshot query shows. */
export function weekRange(instant: Date, config: DashConfig): { from: Date; to: Date } {
  const days = weekOf(Math.floor(instant.getTime() / 1000), config.timezone, config.weekStart);
  return { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
}

/** `from` and `to` of a range query, `from` before `to`, at most MAX_RANGE_DAYS apart. */
export function rangeOf(from: string | null | undefined, to: string | null | undefined): { from: Date; to: Date } {
  if (!from || !to) throw new HttpError(400, 'BAD_QUERY', 'from and to are required (ISO 8601 date-times)');
  const range = { from: parseInstant(from, 'from'), to: parseInstant(to, 'to') };
  if (range.to <= range.from) throw new HttpError(400, 'BAD_QUERY', 'to must be after from');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new HttpError(400, 'RANGE_TOO_LARGE', `at most ${MAX_RANGE_DAYS} days at once`);
  }
  return range;
}
