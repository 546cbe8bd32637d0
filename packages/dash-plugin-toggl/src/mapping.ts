import { ColorSchema, fromEpochSeconds, type EntryInput, type ProjectInput } from 'dash-core';
import type { TogglTimeEntry } from './toggl-schema.js';

/** Running ⇔ negative duration (`stop: null` alone is not proof: see the reference, §2.5). */
export function isRunning(entry: TogglTimeEntry): boolean {
  return entry.duration < 0;
}

export function isDeleted(entry: TogglTimeEntry): boolean {
  return entry.server_deleted_at !== null && entry.server_deleted_at !== undefined;
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * Seconds a running entry has been going at `now`: now − start, never below 0 (a start in the
 * future counts as 0). Never derived from `duration`: only its sign means something (the API
 * sends −start epoch seconds; -1 for an entry created through the API with -1).
 */
export function elapsedSeconds(entry: TogglTimeEntry, now: Date): number {
  return Math.max(0, Math.floor(now.getTime() / 1000) - epochSeconds(entry.start));
}

function projectOf(entry: TogglTimeEntry): ProjectInput | null {
  if (entry.project_id === null || entry.project_id === undefined) return null;
  const color = entry.project_color && ColorSchema.safeParse(entry.project_color).success ? entry.project_color.toLowerCase() : null;
  return {
    key: String(entry.project_id),
    // Without meta=true (or for a project since deleted) there is no name: show the id.
    name: entry.project_name ?? `Project ${entry.project_id}`,
    client: entry.client_name ?? null,
    color,
  };
}

/**
 * A Toggl entry as Dash sees it. The end of a stopped entry is `stop`, or start + duration for
 * duration-only entries; a running entry has no end (the snapshot ticks it from `start`).
 * `billable` is the entry's own flag (Toggl copies the project's default into it).
 */
export function toEntryInput(entry: TogglTimeEntry): EntryInput {
  const start = epochSeconds(entry.start);
  const running = isRunning(entry);
  let end: string | null = null;
  if (!running) {
    const stop = entry.stop ? epochSeconds(entry.stop) : start + Math.floor(entry.duration);
    end = fromEpochSeconds(Math.max(start, stop));
  }
  return {
    id: String(entry.id),
    start: fromEpochSeconds(start),
    end,
    project: projectOf(entry),
    description: entry.description ?? '',
    billable: entry.billable ?? false,
    tags: entry.tags ?? [],
  };
}
