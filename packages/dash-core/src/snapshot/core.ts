import type { CalendarDay, Weekday } from '../calendar.js';
import { fromEpochSeconds, toEpochSeconds } from '../epoch.js';
import type { TimeEntry } from '../model.js';
import { expectedForDay, expectedForWeek, paceOf, workWindowOf, type Pace } from './pace.js';
import type { SourceState } from '../store.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** Goals in whole seconds; null where none is set. */
export interface Goals {
  weekly: number | null;
  weeklyBillable: number | null;
  daily: number | null;
  dailyBillable: number | null;
}

export interface SnapshotProject {
  /** `<source>:<project key>`; `<source>:` for time with no project. */
  key: string;
  name: string;
  client: string | null;
  color: string | null;
  source: string;
  seconds: number;
  billableSeconds: number;
}

export type ProjectRef = Omit<SnapshotProject, 'seconds' | 'billableSeconds'>;

export interface SnapshotHour {
  /** Local wall-clock hour, 0-23 (on a 25-hour day one hour appears twice). */
  hour: number;
  /** ISO instant, with the local offset, the row starts at. */
  start: string;
  /** 60 cells, one per minute: the key of the project with most seconds in it, or null. */
  minutes: (string | null)[];
}

export interface SnapshotDay {
  date: string;
  weekday: Weekday;
  totalSeconds: number;
  billableSeconds: number;
  goalSeconds: number | null;
  billableGoalSeconds: number | null;
  projects: SnapshotProject[];
  hours: SnapshotHour[];
  /** Pace against the daily goal (pace.ts); null without one. */
  pace: Pace | null;
}

export interface SnapshotClockedIn {
  source: string;
  project: ProjectRef | null;
  description: string;
  /** ISO instant (UTC). */
  start: string;
  elapsedSeconds: number;
  billable: boolean;
  tags: string[];
}

/** A source as the snapshot shows it: its state without the backend's private cursor. */
export type SnapshotSource = Omit<SourceState, 'cursor'>;

export interface Snapshot {
  schemaVersion: 1;
  generatedAt: string;
  timezone: string;
  weekStart: Weekday;
  /** The local date of `generatedAt`. */
  today: string;
  week: {
    start: string;
    end: string;
    totalSeconds: number;
    billableSeconds: number;
    goalSeconds: number | null;
    billableGoalSeconds: number | null;
    projects: SnapshotProject[];
    /** Pace against the weekly goal (pace.ts); null without one. */
    pace: Pace | null;
  };
  days: SnapshotDay[];
  clockedIn: SnapshotClockedIn[];
  sources: SnapshotSource[];
}

export interface SnapshotOptions {
  now: Date;
  timeZone: string;
  weekStart: Weekday;
  goals: Goals;
  /** Days that carry the daily goals; the others have a goal of 0. Default Monday to Friday. */
  workdays?: readonly Weekday[];
  /** Any instant inside the week to show; default `now`. */
  week?: Date;
  /** Per project-key color overrides (from the config). */
  colors?: Readonly<Record<string, string>>;
  /**
   * Where local dates and hours come from; default calendar.ts (Intl). The CLI's
   * fast path passes a table precomputed by it (week-table.ts), which skips ICU's start-up.
   */
  calendar?: SnapshotCalendar;
  /** Only the totals (no minute grid, no pace: `hours` is empty, `pace` null); for many weeks at once. */
  totalsOnly?: boolean;
}

/** The calendar functions a snapshot uses (those of calendar.ts). */
export interface SnapshotCalendar {
  weekOf(epochSeconds: number, timeZone: string, weekStart: Weekday): CalendarDay[];
  localDateOf(epochSeconds: number, timeZone: string): string;
  localHourOf(epochSeconds: number, timeZone: string): number;
  localIso(epochSeconds: number, timeZone: string): string;
}

/**
 * Orders project keys of equal time by UTF-16 code units: the same order in every locale (a
 * script's JSON must not change with LANG) and no ICU collator to start up. Keys are unique (one
 * per project), so two are never equal.
 */
// Stryker disable next-line EqualityOperator: `a <= b` differs only for equal keys, which never meet.
const keyOrder = (a: string, b: string) => (a < b ? -1 : 1);

const DEFAULT_WORKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

/** The key a snapshot uses for the project of an entry. */
export function projectKeyOf(entry: Pick<TimeEntry, 'source' | 'project'>): string {
  return `${entry.source}:${entry.project?.key ?? ''}`;
}

interface Clipped {
  entry: TimeEntry;
  key: string;
  start: number;
  end: number;
  rank: number;
}

/** A stretch of time owned by one entry; stretches never overlap. */
interface Segment {
  start: number;
  end: number;
  owner: Clipped;
}

/**
 * Overlap rule: where entries overlap, each second counts once and goes to the entry that
 * started last (the timer started most recently is what the user is doing now). Equal starts
 * go to the source listed first in the config, then to the smaller entry id.
 */
function outranks(a: Clipped, b: Clipped): boolean {
  if (a.start !== b.start) return a.start > b.start;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.entry.id < b.entry.id;
}

function segmentsOf(items: Clipped[]): Segment[] {
  const bounds = [...new Set(items.flatMap((item) => [item.start, item.end]))].sort((x, y) => x - y);
  const byStart = [...items].sort((x, y) => x.start - y.start);
  const active = new Set<Clipped>();
  const segments: Segment[] = [];
  let next = 0;
  for (let index = 0; index < bounds.length - 1; index++) {
    const from = bounds[index]!;
    const to = bounds[index + 1]!;
    for (const item of active) if (item.end <= from) active.delete(item);
    while (next < byStart.length && byStart[next]!.start <= from) active.add(byStart[next++]!);
    let owner: Clipped | undefined;
    for (const item of active) if (!owner || outranks(item, owner)) owner = item;
    if (owner) segments.push({ start: from, end: to, owner });
  }
  return segments;
}

class Totals {
  seconds = 0;
  billable = 0;
  readonly byProject = new Map<string, { seconds: number; billable: number }>();

  add(key: string, seconds: number, billable: boolean): void {
    this.seconds += seconds;
    const project = this.byProject.get(key) ?? { seconds: 0, billable: 0 };
    project.seconds += seconds;
    if (billable) {
      this.billable += seconds;
      project.billable += seconds;
    }
    this.byProject.set(key, project);
  }

  projects(refs: Map<string, ProjectRef>): SnapshotProject[] {
    return [...this.byProject]
      .map(([key, totals]) => ({ ...refs.get(key)!, seconds: totals.seconds, billableSeconds: totals.billable }))
      .sort((a, b) => b.seconds - a.seconds || keyOrder(a.key, b.key));
  }
}

function minuteGrid(day: { start: number; end: number }, segments: Segment[], timeZone: string, calendar: SnapshotCalendar): SnapshotHour[] {
  const rows = Math.ceil((day.end - day.start) / 3600);
  const cells: (string | null)[] = new Array(rows * 60).fill(null);
  const tallies = new Map<number, { best: number; byKey: Map<string, number> }>();
  for (const segment of segments) {
    const from = Math.max(segment.start, day.start);
    const to = Math.min(segment.end, day.end);
    // A segment outside the day gives no cell: the first cell is past the last.
    for (let cell = Math.floor((from - day.start) / 60); cell <= Math.floor((to - 1 - day.start) / 60); cell++) {
      const cellStart = day.start + cell * 60;
      const seconds = Math.min(to, cellStart + 60) - Math.max(from, cellStart);
      let tally = tallies.get(cell);
      if (!tally) tallies.set(cell, (tally = { best: 0, byKey: new Map() }));
      const total = (tally.byKey.get(segment.owner.key) ?? 0) + seconds;
      tally.byKey.set(segment.owner.key, total);
      // Most seconds wins; a tie goes to the project tracked later in the minute.
      if (total >= tally.best) {
        tally.best = total;
        cells[cell] = segment.owner.key;
      }
    }
  }
  return Array.from({ length: rows }, (_, row) => {
    const start = day.start + row * 3600;
    return {
      hour: calendar.localHourOf(start, timeZone),
      start: calendar.localIso(start, timeZone),
      minutes: cells.slice(row * 60, row * 60 + 60),
    };
  });
}

function toRef(entry: TimeEntry, key: string, colors: Readonly<Record<string, string>>): ProjectRef {
  return {
    key,
    name: entry.project?.name ?? '(no project)',
    client: entry.project?.client ?? null,
    color: colors[key] ?? colors[entry.project?.name ?? ''] ?? entry.project?.color ?? null,
    source: entry.source,
  };
}

/** What buildSnapshot reads from a store: a Store, or a read-only view of a cached one. */
export interface SnapshotSourceData {
  entriesBetween(from: number, to: number): TimeEntry[];
  sources(): SourceState[];
}

/**
 * The snapshot of the README's "Snapshot JSON" contract with the calendar given (ICU's in
 * build.ts, the config record's week table on the light path): a pure function of the store's
 * entries and sources, the goals, the instant `now`, the time zone and the week start. Time after
 * `now` does not exist yet: entries are cut at `now` and a running entry counts up to it.
 */
export function buildSnapshotWith(calendar: SnapshotCalendar, store: SnapshotSourceData, options: SnapshotOptions): Snapshot {
  const { timeZone, weekStart, goals } = options;
  const colors = options.colors ?? {};
  const workdays = new Set(options.workdays ?? DEFAULT_WORKDAYS);
  const now = Math.floor(options.now.getTime() / 1000);
  const days = calendar.weekOf(Math.floor((options.week ?? options.now).getTime() / 1000), timeZone, weekStart);
  const weekFrom = days[0]!.start;
  const weekTo = days[6]!.end;
  const sources = store.sources();
  const rankOf = new Map(sources.map((source, index) => [source.id, index]));
  const refs = new Map<string, ProjectRef>();

  const clipped: Clipped[] = [];
  for (const entry of store.entriesBetween(weekFrom, Math.min(weekTo, now))) {
    const start = Math.max(toEpochSeconds(entry.start), weekFrom);
    const end = Math.min(entry.end === null ? now : toEpochSeconds(entry.end), now, weekTo);
    if (end <= start) continue;
    const key = projectKeyOf(entry);
    refs.set(key, toRef(entry, key, colors));
    clipped.push({ entry, key, start: toEpochSeconds(entry.start), end, rank: rankOf.get(entry.source) ?? sources.length });
  }
  // Ranked by the entry's real start (which may be before the week); the days and the minute
  // grid cut the segments to themselves, so time before the week counts nowhere.
  const segments = segmentsOf(clipped);

  const week = new Totals();
  const dayTotals = days.map(() => new Totals());
  for (const segment of segments) {
    days.forEach((day, index) => {
      const seconds = Math.min(segment.end, day.end) - Math.max(segment.start, day.start);
      if (seconds <= 0) return;
      dayTotals[index]!.add(segment.owner.key, seconds, segment.owner.entry.billable);
      week.add(segment.owner.key, seconds, segment.owner.entry.billable);
    });
  }

  const dailyGoal = (day: Weekday, goal: number | null) => (goal === null ? null : workdays.has(day) ? goal : 0);
  const workdayCount = days.filter((day) => workdays.has(day.weekday)).length;
  const weekGoal = (weekly: number | null, daily: number | null) =>
    weekly ?? (daily === null ? null : daily * workdayCount);

  const clockedIn: SnapshotClockedIn[] = store
    .entriesBetween(now, now + 1)
    .filter((entry) => toEpochSeconds(entry.start) <= now && (entry.end === null || toEpochSeconds(entry.end) > now))
    .sort((a, b) => toEpochSeconds(a.start) - toEpochSeconds(b.start) || (rankOf.get(a.source) ?? 0) - (rankOf.get(b.source) ?? 0))
    .map((entry) => ({
      source: entry.source,
      project: entry.project ? toRef(entry, projectKeyOf(entry), colors) : null,
      description: entry.description,
      start: fromEpochSeconds(toEpochSeconds(entry.start)),
      elapsedSeconds: now - toEpochSeconds(entry.start),
      billable: entry.billable,
      tags: entry.tags,
    }));

  const totalsOnly = options.totalsOnly === true;
  const hours = days.map((day) => (totalsOnly ? [] : minuteGrid(day, segments, timeZone, calendar)));
  const windows = days.map((day, index) => workWindowOf(day, hours[index]!));
  const running = clockedIn.length > 0;
  const iso = fromEpochSeconds;
  const dayPace = (index: number, goal: number | null): Pace | null => {
    if (totalsOnly || goal === null) return null;
    const expected = expectedForDay(goal, windows[index]!, now);
    return paceOf({ goal, worked: dayTotals[index]!.seconds, expected, span: days[index]!, now, clockedIn: running, segments }, iso);
  };
  const weekGoalSeconds = weekGoal(goals.weekly, goals.daily);
  const workWindows = windows.filter((_, index) => workdays.has(days[index]!.weekday));
  const weekPace = totalsOnly || weekGoalSeconds === null ? null : paceOf({
    goal: weekGoalSeconds,
    worked: week.seconds,
    expected: expectedForWeek(weekGoalSeconds, workWindows, now),
    span: { start: weekFrom, end: weekTo },
    now,
    clockedIn: running,
    segments,
  }, iso);

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: fromEpochSeconds(now),
    timezone: timeZone,
    weekStart,
    today: calendar.localDateOf(now, timeZone),
    week: {
      start: days[0]!.date,
      end: days[6]!.date,
      totalSeconds: week.seconds,
      billableSeconds: week.billable,
      goalSeconds: weekGoalSeconds,
      billableGoalSeconds: weekGoal(goals.weeklyBillable, goals.dailyBillable),
      projects: week.projects(refs),
      pace: weekPace,
    },
    days: days.map((day, index) => ({
      date: day.date,
      weekday: day.weekday,
      totalSeconds: dayTotals[index]!.seconds,
      billableSeconds: dayTotals[index]!.billable,
      goalSeconds: dailyGoal(day.weekday, goals.daily),
      billableGoalSeconds: dailyGoal(day.weekday, goals.dailyBillable),
      projects: dayTotals[index]!.projects(refs),
      hours: hours[index]!,
      pace: dayPace(index, dailyGoal(day.weekday, goals.daily)),
    })),
    clockedIn,
    sources: sources.map((source) => ({
      id: source.id,
      plugin: source.plugin,
      status: source.status,
      lastSyncAt: source.lastSyncAt,
      error: source.error,
      rateLimitedUntil: source.rateLimitedUntil,
      staleSince: source.staleSince,
    })),
  };
}
