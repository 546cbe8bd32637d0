import { toEpochSeconds } from 'dash-core';
import { buildSnapshot, projectKeyOf, type SnapshotOptions, type Store } from 'dash-core/host';

/** One tracked entry as the entries panel shows it: real start and end (cut at now), epoch seconds. */
export interface ViewEntry {
  source: string;
  id: string;
  start: number;
  end: number;
  running: boolean;
  projectKey: string;
  projectName: string;
  description: string;
  billable: boolean;
}

/** One week of the trend panel. */
export interface TrendWeek {
  /** Local date the week starts on. */
  start: string;
  totalSeconds: number;
  billableSeconds: number;
  goalSeconds: number | null;
}

/** How many weeks the trend shows, this one included. */
export const TREND_WEEKS = 12;

/**
 * The entries of [from, to) as they really are (not cut to the week): an entry that ends after
 * the week keeps its end (the header's "last: … until" and the entries panel show that), cut only
 * at `now`, since time after now does not exist yet.
 */
export function entriesOf(store: Pick<Store, 'entriesBetween'>, from: number, to: number, now: number): ViewEntry[] {
  return store
    .entriesBetween(from, Math.min(to, now))
    .map((entry) => {
      const start = toEpochSeconds(entry.start);
      const end = Math.min(entry.end === null ? now : toEpochSeconds(entry.end), now);
      return {
        source: entry.source,
        id: entry.id,
        start,
        end,
        running: entry.end === null || toEpochSeconds(entry.end) > now,
        projectKey: projectKeyOf(entry),
        projectName: entry.project?.name ?? '(no project)',
        description: entry.description,
        billable: entry.billable,
      };
    })
    .filter((entry) => entry.end > entry.start && entry.start <= now)
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.source < b.source ? -1 : 1));
}

/**
 * The trend: the totals of the TREND_WEEKS weeks up to the one containing `now`, oldest first,
 * each from the one snapshot builder (so overlaps, DST and goals follow the same rules as the
 * snapshot of that week).
 */
export function trendOf(store: Store, options: Omit<SnapshotOptions, 'week'>, weekStarts: readonly Date[]): TrendWeek[] {
  return weekStarts.map((anchor) => {
    const snapshot = buildSnapshot(store, { ...options, week: anchor, totalsOnly: true });
    return { start: snapshot.week.start, totalSeconds: snapshot.week.totalSeconds, billableSeconds: snapshot.week.billableSeconds, goalSeconds: snapshot.week.goalSeconds };
  });
}
