import type { SnapshotDay } from 'dash-core/host';
import { workWindowOf } from 'dash-core/snapshot';
import type { Canvas } from './canvas.js';
import { formatDuration, formatLocalTime, truncate } from './format.js';
import type { ViewEntry } from './history.js';
import type { Painter } from './palette.js';
import { displayWidth, padEndColumns } from '../text-width.js';

/** Untracked stretches shorter than this inside the working window are not listed. */
export const GAP_MIN_SECONDS = 5 * 60;

export type DayItem =
  | { kind: 'entry'; start: number; end: number; entry: ViewEntry; overlapsWith: string[] }
  | { kind: 'gap'; start: number; end: number };

/** The day's working window (09:00–17:00 local): dash-core's pace rule, from its light entry (no zod before the first frame). */
export function workWindow(day: SnapshotDay): { start: number; end: number } {
  return workWindowOf(daySpan(day), day.hours);
}

/** [start, end) of a snapshot day, from its hour rows. */
export function daySpan(day: SnapshotDay): { start: number; end: number } {
  const start = Math.floor(Date.parse(day.hours[0]!.start) / 1000);
  return { start, end: start + day.hours.length * 3600 };
}

/**
 * The selected day's list: its entries (those that touch the day, with their real start and end),
 * each marked with the other sources it overlaps, and the untracked gaps of GAP_MIN_SECONDS or
 * more inside the working window (09:00–17:00 local, up to now), in time order.
 */
export function dayItems(day: SnapshotDay, entries: readonly ViewEntry[], nowSeconds: number): DayItem[] {
  const span = daySpan(day);
  const inDay = entries.filter((entry) => entry.end > span.start && entry.start < span.end);
  const items: DayItem[] = inDay.map((entry) => ({
    kind: 'entry',
    start: entry.start,
    end: entry.end,
    entry,
    overlapsWith: [...new Set(inDay.filter((other) => other !== entry && other.source !== entry.source && other.start < entry.end && entry.start < other.end).map((other) => other.source))],
  }));
  const window = workWindow(day);
  const until = Math.min(window.end, nowSeconds);
  let cursor = window.start;
  for (const entry of [...inDay].sort((a, b) => a.start - b.start)) {
    if (cursor >= until) break;
    if (entry.start > cursor && Math.min(entry.start, until) - cursor >= GAP_MIN_SECONDS) items.push({ kind: 'gap', start: cursor, end: Math.min(entry.start, until) });
    cursor = Math.max(cursor, entry.end);
  }
  if (until - cursor >= GAP_MIN_SECONDS) items.push({ kind: 'gap', start: cursor, end: until });
  return items.sort((a, b) => a.start - b.start || (a.kind === 'gap' ? 1 : -1));
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export const ENTRIES_MIN_WIDTH = 50;
export const ENTRIES_MIN_ROWS = 4;

/**
 * The selected day's entries as a table:
 *   Entries · Wed 2 Dec · 6 entries, 1 gap                       (⇄ overlap, ░ gap)
 *   09:30–12:00  2h 30m  █ Acme website  Product page          demo
 *   12:00–12:45     45m  ░ untracked
 * Shows the latest rows when not all fit. Returns the rows used.
 */
export function drawEntriesPanel(canvas: Canvas, x: number, y: number, width: number, height: number, day: SnapshotDay, entries: readonly ViewEntry[] | undefined, options: { painter: Painter; timeZone: string; nowSeconds: number }): number {
  const { painter, timeZone } = options;
  if (height <= 0) return 0;
  const end = x + width;
  if (!entries) {
    canvas.put(x, y, 'Entries', { bold: true, fg: painter.theme('accent') });
    canvas.put(x + 8, y, truncate('· loading…', width - 8), { fg: painter.theme('dim') });
    return 1;
  }
  const items = dayItems(day, entries, options.nowSeconds);
  const count = items.filter((item) => item.kind === 'entry').length;
  const gaps = items.length - count;
  const shown = items.slice(Math.max(0, items.length - (height - 1)));
  const hidden = items.length - shown.length;
  let column = canvas.put(x, y, 'Entries', { bold: true, fg: painter.theme('accent') });
  const summary = ` · ${count} ${count === 1 ? 'entry' : 'entries'}${gaps ? `, ${gaps} untracked ${gaps === 1 ? 'gap' : 'gaps'} 09–17` : ''}${hidden ? ` · ${hidden} earlier not shown` : ''}`;
  column = canvas.put(column, y, truncate(summary, end - column), { fg: painter.theme('dim') });
  const legend = '⇄ overlap  ░ gap';
  if (column + 2 + legend.length <= end) canvas.put(end - legend.length, y, legend, { fg: painter.theme('dim') });
  const sourceWidth = Math.min(12, Math.max(4, ...entries.map((entry) => displayWidth(entry.source))));
  const projectWidth = Math.max(8, Math.min(24, Math.floor((width - 24 - sourceWidth) / 2)));
  const dayText = day.date;
  shown.forEach((item, index) => {
    const row = y + 1 + index;
    const from = formatLocalTime(iso(item.start), timeZone, dayText);
    const to = item.kind === 'entry' && item.entry.running ? 'now' : formatLocalTime(iso(item.end), timeZone, dayText);
    const times = `${from}–${to}`;
    let c = canvas.put(x, row, times.padEnd(Math.max(11, times.length)), { fg: painter.theme('dim') });
    c = canvas.put(c + 1, row, formatDuration(item.end - item.start).padStart(7), { bold: item.kind === 'entry' });
    c += 2;
    if (item.kind === 'gap') {
      canvas.put(c, row, truncate('░ untracked', Math.max(0, end - c)), { fg: painter.theme('warn') });
      return;
    }
    const { entry } = item;
    const paint = painter.project(entry.projectKey);
    c = canvas.put(c, row, painter.mono ? paint.glyph : '█', { fg: paint.color });
    c = canvas.put(c + 1, row, padEndColumns(truncate(entry.projectName, projectWidth), projectWidth), { bold: true });
    const tail = item.overlapsWith.length > 0 ? `⇄ ${item.overlapsWith.join(',')}` : '';
    const tailWidth = sourceWidth + (tail ? displayWidth(tail) + 2 : 0);
    const descriptionWidth = Math.max(0, end - c - 2 - tailWidth - 1);
    if (descriptionWidth > 0) canvas.put(c + 1, row, truncate(entry.description + (entry.running ? ' ▶' : ''), descriptionWidth));
    let t = end - tailWidth;
    if (tail && t > c) t = canvas.put(t, row, tail, { fg: painter.theme('warn'), bold: true }) + 2;
    if (t > c) canvas.put(end - sourceWidth, row, truncate(entry.source, sourceWidth), { fg: painter.theme('dim') });
  });
  return 1 + shown.length;
}
