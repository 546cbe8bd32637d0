import { fromEpochSeconds, toEpochSeconds } from '../epoch.js';
import type { TimeEntry } from '../model.js';
import { projectKeyOf, type Snapshot } from '../snapshot/core.js';
import type { SourceError, SourceState, SourceStatusState } from '../store.js';
import { eventId } from './id.js';
import type { DashEvent, EventEntry, GoalName } from './types.js';

/** What events are derived from: a Store, or anything that reads like one. */
export interface EventSource {
  runningEntries(): TimeEntry[];
  entriesBetween(from: number, to: number): TimeEntry[];
  sources(): SourceState[];
}

interface GoalFact {
  goal: GoalName;
  date: string;
  seconds: number;
  goalSeconds: number;
}

interface SourceFact {
  /** The last status other than "syncing" (a sync in progress is not a change of state). */
  status: SourceStatusState;
  error: SourceError | null;
  lastSyncAt: string | null;
}

/** The state events are the differences of, at one instant (see `eventFacts`). */
export interface EventFacts {
  /** ISO instant of the snapshot the facts were read with. */
  at: string;
  /** Running entries by `source` + id. */
  running: Map<string, TimeEntry>;
  /** Entries that were running in the previous facts and no longer are, as the store now has them (undefined: removed). */
  stopped: Map<string, TimeEntry | undefined>;
  sources: Map<string, SourceFact>;
  /** Goals with a target above zero, by goal + date. */
  goals: Map<string, GoalFact>;
}

const runningKey = (entry: Pick<TimeEntry, 'source' | 'id'>) => `${entry.source}\u0000${entry.id}`;

function goalFacts(snapshot: Snapshot): Map<string, GoalFact> {
  const goals = new Map<string, GoalFact>();
  const add = (goal: GoalName, date: string, seconds: number, goalSeconds: number | null) => {
    if (goalSeconds !== null && goalSeconds > 0) goals.set(`${goal}@${date}`, { goal, date, seconds, goalSeconds });
  };
  const today = snapshot.days.find((day) => day.date === snapshot.today);
  if (today) {
    add('daily', today.date, today.totalSeconds, today.goalSeconds);
    add('daily_billable', today.date, today.billableSeconds, today.billableGoalSeconds);
  }
  add('weekly', snapshot.week.start, snapshot.week.totalSeconds, snapshot.week.goalSeconds);
  add('weekly_billable', snapshot.week.start, snapshot.week.billableSeconds, snapshot.week.billableGoalSeconds);
  return goals;
}

/**
 * Reads the facts events are derived from: the store's running entries and sources, and the goals
 * of `snapshot` (the current week's, built from the same store at the same instant). `previous`
 * tells which entries to look up because they stopped running.
 */
export function eventFacts(store: EventSource, snapshot: Snapshot, previous?: EventFacts): EventFacts {
  const now = toEpochSeconds(snapshot.generatedAt);
  const running = new Map<string, TimeEntry>();
  for (const entry of store.runningEntries()) if (toEpochSeconds(entry.start) <= now) running.set(runningKey(entry), entry);
  const stopped = new Map<string, TimeEntry | undefined>();
  for (const [key, entry] of previous?.running ?? []) {
    if (running.has(key)) continue;
    const start = toEpochSeconds(entry.start);
    stopped.set(key, store.entriesBetween(start, start + 1).find((item) => item.source === entry.source && item.id === entry.id));
  }
  const sources = new Map<string, SourceFact>();
  for (const source of store.sources()) {
    const before = previous?.sources.get(source.id);
    sources.set(
      source.id,
      source.status === 'syncing'
        ? (before ?? { status: 'syncing', error: null, lastSyncAt: source.lastSyncAt })
        : { status: source.status, error: source.error, lastSyncAt: source.lastSyncAt },
    );
  }
  return { at: snapshot.generatedAt, running, stopped, sources, goals: goalFacts(snapshot) };
}

function eventEntry(entry: TimeEntry): EventEntry {
  return {
    id: entry.id,
    start: fromEpochSeconds(toEpochSeconds(entry.start)),
    project: entry.project
      ? { key: projectKeyOf(entry), name: entry.project.name, client: entry.project.client, color: entry.project.color, source: entry.source }
      : null,
    description: entry.description,
    billable: entry.billable,
  };
}

/**
 * The events between two facts, in a stable order: clock.out, clock.in, source.status,
 * goal.reached. Pure: the same facts give the same events, with the same ids.
 */
export function deriveEvents(previous: EventFacts, next: EventFacts): DashEvent[] {
  const timestamp = next.at;
  const events: DashEvent[] = [];
  for (const [key, was] of previous.running) {
    if (next.running.has(key)) continue;
    const now = next.stopped.get(key);
    const start = toEpochSeconds(was.start);
    const end = now?.end ? toEpochSeconds(now.end) : toEpochSeconds(timestamp);
    const entry = eventEntry(now ?? was);
    events.push({
      id: eventId('clock.out', [was.source, was.id, fromEpochSeconds(start)]),
      type: 'clock.out',
      timestamp,
      data: { source: was.source, entry: { ...entry, end: fromEpochSeconds(end) }, seconds: Math.max(0, end - start) },
    });
  }
  for (const [key, entry] of next.running) {
    if (previous.running.has(key)) continue;
    const data = eventEntry(entry);
    events.push({ id: eventId('clock.in', [entry.source, entry.id, data.start]), type: 'clock.in', timestamp, data: { source: entry.source, entry: data } });
  }
  for (const [id, fact] of next.sources) {
    const before = previous.sources.get(id);
    if (fact.status === 'syncing' || (before && before.status === fact.status && before.error?.code === fact.error?.code)) continue;
    events.push({
      id: eventId('source.status', [id, fact.status, fact.error?.code ?? null, fact.lastSyncAt]),
      type: 'source.status',
      timestamp,
      data: { id, status: fact.status, error: fact.error },
    });
  }
  for (const [key, goal] of next.goals) {
    if (goal.seconds < goal.goalSeconds) continue;
    const before = previous.goals.get(key);
    if (before && before.seconds >= before.goalSeconds) continue;
    events.push({ id: eventId('goal.reached', [goal.goal, goal.date]), type: 'goal.reached', timestamp, data: { ...goal } });
  }
  return events;
}

/**
 * Keeps the last facts and turns every new look at the store into the events since: feed it the
 * store and the current week's snapshot after every change (and when `nextCheckSeconds` says a
 * running timer may reach a goal). The first look only sets the baseline: what was already true
 * when a process started is not a happening it saw.
 */
export class EventDeriver {
  #facts: EventFacts | undefined;

  update(store: EventSource, snapshot: Snapshot): DashEvent[] {
    const next = eventFacts(store, snapshot, this.#facts);
    const events = this.#facts ? deriveEvents(this.#facts, next) : [];
    this.#facts = next;
    return events;
  }

  /**
   * Seconds from the last update until a running timer could first reach a goal not yet reached
   * (overlapping time counts once, so it may take longer: look again then); null when nothing runs.
   */
  nextCheckSeconds(): number | null {
    const facts = this.#facts;
    if (!facts || facts.running.size === 0) return null;
    const billable = [...facts.running.values()].some((entry) => entry.billable);
    let next: number | null = null;
    for (const goal of facts.goals.values()) {
      if (goal.seconds >= goal.goalSeconds || (!billable && goal.goal.endsWith('_billable'))) continue;
      const wait = goal.goalSeconds - goal.seconds;
      next = next === null ? wait : Math.min(next, wait);
    }
    return next;
  }
}
