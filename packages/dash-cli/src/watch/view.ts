import type { Snapshot } from 'dash-core/host';
import type { Style } from './canvas.js';
import type { LogLine } from './event-log.js';
import type { TrendWeek, ViewEntry } from './history.js';
import type { PanelName } from './panels.js';

/** Everything one frame of the dashboard depends on. */
export interface DashView {
  snapshot: Snapshot;
  /** The instant the frame is drawn at (timers, the current minute). */
  now: Date;
  /** The selected day, 0-6 in the week's order. */
  selectedDay: number;
  /** Weeks from the current one: 0 this week, -1 last week. */
  weekOffset: number;
  help: boolean;
  mono: boolean;
  /** A short message for the footer (e.g. "syncing…"), or null. */
  notice: string | null;
  /** The shown week's entries with their real ends (from the store); undefined before it is open. */
  entries?: readonly ViewEntry[];
  /** The last weeks' totals, oldest first; undefined until known. */
  trend?: readonly TrendWeek[];
  /** A panel shown full-size in place of the days (its key toggles it), or null. */
  panel?: PanelName | null;
  /** The event log (syncs, clock in/out, goals) of this run; undefined when there is none. */
  log?: { lines: readonly LogLine[]; total: number };
  /** Said in the title when the clock is simulated (the demo, --at). */
  clockNote?: string | null;
}

/** Where a running timer is drawn, so the second tick can redraw just that text. */
export interface TimerSpot {
  x: number;
  y: number;
  width: number;
  /** Epoch milliseconds the timer counts from. */
  startMs: number;
  style: Style;
}

/** The index of today in the snapshot's week (0 when the week is another one). */
export function todayIndex(snapshot: Snapshot): number {
  const index = snapshot.days.findIndex((day) => day.date === snapshot.today);
  return index === -1 ? 0 : index;
}
