import { fromEpochSeconds, type EntryInput, type ProjectInput } from 'dash-core';
import { blockId, CELL_SECONDS, tagsOf, type Block } from './cells.js';
import type { DesktopLogReading } from './desktop-log.js';

/**
 * No Upwork field says "the tracker is running" (reference §4.1). The work-diary heuristic:
 * clocked in when the newest tracked (non-manual) cell started at most 20 minutes ago — one
 * 10-minute segment plus upload latency and polling. Expect 10–20 minutes of lag either way.
 */
export const DIARY_FRESH_SECONDS = 20 * 60;

export type ClockSignal = 'diary' | 'desktop-log';

export interface ClockIn {
  signal: ClockSignal;
  /** The contract being tracked, when known. */
  contractId: string | undefined;
  /** Epoch seconds the current session started. */
  start: number;
  /** The diary block the session continues (merged into the running entry), if any. */
  block: Block | undefined;
}

/** The newest tracked block whose last cell started within DIARY_FRESH_SECONDS of now. */
export function freshDiaryBlock(blocks: readonly Block[], nowSeconds: number): Block | undefined {
  let newest: Block | undefined;
  for (const block of blocks) {
    if (block.manual || block.start > nowSeconds) continue;
    if (!newest || block.end > newest.end) newest = block;
  }
  if (!newest) return undefined;
  const lastCellStart = newest.end - CELL_SECONDS;
  return nowSeconds - lastCellStart <= DIARY_FRESH_SECONDS ? newest : undefined;
}

/** Decides whether the freelancer is tracking now, and by which signal. */
export function inferClockIn(blocks: readonly Block[], nowSeconds: number, desktop: DesktopLogReading | undefined): ClockIn | undefined {
  const block = freshDiaryBlock(blocks, nowSeconds);
  if (desktop) {
    // The desktop app knows within a minute; the diary lags by a segment or two.
    if (!desktop.tracking) return undefined;
    const tracked = blocks.filter((item) => !item.manual && item.start <= nowSeconds);
    const latest = block ?? tracked.sort((a, b) => b.end - a.end)[0];
    // A diary block that ended before this session began belongs to an earlier session.
    const continues = latest && desktop.sessionStart !== undefined && latest.end < desktop.sessionStart - CELL_SECONDS ? undefined : block;
    const start = continues?.start ?? desktop.sessionStart ?? Math.min(desktop.lastActivity, nowSeconds);
    return { signal: 'desktop-log', contractId: latest?.contractId, start: Math.min(start, nowSeconds), block: continues };
  }
  if (!block) return undefined;
  return { signal: 'diary', contractId: block.contractId, start: block.start, block };
}

/** The running entry pushed with setRunning: it carries the signal in its tags. */
export function runningEntry(clock: ClockIn, project: ProjectInput | null): EntryInput {
  return {
    id: clock.block ? blockId(clock.block) : `running:${clock.start}`,
    start: fromEpochSeconds(clock.start),
    end: null,
    project,
    description: clock.block?.memo ?? '',
    billable: true,
    tags: [...tagsOf({ manual: false, overtime: clock.block?.overtime ?? false }), `signal:${clock.signal}`],
  };
}
