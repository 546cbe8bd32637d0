/**
 * Largest-remainder rounding: splits `cells` among `values` in proportion, the parts summing to
 * exactly `cells`, and every non-zero value keeps at least one cell when there are enough cells
 * (blessed-contrib's stackedBar rounds each part on its own and drops small ones). When there
 * are fewer cells than non-zero values, the largest values get one cell each.
 */
export function allocateCells(values: readonly number[], cells: number): number[] {
  const total = Math.max(0, Math.floor(cells));
  const alloc = values.map(() => 0);
  const sum = values.reduce((acc, value) => acc + Math.max(0, value), 0);
  if (total === 0 || sum <= 0) return alloc;
  const nonzero = values.map((value, index) => ({ value, index })).filter((item) => item.value > 0);
  if (total < nonzero.length) {
    [...nonzero].sort((a, b) => b.value - a.value || a.index - b.index).slice(0, total).forEach((item) => (alloc[item.index] = 1));
    return alloc;
  }
  const quota = values.map((value) => (value > 0 ? (value / sum) * total : 0));
  for (const { index } of nonzero) alloc[index] = Math.max(1, Math.floor(quota[index]!));
  let diff = total - alloc.reduce((acc, value) => acc + value, 0);
  while (diff > 0) {
    // The value furthest below its quota gets the next cell; ties go to the larger value, then the first.
    let best = -1;
    for (const { index } of nonzero) {
      if (best === -1) best = index;
      const gap = quota[index]! - alloc[index]!;
      const bestGap = quota[best]! - alloc[best]!;
      if (gap > bestGap + 1e-12 || (Math.abs(gap - bestGap) <= 1e-12 && values[index]! > values[best]!)) best = index;
    }
    alloc[best]!++;
    diff--;
  }
  while (diff < 0) {
    // Over budget because of the one-cell minimum: take from the value most above its quota.
    let worst = -1;
    for (const { index } of nonzero) {
      if (alloc[index]! <= 1) continue;
      if (worst === -1 || alloc[index]! - quota[index]! > alloc[worst]! - quota[worst]! + 1e-12) worst = index;
    }
    if (worst === -1) break;
    alloc[worst]!--;
    diff++;
  }
  return alloc;
}

export interface BarSegment {
  key: string;
  seconds: number;
}

export interface BarLayout {
  /** One entry per cell: the project key drawn there, or null (empty, up to the goal). */
  cells: (string | null)[];
  /** Cells before the goal marker (the marker is drawn between cell goalAt-1 and goalAt), or null without a goal. */
  goalAt: number | null;
  /** Cells past the goal marker that hold time: the overflow. */
  overflowCells: number;
}

/**
 * A horizontal stacked bar `width` cells wide, scaled to max(goal, total): with a goal the marker
 * sits at the goal and time past it shows after the marker.
 */
export function layoutBar(segments: readonly BarSegment[], goalSeconds: number | null, width: number): BarLayout {
  const cells: (string | null)[] = Array.from({ length: Math.max(0, width) }, () => null);
  const total = segments.reduce((acc, segment) => acc + Math.max(0, segment.seconds), 0);
  const goal = goalSeconds !== null && goalSeconds > 0 ? goalSeconds : null;
  const scale = Math.max(goal ?? 0, total);
  if (width <= 0 || scale <= 0) return { cells, goalAt: goal === null ? null : width, overflowCells: 0 };
  const nonzero = segments.filter((segment) => segment.seconds > 0).length;
  let filled = Math.round((total / scale) * width);
  if (total > 0) filled = Math.min(width, Math.max(filled, nonzero, 1));
  const goalAt = goal === null ? null : Math.min(width, Math.round((goal / scale) * width));
  const parts = allocateCells(segments.map((segment) => segment.seconds), filled);
  let column = 0;
  parts.forEach((count, index) => {
    for (let n = 0; n < count; n++) cells[column++] = segments[index]!.key;
  });
  const overflowCells = goalAt === null || total <= goal! ? 0 : Math.max(0, filled - goalAt);
  return { cells, goalAt, overflowCells };
}
