import type { Snapshot, SnapshotClockedIn } from 'dash-core/host';
import type { Canvas, Style } from './canvas.js';
import { describeSource, formatLocalTime, formatTimer, truncate } from './format.js';
import type { Painter } from './palette.js';
import type { TimerSpot } from './view.js';
import type { ViewEntry } from './history.js';
import { displayWidth, padEndColumns } from '../text-width.js';

/** Width reserved for a timer, so the text after it never shifts as it counts. */
export const TIMER_WIDTH = 8;

export interface LastActivity {
  projectKey: string;
  /** ISO instant the last tracked minute ended. */
  until: string;
  /** The project's name, when known from the entry. */
  name?: string;
}

/**
 * When a source's last entry really ended: from the entries (not cut to the week, so a frame that
 * ran past midnight into next week shows its end, not the week's), else from the minute grid.
 */
export function lastEnded(snapshot: Snapshot, source: string, entries: readonly ViewEntry[] | undefined): LastActivity | null {
  if (!entries) return lastActivity(snapshot, source);
  let last: ViewEntry | undefined;
  for (const entry of entries) if (entry.source === source && !entry.running && (!last || entry.end > last.end)) last = entry;
  return last ? { projectKey: last.projectKey, until: new Date(last.end * 1000).toISOString(), name: last.projectName } : lastActivity(snapshot, source);
}

/** The last minute of the shown week a source has time in, from the snapshot's minute grid. */
export function lastActivity(snapshot: Snapshot, source: string): LastActivity | null {
  const prefix = `${source}:`;
  for (let d = snapshot.days.length - 1; d >= 0; d--) {
    const hours = snapshot.days[d]!.hours;
    for (let h = hours.length - 1; h >= 0; h--) {
      const hour = hours[h]!;
      for (let m = hour.minutes.length - 1; m >= 0; m--) {
        const key = hour.minutes[m];
        if (key && key.startsWith(prefix)) {
          return { projectKey: key, until: new Date(new Date(hour.start).getTime() + (m + 1) * 60_000).toISOString() };
        }
      }
    }
  }
  return null;
}

/** A running timer's text at an instant. */
export function timerText(startMs: number, nowMs: number): string {
  return formatTimer((nowMs - startMs) / 1000).padStart(TIMER_WIDTH);
}

function toneStyle(tone: 'ok' | 'warn' | 'error', painter: Painter): Style {
  return { fg: painter.theme(tone === 'ok' ? 'ok' : tone === 'warn' ? 'warn' : 'error'), bold: tone === 'error' };
}

/**
 * Part 1, clocked-in status: one line per backend (two when one source runs several timers):
 * "● toggl  0:47:05  Globex API — Pairing on the API client      ok · synced 14:02".
 * Returns the rows used and where the timers are.
 */
export function drawStatus(canvas: Canvas, x: number, y: number, width: number, snapshot: Snapshot, nowMs: number, painter: Painter, entries?: readonly ViewEntry[]): { rows: number; timers: TimerSpot[] } {
  const timers: TimerSpot[] = [];
  const idWidth = Math.min(14, Math.max(4, ...snapshot.sources.map((source) => displayWidth(source.id))));
  let row = y;
  if (snapshot.sources.length === 0) {
    canvas.put(x, row, 'No backends configured.', { fg: painter.theme('warn') });
    return { rows: 1, timers };
  }
  for (const source of snapshot.sources) {
    const running: (SnapshotClockedIn | null)[] = snapshot.clockedIn.filter((item) => item.source === source.id);
    if (running.length === 0) running.push(null);
    const state = describeSource(source, snapshot.timezone, snapshot.today);
    running.forEach((entry, index) => {
      let column = x;
      column = canvas.put(column, row, entry ? '● ' : '○ ', { fg: entry ? painter.theme('ok') : painter.theme('dim'), bold: true });
      column = canvas.put(column, row, padEndColumns(truncate(source.id, idWidth), idWidth + 2), { bold: true });
      const stateText = index === 0 ? state.text : '';
      const stateWidth = Math.min(displayWidth(stateText), Math.max(0, Math.floor(width / 2) - 2));
      const end = x + width - (stateWidth > 0 ? stateWidth + 2 : 0);
      if (entry) {
        const startMs = new Date(entry.start).getTime();
        const style: Style = { bold: true, fg: painter.theme('accent') };
        timers.push({ x: column, y: row, width: TIMER_WIDTH, startMs, style });
        column = canvas.put(column, row, timerText(startMs, nowMs), style);
        column += 2;
        const paint = entry.project ? painter.project(entry.project.key) : null;
        const name = entry.project?.name ?? '(no project)';
        if (painter.mono && paint) column = canvas.put(column, row, `${paint.glyph} `);
        column = canvas.put(column, row, truncate(name, Math.max(0, end - column)), { fg: paint?.color ?? null, bold: true });
        if (entry.description && column + 4 < end) {
          column = canvas.put(column, row, truncate(` — ${entry.description}`, end - column));
        }
      } else {
        column = canvas.put(column, row, truncate('not tracking', Math.max(0, end - column)), { fg: painter.theme('dim') });
        const last = lastEnded(snapshot, source.id, entries);
        const project = last ? snapshot.week.projects.find((item) => item.key === last.projectKey) : undefined;
        const text = last
          ? ` · last: ${last.name ?? project?.name ?? '(no project)'} until ${formatLocalTime(last.until, snapshot.timezone, snapshot.today)}`
          : ' · nothing this week';
        if (column + 4 < end) canvas.put(column, row, truncate(text, end - column), { fg: painter.theme('dim') });
      }
      if (stateWidth > 0) canvas.put(x + width - stateWidth, row, truncate(stateText, stateWidth), toneStyle(state.tone, painter));
      row++;
    });
  }
  return { rows: row - y, timers };
}
