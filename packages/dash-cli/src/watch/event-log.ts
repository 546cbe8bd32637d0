import type { DashEvent } from 'dash-core';
import { terminalText, type SnapshotSource } from 'dash-core/snapshot';
import type { Canvas } from './canvas.js';
import type { LogSpec } from './contrib.js';
import { describeSource, formatDuration, formatLocalTime, truncate, type SourceTone } from './format.js';
import type { Painter } from './palette.js';

/** One line of the event log: when, what, and the tone it is drawn in. */
export interface LogLine {
  /** "16:40" today, "Tue 17 Nov 23:10" another day. */
  time: string;
  text: string;
  tone: SourceTone | 'info';
}

/** The lines kept (the panel shows the newest that fit; a full-size log on a tall terminal, up to these). */
export const LOG_LINES = 60;

const GOAL_NAMES = { daily: 'daily goal', daily_billable: 'daily billable goal', weekly: 'weekly goal', weekly_billable: 'weekly billable goal' } as const;

/**
 * What a domain event (the same vocabulary serve's SSE and the webhooks deliver) says in the log.
 * Only Dash's own words, source ids and times: no project names or descriptions (the log is
 * blessed-contrib's list, which shows a wide character as "??"; the entries panel has the names).
 */
export function eventLine(event: DashEvent, timeZone: string, today: string): LogLine {
  const time = formatLocalTime(event.timestamp, timeZone, today);
  switch (event.type) {
    case 'clock.in':
      return { time, text: `▶ ${event.data.source} clocked in (since ${formatLocalTime(event.data.entry.start, timeZone, today)})`, tone: 'ok' };
    case 'clock.out':
      return { time, text: `■ ${event.data.source} clocked out after ${formatDuration(event.data.seconds)}`, tone: 'info' };
    case 'goal.reached':
      return { time, text: `✔ ${GOAL_NAMES[event.data.goal]} reached: ${formatDuration(event.data.seconds)}`, tone: 'ok' };
    case 'source.status': {
      const { id, status, error } = event.data;
      const source: SnapshotSource = { id, plugin: '', status, error, lastSyncAt: null, rateLimitedUntil: null, staleSince: null };
      const described = status === 'ok' || status === 'stale' ? { text: status, tone: status === 'ok' ? ('ok' as const) : ('warn' as const) } : describeSource(source, timeZone, today);
      return { time, text: `${id} ${described.text}`, tone: described.tone };
    }
  }
}

/** A source's state as the log's first lines say it (at the start of a run). */
export function sourceLine(source: SnapshotSource, at: string, timeZone: string, today: string): LogLine {
  const described = describeSource(source, timeZone, today);
  return { time: formatLocalTime(at, timeZone, today), text: `${source.id} ${described.text}`, tone: described.tone };
}

/** The log's lines, newest last, at most LOG_LINES; `total` counts every line ever added. */
export class EventLog {
  readonly lines: LogLine[] = [];
  total = 0;

  add(line: LogLine): void {
    this.lines.push({ ...line, text: terminalText(line.text) });
    if (this.lines.length > LOG_LINES) this.lines.shift();
    this.total++;
  }
}

export const LOG_MIN_WIDTH = 30;
export const LOG_MIN_ROWS = 4;

/** blessed's tags in a line of ours: braces in it are not tags. */
const escapeTags = (text: string) => text.replace(/[{}]/g, (brace) => (brace === '{' ? '{open}' : '{close}'));

const TONE_COLORS = { ok: 'green', warn: 'yellow', error: 'red', info: 'white' } as const;

/**
 * The event log panel: its title on the canvas, and under it blessed-contrib's log (a list that
 * keeps the newest line in view) with the lines, each cut to the width, coloured by tone (none in
 * monochrome). Returns the rows used and the log to place.
 */
export function drawLogPanel(canvas: Canvas, rect: { x: number; y: number; width: number; height: number }, log: { lines: readonly LogLine[]; total: number } | undefined, painter: Painter): { rows: number; charts: LogSpec[] } {
  if (rect.height <= 0) return { rows: 0, charts: [] };
  const column = canvas.put(rect.x, rect.y, 'Log', { bold: true, fg: painter.theme('accent') });
  canvas.put(column, rect.y, truncate(' · syncs, clock in/out, goals', rect.x + rect.width - column), { fg: painter.theme('dim') });
  if (!log || rect.height < 2) return { rows: 1, charts: [] };
  const lines = log.lines.map((line) => {
    const text = escapeTags(truncate(`${line.time} ${line.text}`, rect.width - 1).slice(line.time.length));
    if (painter.mono) return `${line.time}${text}`;
    return `{${painter.theme('dim')}-fg}${line.time}{/}{${TONE_COLORS[line.tone]}-fg}${text}{/}`;
  });
  return { rows: rect.height, charts: [{ kind: 'log', rect: { x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1 }, lines, total: log.total }] };
}
