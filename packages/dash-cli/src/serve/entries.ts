import { toEpochSeconds, type TimeEntry } from 'dash-core';
import { type Store } from 'dash-core/host';

/** One row of GET /api/v1/entries (README § Serve): flat, for scripts and Grafana's Infinity. */
export interface EntryRow {
  source: string;
  id: string;
  start: string;
  /** null while running. */
  end: string | null;
  /** Whole seconds, a running entry up to now. */
  seconds: number;
  project: string | null;
  client: string | null;
  billable: boolean;
  description: string;
  tags: string[];
}

export function entryRow(entry: TimeEntry, now: Date): EntryRow {
  const end = entry.end === null ? Math.floor(now.getTime() / 1000) : toEpochSeconds(entry.end);
  return {
    source: entry.source,
    id: entry.id,
    start: entry.start,
    end: entry.end,
    seconds: Math.max(0, end - toEpochSeconds(entry.start)),
    project: entry.project?.name ?? null,
    client: entry.project?.client ?? null,
    billable: entry.billable,
    description: entry.description,
    tags: entry.tags,
  };
}

/** The entries overlapping [from, to), oldest first; a timer that has not started by `now` is left out. */
export function entryRows(store: Store, range: { from: Date; to: Date }, now: Date): EntryRow[] {
  return store
    .entriesBetween(range.from, range.to)
    .filter((entry) => toEpochSeconds(entry.start) <= Math.floor(now.getTime() / 1000))
    .sort((a, b) => toEpochSeconds(a.start) - toEpochSeconds(b.start) || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.id < b.id ? -1 : 1))
    .map((entry) => entryRow(entry, now));
}
