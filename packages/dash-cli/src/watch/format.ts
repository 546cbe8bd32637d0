import { formatDuration, localIso, type SnapshotSource } from 'dash-core/snapshot';
import { displayWidth, truncateColumns } from '../text-width.js';

export { formatDuration };

/** A running timer: "0:47:05", "12:03:00". */
export function formatTimer(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
}

/** Hours for the week's scale and legend: "12.5h", "40h". */
export function formatHours(seconds: number): string {
  const hours = Math.round((seconds / 3600) * 10) / 10;
  return `${Number.isInteger(hours) ? hours.toFixed(0) : hours.toFixed(1)}h`;
}

/** "7h 30m / 8h 00m 93%", or just the worked time when there is no goal. */
export function formatAgainst(seconds: number, goal: number | null): string {
  if (goal === null || goal === 0) return formatDuration(seconds);
  return `${formatDuration(seconds)} / ${formatDuration(goal)} ${Math.floor((seconds / goal) * 100)}%`;
}

/** Local wall-clock "HH:MM" of an ISO instant in a time zone; with the weekday when not on `today`. */
export function formatLocalTime(iso: string, timeZone: string, today?: string): string {
  const milliseconds = Date.parse(iso);
  if (Number.isNaN(milliseconds)) return iso;
  // "2026-11-20T16:29:00+01:00": the local date and time, from dash-core's one cached formatter.
  const local = localIso(Math.floor(milliseconds / 1000), timeZone);
  const time = local.slice(11, 16);
  const day = local.slice(0, 10);
  return today === undefined || day === today ? time : `${formatDayLabel(day)} ${time}`;
}

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon 16 Nov" for a local date "2026-11-16". */
export function formatDayLabel(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${WEEKDAY_NAMES[weekday]} ${day} ${MONTH_NAMES[month - 1]}`;
}

export type SourceTone = 'ok' | 'warn' | 'error';

/** A source's sync state for the status panel, with the tone it is drawn in. */
export function describeSource(source: SnapshotSource, timeZone: string, today: string): { text: string; tone: SourceTone } {
  switch (source.status) {
    case 'ok':
      return { text: source.lastSyncAt ? `ok · synced ${formatLocalTime(source.lastSyncAt, timeZone, today)}` : 'ok', tone: 'ok' };
    case 'syncing':
      return source.staleSince
        ? { text: `stale since ${formatLocalTime(source.staleSince, timeZone, today)} · syncing…`, tone: 'warn' }
        : { text: 'syncing…', tone: 'ok' };
    case 'stale': {
      const since = source.staleSince ?? source.lastSyncAt;
      return { text: since ? `stale since ${formatLocalTime(since, timeZone, today)}` : 'stale (not synced yet)', tone: 'warn' };
    }
    case 'rate-limited':
      return {
        text: source.rateLimitedUntil ? `rate-limited until ${formatLocalTime(source.rateLimitedUntil, timeZone, today)}` : 'rate-limited',
        tone: 'warn',
      };
    case 'error':
      return { text: `error: ${source.error?.message ?? 'unknown'}${source.error ? ` [${source.error.code}]` : ''}${source.error?.hint ? ` — ${source.error.hint}` : ''}`, tone: 'error' };
    default:
      return { text: String(source.status), tone: 'warn' };
  }
}

/** Cuts text to a width, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  return `${truncateColumns(text, width - 1)}…`;
}
