import { buildSnapshot, type Goals, type SnapshotOptions } from '../src/snapshot/build.js';
import { Store } from '../src/store.js';
import type { EntryInput } from '../src/model.js';

export const NO_GOALS: Goals = { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null };

export const H = 3600;

/** A store with the given sources (in this order) and their entries pushed with upsert. */
export function storeWith(sources: Record<string, EntryInput[]>): Store {
  const store = new Store();
  for (const [id, entries] of Object.entries(sources)) {
    const handle = store.addSource(id, `dash-plugin-${id}`);
    if (entries.length > 0) handle.upsert(entries);
  }
  return store;
}

export function entry(id: string, start: string, end: string | null, project: string | null, extra: Partial<EntryInput> = {}): EntryInput {
  return {
    id,
    start,
    end,
    project: project === null ? null : { key: project, name: project.toUpperCase() },
    ...extra,
  };
}

export function snap(store: Store, options: Omit<Partial<SnapshotOptions>, 'now'> & { now: Date | string; timeZone: string }) {
  return buildSnapshot(store, {
    weekStart: 'monday',
    goals: NO_GOALS,
    ...options,
    now: new Date(options.now),
  });
}
