import type { Snapshot } from 'dash-core/host';
import { DAY_GRID_WIDTH, gridRows } from './day.js';
import { weekRows } from './week.js';

export const MARGIN = 1;
export const DAY_GAP = 2;
/** The fewest hour rows the selected day may shrink to before the terminal counts as too small. */
export const MIN_GRID_ROWS = 4;
export const MIN_WIDTH = DAY_GRID_WIDTH + 2 * MARGIN;

export type Layout =
  | { mode: 'full'; top: number; columns: number; blockHeight: number; halfBlock: boolean; legendRows: number }
  | { mode: 'compact'; top: number; strips: boolean; gridRows: number; halfBlock: boolean; legendRows: number }
  | { mode: 'too-small'; need: { width: number; height: number } };

/** Rows above the days: title, status (one per backend and running timer), blank, week, blank. */
export function topRows(snapshot: Snapshot, width: number, legendRows: number): number {
  const status = Math.max(1, snapshot.sources.reduce((acc, source) => acc + Math.max(1, snapshot.clockedIn.filter((c) => c.source === source.id).length), 0));
  return 1 + status + 1 + weekRows(snapshot, width - 2 * MARGIN, legendRows) + 1;
}

/**
 * Picks the layout for a terminal size: all seven days' minute graphs where they fit, else a
 * compact week (a strip per day, or a row of tabs) plus the selected day in full (or the hours
 * that fit), else "too small". Pure: the same inputs always give the same layout.
 */
export function chooseLayout(snapshot: Snapshot, width: number, height: number, mono: boolean): Layout {
  const halfBlock = !mono;
  const maxHours = Math.max(24, ...snapshot.days.map((day) => day.hours.length));
  const dayRows = gridRows(maxHours, halfBlock);
  const footer = 1;
  const legendRows = 2;
  const top = topRows(snapshot, width, legendRows);
  const minHeight = top + 1 + 1 + MIN_GRID_ROWS + footer;
  if (width < MIN_WIDTH || height < minHeight) {
    return { mode: 'too-small', need: { width: MIN_WIDTH, height: minHeight } };
  }
  const available = height - top - footer;
  const columns = Math.floor((width - 2 * MARGIN + DAY_GAP) / (DAY_GRID_WIDTH + DAY_GAP));
  const blockHeight = 1 + dayRows;
  const blockRows = Math.ceil(7 / Math.max(1, columns));
  if (columns >= 1 && blockRows * blockHeight + (blockRows - 1) <= available) {
    return { mode: 'full', top, columns, blockHeight, halfBlock, legendRows };
  }
  const strips = 7;
  if (strips + 1 + dayRows <= available) return { mode: 'compact', top, strips: true, gridRows: dayRows, halfBlock, legendRows };
  if (1 + 1 + dayRows <= available) return { mode: 'compact', top, strips: false, gridRows: dayRows, halfBlock, legendRows };
  if (strips + 1 + 8 <= available) return { mode: 'compact', top, strips: true, gridRows: available - strips - 1, halfBlock, legendRows };
  return { mode: 'compact', top, strips: false, gridRows: available - 2, halfBlock, legendRows };
}
