import type { SnapshotDay } from 'dash-core/host';
import type { Canvas } from './canvas.js';
import { currentMinute, shortAgainst } from './day.js';
import { formatDayLabel, formatDuration, truncate } from './format.js';
import type { Painter } from './palette.js';

/** The project key a strip cell shows: the most frequent value among its minutes (null = empty). */
export function resampleDay(day: SnapshotDay, cells: number): (string | null)[] {
  const minutes = day.hours.flatMap((hour) => hour.minutes);
  const result: (string | null)[] = [];
  if (cells <= 0) return result;
  for (let cell = 0; cell < cells; cell++) {
    const from = Math.floor((cell * minutes.length) / cells);
    const to = Math.max(from + 1, Math.floor(((cell + 1) * minutes.length) / cells));
    const counts = new Map<string | null, number>();
    for (let m = from; m < to && m < minutes.length; m++) counts.set(minutes[m] ?? null, (counts.get(minutes[m] ?? null) ?? 0) + 1);
    let best: string | null = null;
    let bestCount = -1;
    for (const [key, count] of counts) {
      if (count > bestCount) {
        best = key;
        bestCount = count;
      }
    }
    result.push(best);
  }
  return result;
}

const STRIP_TITLE = 14;
const STRIP_TOTAL = 15;

/**
 * The compact week: one row per day, "▶3 Wed 18 Nov ▕strip of the day▏ 7h 50m/8h 97%", the
 * day squeezed into the strip's width (each cell the project of most of its minutes).
 */
export function drawWeekStrips(canvas: Canvas, x: number, y: number, width: number, days: readonly SnapshotDay[], options: { painter: Painter; selected: number; today: string; nowMs: number }): number {
  const { painter } = options;
  const stripWidth = Math.max(0, width - STRIP_TITLE - STRIP_TOTAL - 1);
  days.forEach((day, index) => {
    const row = y + index;
    const selected = index === options.selected;
    const isToday = day.date === options.today;
    canvas.put(x, row, `${selected ? '▶' : ' '}${index + 1} ${formatDayLabel(day.date)}`.padEnd(STRIP_TITLE - 1), {
      bold: true,
      inverse: selected,
      fg: isToday ? painter.theme('accent') : null,
    });
    const cells = resampleDay(day, stripWidth);
    const now = isToday ? currentMinute(day, options.nowMs) : null;
    const nowCell = now ? Math.floor(((now.hour * 60 + now.minute) * stripWidth) / (day.hours.length * 60)) : -1;
    cells.forEach((key, n) => {
      const style = n === nowCell ? { fg: painter.theme('now'), inverse: painter.mono } : key ? { fg: painter.project(key).color } : { fg: painter.theme('emptyMinute') };
      canvas.put(x + STRIP_TITLE + n, row, key ? painter.project(key).glyph : n === nowCell ? '│' : '·', style);
    });
    canvas.put(x + STRIP_TITLE + stripWidth + 1, row, shortAgainst(day.totalSeconds, day.goalSeconds, true), { bold: isToday });
  });
  return days.length;
}

/** One row of day tabs: "1 Mo 7:50  2 Tu 8:10 …", the selected one inverted. */
export function drawDayTabs(canvas: Canvas, x: number, y: number, width: number, days: readonly SnapshotDay[], options: { painter: Painter; selected: number; today: string }): number {
  const tabWidth = Math.floor(width / Math.max(1, days.length));
  days.forEach((day, index) => {
    const hours = Math.floor(day.totalSeconds / 3600);
    const minutes = Math.floor((day.totalSeconds % 3600) / 60);
    const weekday = formatDayLabel(day.date).slice(0, 2);
    const full = `${index + 1} ${weekday} ${hours}:${String(minutes).padStart(2, '0')}`;
    const text = full.length <= tabWidth - 1 ? full : `${index + 1} ${hours}:${String(minutes).padStart(2, '0')}`;
    canvas.put(x + index * tabWidth, y, text.slice(0, Math.max(0, tabWidth - 1)), {
      inverse: index === options.selected,
      bold: day.date === options.today || index === options.selected,
      fg: day.date === options.today ? options.painter.theme('accent') : null,
    });
  });
  return 1;
}

/** Beside the selected day, when there is room: its projects with their time ("█ Acme website 3h 15m"). */
export function drawDayProjects(canvas: Canvas, x: number, y: number, width: number, rows: number, day: SnapshotDay, painter: Painter): number {
  if (width < 16 || rows < 2) return 0;
  canvas.put(x, y, 'This day', { bold: true });
  const projects = day.projects.filter((project) => project.seconds > 0);
  if (projects.length === 0) {
    canvas.put(x, y + 1, 'nothing tracked', { fg: painter.theme('dim') });
    return 2;
  }
  projects.slice(0, rows - 1).forEach((project, index) => {
    const paint = painter.project(project.key);
    const time = formatDuration(project.seconds);
    let column = canvas.put(x, y + 1 + index, `${paint.glyph} `, { fg: paint.color });
    column = canvas.put(column, y + 1 + index, truncate(project.name, Math.max(0, width - time.length - 3)), { fg: paint.color, bold: true });
    canvas.put(column + 1, y + 1 + index, time);
  });
  if (projects.length > rows - 1) canvas.put(x, y + rows - 1, `+${projects.length - rows + 2} more`, { fg: painter.theme('dim') });
  return 1 + Math.min(projects.length, rows - 1);
}
