import type { Pace, Snapshot } from 'dash-core/host';
import type { Canvas } from './canvas.js';
import { GAUGE_ROWS, type GaugeSpec } from './contrib.js';
import { formatDuration, formatHours, formatLocalTime, truncate } from './format.js';
import type { Painter } from './palette.js';

/** "ahead 1h 05m", "behind 32m", "on pace". */
export function paceText(pace: Pace): string {
  const delta = pace.deltaSeconds;
  if (Math.abs(delta) < 60) return 'on pace';
  return `${delta > 0 ? 'ahead' : 'behind'} ${formatDuration(Math.abs(delta))}`;
}

/** Where the goal stands: "goal met 17:30", "goal at 17:35 at this rate", or "". */
export function reachedText(pace: Pace, worked: number, goal: number | null, snapshot: Snapshot): string {
  if (pace.goalReachedAt === null) return '';
  const at = formatLocalTime(pace.goalReachedAt, snapshot.timezone, snapshot.today);
  return goal !== null && worked >= goal ? `goal met ${at}` : `goal at ${at} at this rate`;
}

export interface PaceLine {
  label: string;
  worked: number;
  billable: number;
  goal: number | null;
  pace: Pace | null;
}

/** Today (when the shown week has it) and the week. */
export function paceLines(snapshot: Snapshot, selectedDay: number): PaceLine[] {
  const index = snapshot.days.findIndex((day) => day.date === snapshot.today);
  const day = snapshot.days[index === -1 ? selectedDay : index]!;
  return [
    { label: index === -1 ? 'Day' : 'Today', worked: day.totalSeconds, billable: day.billableSeconds, goal: day.goalSeconds, pace: day.pace },
    { label: 'Week', worked: snapshot.week.totalSeconds, billable: snapshot.week.billableSeconds, goal: snapshot.week.goalSeconds, pace: snapshot.week.pace },
  ];
}

/** The rows of the pace panel's text: a title and one per line. */
export const PACE_ROWS = 3;
export const PACE_MIN_WIDTH = 40;
/** The rows with the gauges under the text. */
export const PACE_GAUGE_ROWS = PACE_ROWS + GAUGE_ROWS;
/** The narrowest gauge. */
const GAUGE_MIN_WIDTH = 20;
/** The gauges' colours: billable time, then the rest (as in the trend: █ billable ▓ other). */
const GAUGE_COLORS = { billable: 'green', other: 'cyan' } as const;

/** The pace's window, said in the header: in full, and shorter to leave room for the gauges' legend. */
const WINDOW_TEXTS = ['· expected by now, 09–17 on workdays', '· 09–17 on workdays'] as const;
/** " · █ billable █ other". */
const GAUGE_LEGEND_WIDTH = 21;

/** The lines that get a gauge: those with a goal. */
const gaugeLines = (snapshot: Snapshot, selectedDay: number) => paceLines(snapshot, selectedDay).filter((line) => line.goal !== null && line.goal > 0);

/** Whether the pace panel draws gauges where it has the room. */
export function paceHasGauges(snapshot: Snapshot, selectedDay: number, mono: boolean): boolean {
  return !mono && gaugeLines(snapshot, selectedDay).length > 0;
}

/**
 * The goal gauges under the pace text (blessed-contrib's gauge, side by side: today, the week),
 * each the share of its goal worked, billable first: where the panel has the rows and the width,
 * in colour (a gauge is a colour fill; monochrome keeps the text, which says the same).
 */
export function paceGauges(snapshot: Snapshot, selectedDay: number, rect: { x: number; y: number; width: number; height: number }, mono: boolean): GaugeSpec[] {
  const lines = gaugeLines(snapshot, selectedDay);
  if (mono || lines.length === 0 || rect.height < PACE_GAUGE_ROWS) return [];
  const width = Math.floor((rect.width - (lines.length - 1) * 2) / lines.length);
  if (width < GAUGE_MIN_WIDTH) return [];
  return lines.map((line, index) => {
    const goal = line.goal!;
    const billable = Math.min(line.billable, line.worked);
    return {
      kind: 'gauge',
      rect: { x: rect.x + index * (width + 2), y: rect.y + PACE_ROWS, width, height: GAUGE_ROWS },
      label: `${line.label} · ${Math.floor((line.worked / goal) * 100)}% of ${formatHours(goal)}`,
      segments: [
        { share: billable / goal, color: GAUGE_COLORS.billable },
        { share: Math.min(line.worked / goal, 1) - Math.min(billable / goal, 1), color: GAUGE_COLORS.other },
      ],
    };
  });
}

/**
 * The goal pace panel:
 *   Pace · expected by now, 09–17 on workdays
 *   Today ▰▰▰▰▰▱▱▱ 5h 18m · behind 32m (by now 5h 50m) · goal at 17:35 at this rate
 *   Week  ▰▰▰▰▰▱▱▱ 23h 43m · ahead 1h 53m (by now 21h 50m)
 */
export function drawPacePanel(canvas: Canvas, x: number, y: number, width: number, height: number, snapshot: Snapshot, selectedDay: number, painter: Painter, gauges = false): number {
  if (height <= 0) return 0;
  canvas.put(x, y, 'Pace', { bold: true, fg: painter.theme('accent') });
  // With gauges their colours are said too: in full where that fits, else with the window shorter.
  const window = WINDOW_TEXTS.find((text) => !gauges || 5 + text.length + GAUGE_LEGEND_WIDTH <= width);
  let header = canvas.put(x + 5, y, truncate(window ?? WINDOW_TEXTS[0], width - 5), { fg: painter.theme('dim') });
  if (gauges && window) {
    header = canvas.put(header, y, ' · ', { fg: painter.theme('dim') });
    header = canvas.put(header, y, '█', { fg: GAUGE_COLORS.billable });
    header = canvas.put(header, y, ' billable ', { fg: painter.theme('dim') });
    header = canvas.put(header, y, '█', { fg: GAUGE_COLORS.other });
    canvas.put(header, y, ' other', { fg: painter.theme('dim') });
  }
  let row = y + 1;
  for (const line of paceLines(snapshot, selectedDay)) {
    if (row >= y + height) break;
    let column = canvas.put(x, row, line.label.padEnd(6), { bold: true });
    const end = x + width;
    if (line.pace === null) {
      canvas.put(column, row, truncate('no goal set', end - column), { fg: painter.theme('dim') });
      row++;
      continue;
    }
    const { pace } = line;
    const gaugeWidth = width < 60 ? 6 : 8;
    const expectedShare = line.goal ? Math.min(1, pace.expectedSeconds / line.goal) : 0;
    const workedShare = line.goal ? Math.min(1, line.worked / line.goal) : 0;
    const ahead = pace.deltaSeconds >= 0;
    for (let n = 0; n < gaugeWidth; n++) {
      const filled = n < Math.round(workedShare * gaugeWidth);
      const expectedMark = n === Math.max(0, Math.round(expectedShare * gaugeWidth) - 1) && expectedShare > 0;
      column = canvas.put(column, row, filled ? '▰' : '▱', { fg: filled ? painter.theme(ahead ? 'ok' : 'warn') : painter.theme('dim'), bold: expectedMark });
    }
    column = canvas.put(column + 1, row, truncate(formatDuration(line.worked), Math.max(0, end - column - 1)), { bold: true });
    if (column + 3 < end) {
      column = canvas.put(column, row, ' · ', { fg: painter.theme('dim') });
      column = canvas.put(column, row, truncate(paceText(pace), end - column), { bold: true, fg: painter.theme(Math.abs(pace.deltaSeconds) < 60 ? 'ok' : ahead ? 'ok' : 'warn') });
    }
    column = canvas.put(column, row, truncate(` (by now ${formatDuration(pace.expectedSeconds)})`, Math.max(0, end - column)), { fg: painter.theme('dim') });
    const reached = reachedText(pace, line.worked, line.goal, snapshot);
    if (reached && column + 3 + reached.length <= end) {
      column = canvas.put(column, row, ' · ', { fg: painter.theme('dim') });
      canvas.put(column, row, reached, { fg: painter.theme(line.goal !== null && line.worked >= line.goal ? 'ok' : 'accent') });
    }
    row++;
  }
  return row - y;
}
