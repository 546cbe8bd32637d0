import type { SnapshotDay } from 'dash-core/host';
import { paceText } from './pace-panel.js';
import type { Canvas, Color, Style } from './canvas.js';
import { formatDayLabel, formatDuration, formatHours, truncate } from './format.js';
import type { Painter } from './palette.js';

/** Hour label column ("08 ") + 60 minute boxes. */
export const HOUR_LABEL_WIDTH = 3;
export const DAY_GRID_WIDTH = HOUR_LABEL_WIDTH + 60;

export interface DayGridOptions {
  painter: Painter;
  /** Two hours per text row with half blocks (color only); one hour per row otherwise. */
  halfBlock: boolean;
  /** Index range [from, to) into day.hours to draw. */
  from: number;
  to: number;
  /** Epoch ms of now: the current minute is marked when it falls on this day. */
  nowMs: number;
}

/** Text rows a range of hour entries takes. */
export function gridRows(hours: number, halfBlock: boolean): number {
  return halfBlock ? Math.ceil(hours / 2) : hours;
}

/** Index of the minute containing nowMs in a day's hours, or null. */
export function currentMinute(day: SnapshotDay, nowMs: number): { hour: number; minute: number } | null {
  for (let h = 0; h < day.hours.length; h++) {
    const start = new Date(day.hours[h]!.start).getTime();
    if (nowMs >= start && nowMs < start + 3_600_000) return { hour: h, minute: Math.floor((nowMs - start) / 60_000) };
  }
  return null;
}

function minuteColor(key: string | null, minute: number, isNow: boolean, painter: Painter): Color {
  if (isNow) return painter.theme('now');
  if (key !== null) return painter.project(key).color;
  return minute % 15 === 0 ? painter.theme('emptyQuarter') : painter.theme('emptyMinute');
}

/**
 * Which hour entries to show when only `rows` text rows fit: all of them if they fit, else a
 * window around the hours with time (and the current hour), keeping the latest part when even
 * that is too long.
 */
export function hourWindow(day: SnapshotDay, rows: number, halfBlock: boolean, nowMs: number): { from: number; to: number } {
  const count = day.hours.length;
  const capacity = halfBlock ? rows * 2 : rows;
  if (capacity >= count) return { from: 0, to: count };
  if (capacity <= 0) return { from: 0, to: 0 };
  let first = -1;
  let last = -1;
  day.hours.forEach((hour, index) => {
    if (hour.minutes.some((key) => key !== null)) {
      if (first === -1) first = index;
      last = index;
    }
  });
  const now = currentMinute(day, nowMs);
  if (now) {
    first = first === -1 ? now.hour : Math.min(first, now.hour);
    last = Math.max(last, now.hour);
  }
  if (first === -1) {
    // Nothing tracked: the working day.
    first = Math.min(8, count - 1);
    last = Math.min(17, count - 1);
  }
  const span = last - first + 1;
  let from: number;
  if (span <= capacity) from = first - Math.floor((capacity - span) / 2);
  else from = last + 1 - capacity;
  from = Math.max(0, Math.min(from, count - capacity));
  return { from, to: from + capacity };
}

/**
 * Part 3, one day's minute graph: each hour a row of 60 boxes, one per minute, in the color (or
 * glyph) of the minute's project; the current minute marked. Returns the rows drawn.
 */
export function drawDayGrid(canvas: Canvas, x: number, y: number, day: SnapshotDay, options: DayGridOptions): number {
  const { painter, halfBlock, from, to, nowMs } = options;
  const now = currentMinute(day, nowMs);
  let row = y;
  for (let h = from; h < to; h += halfBlock ? 2 : 1) {
    const upper = day.hours[h]!;
    const lower = halfBlock && h + 1 < to ? day.hours[h + 1]! : null;
    canvas.put(x, row, `${String(upper.hour).padStart(2, '0')} `, { fg: painter.theme('dim') });
    for (let m = 0; m < 60; m++) {
      const key = upper.minutes[m] ?? null;
      const isNow = now !== null && now.hour === h && now.minute === m;
      if (halfBlock) {
        const lowerKey = lower ? (lower.minutes[m] ?? null) : null;
        const lowerNow = lower !== null && now !== null && now.hour === h + 1 && now.minute === m;
        const style: Style = { fg: minuteColor(key, m, isNow, painter), bg: lower ? minuteColor(lowerKey, m, lowerNow, painter) : null };
        canvas.put(x + HOUR_LABEL_WIDTH + m, row, '▀', style);
      } else {
        const glyph = key !== null ? painter.project(key).glyph : '·';
        const color = key !== null ? painter.project(key).color : painter.mono ? null : painter.theme('emptyMinute');
        canvas.put(x + HOUR_LABEL_WIDTH + m, row, glyph, { fg: isNow ? painter.theme('now') : color, inverse: isNow });
      }
    }
    row++;
  }
  return row - y;
}

export interface DayHeaderOptions {
  painter: Painter;
  index: number;
  isToday: boolean;
  selected: boolean;
  /** Shown when the grid shows only part of the day, e.g. "08–19h". */
  window: string | null;
}

/** "7h 50m/8h 97%" (percent only when asked). */
export function shortAgainst(seconds: number, goal: number | null, percent: boolean): string {
  if (goal === null || goal === 0) return formatDuration(seconds);
  return `${formatDuration(seconds)}/${formatHours(goal)}${percent ? ` ${Math.floor((seconds / goal) * 100)}%` : ''}`;
}

/** A small progress bar: filled ∝ worked / goal. */
export function progressCells(seconds: number, goal: number | null, width: number): number {
  if (!goal || goal <= 0) return seconds > 0 ? width : 0;
  return Math.min(width, Math.round((seconds / goal) * width));
}

/**
 * The day's title and progress: "3 Wed 18 Nov today ▰▰▰▰▰▰▱▱ 7h 50m / 8h 00m 97% · bill 6h 20m".
 */
export function drawDayHeader(canvas: Canvas, x: number, y: number, width: number, day: SnapshotDay, options: DayHeaderOptions): void {
  const { painter } = options;
  const title = `${options.index + 1} ${formatDayLabel(day.date)}`;
  let column = canvas.put(x, y, options.selected ? `▶${title}` : ` ${title}`, { bold: true, inverse: options.selected, fg: options.isToday ? painter.theme('accent') : null });
  if (options.isToday) column = canvas.put(column + 1, y, 'today', { fg: painter.theme('accent'), bold: true });
  column += 1;
  const progressWidth = 8;
  const filled = progressCells(day.totalSeconds, day.goalSeconds, progressWidth);
  const reached = day.goalSeconds !== null && day.goalSeconds > 0 && day.totalSeconds >= day.goalSeconds;
  for (let n = 0; n < progressWidth; n++) {
    column = canvas.put(column, y, n < filled ? '▰' : '▱', { fg: n < filled ? (reached ? painter.theme('ok') : painter.theme('accent')) : painter.theme('dim') });
  }
  const worked = shortAgainst(day.totalSeconds, day.goalSeconds, true);
  const billable = `bill ${shortAgainst(day.billableSeconds, day.billableGoalSeconds, false)}`;
  const end = x + width;
  column = canvas.put(column + 1, y, truncate(worked, Math.max(0, end - column - 1)), { bold: true });
  if (column + 2 + billable.length <= end) column = canvas.put(column + 2, y, billable, { fg: painter.theme('dim') });
  // Today's pace in a word, where it fits (the pace panel has the detail).
  if (options.isToday && day.pace && day.goalSeconds) {
    const pace = paceText(day.pace);
    if (column + 3 + pace.length <= end - (options.window ? options.window.length + 2 : 0)) column = canvas.put(column + 3, y, pace, { fg: painter.theme(day.pace.deltaSeconds > -60 ? 'ok' : 'warn'), bold: true });
  }
  if (options.window && column + 2 + options.window.length <= end) canvas.put(end - options.window.length, y, options.window, { fg: painter.theme('dim') });
}
