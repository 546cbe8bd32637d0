import type { Weekday } from '../calendar.js';
import type { TimeEntry } from '../model.js';
import type { Backend, BackendPlugin } from '../plugin.js';
import type { SourceState, Store } from '../store.js';
import { createTestContext, type FakeClock, type TestContext } from './context.js';
import { validateOptions } from './options.js';

/** How long a sync may take when the caller does not say (timeoutMs). */
export const DEFAULT_SYNC_TIMEOUT_MS = 10_000;

export interface SyncPluginOptions {
  /** The [[backends]] id (default "test"). */
  id?: string;
  /** [from, to) to sync; default: the week (Monday to Monday, UTC) containing the clock's now. */
  range?: { from: Date | string; to: Date | string };
  clock?: FakeClock;
  /** Where "now" is, when no clock is given (default 2026-11-18T12:00:00Z). */
  now?: Date | string;
  timeZone?: string;
  weekStart?: Weekday;
  configDir?: string;
  dataDir?: string;
  signal?: AbortSignal;
  /** Fail when sync takes longer (default 10 s). */
  timeoutMs?: number;
}

export interface SyncPluginResult extends TestContext {
  backend: Backend;
  /** The source's entries after the sync (running ones included). */
  entries: TimeEntry[];
  /** The source's state after the sync (status, error, lastSyncAt). */
  source: SourceState;
  /** Calls dispose (if any); safe to call more than once. */
  dispose(): Promise<void>;
}

/** The Monday-to-Monday UTC week around an instant. */
export function weekAround(now: Date): { from: Date; to: Date } {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  return { from: monday, to: new Date(monday.getTime() + 7 * 86_400_000) };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Validates `options` with the plugin's schema, creates a backend on a real Store, runs one
 * `sync` and returns the store to inspect, like the host does for `dash-cli snapshot`.
 * Throws when the options are invalid or sync fails (the error as the plugin threw it).
 */
export async function syncPlugin<Options>(
  plugin: BackendPlugin<Options>,
  options: unknown,
  settings: SyncPluginOptions = {},
): Promise<SyncPluginResult> {
  const validated = await validateOptions(plugin, options);
  if (!validated.ok) {
    throw new Error(
      `options rejected by ${plugin.name}'s schema: ${validated.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
  const test = createTestContext({
    id: settings.id,
    plugin: plugin.name,
    clock: settings.clock,
    timeZone: settings.timeZone,
    weekStart: settings.weekStart,
    configDir: settings.configDir,
    dataDir: settings.dataDir,
  });
  if (!settings.clock && settings.now !== undefined) test.clock.set(settings.now);
  const range = settings.range
    ? { from: new Date(settings.range.from), to: new Date(settings.range.to) }
    : weekAround(test.clock.now());
  const backend = await plugin.createBackend(validated.value, test.context);
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await backend.dispose?.();
  };
  try {
    // As the host does: "syncing" while it runs, "ok" after, unless the backend set its own status.
    test.context.store.setStatus({ status: 'syncing' });
    await withTimeout(
      backend.sync({ from: range.from, to: range.to, signal: settings.signal ?? new AbortController().signal }),
      settings.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS,
      `${plugin.name}: sync`,
    );
    if (test.store.source(test.context.id)?.status === 'syncing') test.context.store.markSynced(test.clock.now());
  } catch (error) {
    await dispose().catch(() => {});
    throw error;
  }
  const state = test.store.source(test.context.id)!;
  return { ...test, backend, entries: test.context.store.entries(), source: state, dispose };
}

export type { Store };
