import { type EntryInput } from 'dash-core';
import { buildSnapshot, Store, type Snapshot } from 'dash-core/host';

export const TZ = 'Europe/Berlin';
/** Friday 20 Nov 2026, 16:30 in Berlin. */
export const NOW = new Date('2026-11-20T15:30:00Z');
export const GOALS = { weekly: 40 * 3600, weeklyBillable: 30 * 3600, daily: 8 * 3600, dailyBillable: 6 * 3600 };

export const ACME = { key: 'acme', name: 'Acme website', client: 'Acme Corp', color: '#06aaf5' };
export const GLOBEX = { key: 'globex', name: 'Globex API', client: null, color: '#e36a00' };
export const TINY = { key: 'tiny', name: 'Tiny task', client: null, color: null };

function entry(id: string, start: string, end: string | null, project: EntryInput['project'], billable = true, description = ''): EntryInput {
  return { id, start, end, project, billable, description };
}

/**
 * A small known week (times UTC; Berlin is UTC+1 in November):
 * Mon 08:00–12:00 Acme (4h), Mon 13:00–14:30 Globex (1h30), Tue 09:00–09:05 Tiny (5m, not billable),
 * running since Fri 15:00 on Globex ("Pairing") → 30 min at NOW.
 */
export function knownStore(options: { running?: boolean } = {}): Store {
  const store = new Store();
  const handle = store.addSource('toggl', 'dash-plugin-toggl');
  handle.replaceRange({ from: '2026-11-15T23:00:00Z', to: '2026-11-22T23:00:00Z' }, [
    entry('1', '2026-11-16T07:00:00Z', '2026-11-16T11:00:00Z', ACME),
    entry('2', '2026-11-16T12:00:00Z', '2026-11-16T13:30:00Z', GLOBEX),
    entry('3', '2026-11-17T08:00:00Z', '2026-11-17T08:05:00Z', TINY, false),
  ]);
  if (options.running !== false) handle.setRunning(entry('run', '2026-11-20T15:00:00Z', null, GLOBEX, true, 'Pairing'));
  handle.markSynced(new Date('2026-11-20T15:29:00Z'));
  return store;
}

export function snapshotOf(store: Store, now = NOW, week?: Date): Snapshot {
  return buildSnapshot(store, { now, timeZone: TZ, weekStart: 'monday', goals: GOALS, ...(week ? { week } : {}) });
}
