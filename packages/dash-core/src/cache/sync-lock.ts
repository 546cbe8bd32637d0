import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { processAlive } from '../process-alive.js';

/**
 * Single-flight syncs across processes: a lock file next to the cache file (`<cache>.lock`),
 * created with O_EXCL, holding the holder's pid, when it took the lock and until when it may
 * hold it (its sync deadline). Twenty status-bar `snapshot`s starting together on an expired
 * cache: one syncs, the others wait for the lock to go and read what it wrote.
 * A lock is broken when its holder is gone or its deadline has passed.
 */

interface LockRecord {
  pid: number;
  /** Epoch ms the lock was taken. */
  at: number;
  /** Epoch ms after which the lock is stale. */
  until: number;
}

/** No holder keeps a lock longer than this, whatever it wrote. */
export const MAX_LOCK_MS = 10 * 60_000;
/** A lock file still empty after this long was left by a holder killed while creating it. */
const EMPTY_LOCK_GRACE_MS = 2_000;

export interface HeldSyncLock {
  readonly file: string;
  /** Removes the lock if it is still this process's; never throws. */
  release(): void;
}

export type SyncTurn = { kind: 'sync'; lock: HeldSyncLock } | { kind: 'waited'; waitedMs: number };

export interface SyncLockOptions {
  /** How long this process may hold the lock (its sync deadline), ms. */
  holdMs: number;
  /** How often a waiter looks again, ms (default 50). */
  pollMs?: number;
  now?: () => number;
}

/** The lock file of a cache file. */
export function syncLockFileFor(cacheFile: string): string {
  return `${cacheFile}.lock`;
}

function tryCreate(file: string, record: LockRecord): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(record));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's content: a record, 'missing', or 'unreadable' (being written, or garbage). */
function readLock(file: string): LockRecord | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.at === 'number' && typeof value.until === 'number') return value as LockRecord;
  } catch {
    // fall through
  }
  return 'unreadable';
}

function isStale(file: string, lock: LockRecord | 'unreadable', now: number): boolean {
  if (lock === 'unreadable') {
    try {
      return now - statSync(file).mtimeMs > EMPTY_LOCK_GRACE_MS;
    } catch {
      return false;
    }
  }
  return !processAlive(lock.pid) || now > Math.min(lock.until, lock.at + MAX_LOCK_MS);
}

/**
 * Takes the lock of `cacheFile`, or waits (polling) while another live process holds it. Resolves
 * `{ kind: 'sync' }` with the lock (sync, then release it), or `{ kind: 'waited' }` once the
 * holder let go (read the cache again: it holds what that process fetched). The wait is bounded
 * by the holder's own deadline: after it, the lock is stale and taken over.
 */
export async function takeSyncTurn(cacheFile: string, options: SyncLockOptions): Promise<SyncTurn> {
  const file = syncLockFileFor(cacheFile);
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 50;
  const started = now();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let waited = false;
  for (;;) {
    const at = now();
    const record: LockRecord = { pid: process.pid, at, until: at + Math.min(options.holdMs, MAX_LOCK_MS) };
    if (tryCreate(file, record)) {
      if (waited) {
        // The holder let go between two looks: it has written the cache.
        unlinkOwn(file, record);
        return { kind: 'waited', waitedMs: now() - started };
      }
      return { kind: 'sync', lock: { file, release: () => unlinkOwn(file, record) } };
    }
    const held = readLock(file);
    if (held === 'missing') {
      if (waited) return { kind: 'waited', waitedMs: now() - started };
      continue;
    }
    if (isStale(file, held, now())) {
      // Its holder died or overran: break it (only if it is still the one we judged).
      const again = readLock(file);
      if (JSON.stringify(again) === JSON.stringify(held)) {
        try {
          unlinkSync(file);
        } catch {
          // someone else broke it first
        }
      }
      continue;
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function unlinkOwn(file: string, record: LockRecord): void {
  const held = readLock(file);
  if (typeof held === 'object' && held.pid === record.pid && held.at === record.at) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}
