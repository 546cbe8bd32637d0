import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive.js';

/**
 * Temp files of atomic writes (`<file>.<pid>-<time>[-<n>].tmp`) and the sweep that removes those
 * a killed writer left behind: a temp file is stale when the process named in it is gone, or when
 * it is older than TEMP_MAX_AGE_MS whoever wrote it (the pid may have been reused).
 */

/** No write takes this long; a temp file older than this is a leftover. */
export const TEMP_MAX_AGE_MS = 10 * 60_000;

let counter = 0;

/** A fresh temp name beside `file`, carrying this process's pid. */
export function tempNameFor(file: string): string {
  return `${file}.${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}.tmp`;
}

const TEMP = /^\.(\d+)-[0-9a-z]+(?:-[0-9a-z]+)?\.tmp$/;

/** Whether a temp file of `file` (its name `name` in the same folder) is a dead writer's leftover. */
export function isStaleTemp(file: string, name: string, mtimeMs: number, now: number): boolean {
  const prefix = basename(file);
  if (!name.startsWith(prefix)) return false;
  const match = TEMP.exec(name.slice(prefix.length));
  if (!match) return false;
  return now - mtimeMs > TEMP_MAX_AGE_MS || !processAlive(Number(match[1]));
}

/** Removes the stale temp files of `file`; never throws. Returns how many were removed. */
export function sweepTemps(file: string, now: number = Date.now()): number {
  const dir = dirname(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.tmp')) continue;
    try {
      const path = join(dir, name);
      if (isStaleTemp(file, name, statSync(path).mtimeMs, now)) {
        unlinkSync(path);
        removed++;
      }
    } catch {
      // another process removed or renamed it: fine
    }
  }
  return removed;
}
