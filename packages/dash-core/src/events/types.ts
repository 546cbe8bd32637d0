import type { ProjectRef } from '../snapshot/core.js';
import type { SourceError, SourceStatusState } from '../store.js';

/** The goals a `goal.reached` event names (the config's `[goals]` keys). */
export type GoalName = 'daily' | 'daily_billable' | 'weekly' | 'weekly_billable';

/** An entry as a `clock.in` event carries it. */
export interface EventEntry {
  id: string;
  /** ISO instant (UTC). */
  start: string;
  project: ProjectRef | null;
  description: string;
  billable: boolean;
}

/** The domain events (README § Serve, events): one vocabulary for SSE and webhooks. */
export interface DashEventData {
  'clock.in': { source: string; entry: EventEntry };
  'clock.out': { source: string; entry: EventEntry & { end: string }; seconds: number };
  'goal.reached': { goal: GoalName; date: string; seconds: number; goalSeconds: number };
  'source.status': { id: string; status: SourceStatusState; error: SourceError | null };
}

export type DashEventType = keyof DashEventData;

/** One happening. `id` is deterministic: the same happening has the same id in every Dash process. */
export type DashEvent = {
  [T in DashEventType]: {
    id: string;
    type: T;
    /** ISO instant (UTC) the happening was noticed at. */
    timestamp: string;
    data: DashEventData[T];
  };
}[DashEventType];

export const DASH_EVENT_TYPES: readonly DashEventType[] = ['clock.in', 'clock.out', 'goal.reached', 'source.status'];
