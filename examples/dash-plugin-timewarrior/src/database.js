import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DashError } from 'dash-core';
import { parseDataFile } from './parse.js';

/** @typedef {import('./parse.js').Interval} Interval */

/**
 * Where Timewarrior keeps its database, as Timewarrior itself decides: the `database` option,
 * else $TIMEWARRIORDB, else ~/.timewarrior if it exists, else $XDG_DATA_HOME/timewarrior
 * (~/.local/share/timewarrior) if it exists, else ~/.timewarrior (Timewarrior 1.4's default).
 * @param {string | undefined} option  the `database` option, `~/` expanded, relative to the config
 * @param {string} configDir
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function locateDatabase(option, configDir, env = process.env) {
  const home = env.HOME || homedir();
  if (option) {
    const expanded = option === '~' ? home : option.startsWith('~/') ? join(home, option.slice(2)) : option;
    return isAbsolute(expanded) ? expanded : resolve(configDir, expanded);
  }
  if (env.TIMEWARRIORDB) return resolve(env.TIMEWARRIORDB);
  const legacy = join(home, '.timewarrior');
  if (existsSync(legacy)) return legacy;
  const xdg = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'timewarrior');
  if (existsSync(xdg)) return xdg;
  return legacy;
}

/**
 * "YYYY-MM" of every month that [from, to) touches, in UTC (Timewarrior files by UTC start).
 * @param {Date} from
 * @param {Date} to
 * @returns {string[]}
 */
export function monthsBetween(from, to) {
  const months = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const last = new Date(to.getTime() - 1);
  while (year < last.getUTCFullYear() || (year === last.getUTCFullYear() && month <= last.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}

/**
 * Reads the intervals of the given months from `<database>/data/YYYY-MM.data`. A month with
 * no file has no intervals; a missing database folder is an error the user can fix.
 * @param {string} database
 * @param {string[]} months
 * @param {AbortSignal} [signal]
 * @returns {Promise<{ intervals: Interval[], skipped: number }>}
 */
export async function readMonths(database, months, signal) {
  signal?.throwIfAborted();
  if (!existsSync(database)) {
    throw new DashError('timewarrior:NOT_FOUND', `no Timewarrior database at ${database}`, {
      hint: 'run `timew` once to create it, or set database = "…" (or $TIMEWARRIORDB) to where yours is',
    });
  }
  // A database nothing was tracked in yet has no data folder: no intervals, not an error.
  const intervals = [];
  let skipped = 0;
  for (const month of months) {
    /** @type {string} */
    let text;
    try {
      text = await readFile(join(database, 'data', `${month}.data`), { encoding: 'utf8', signal });
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') continue;
      throw error;
    }
    const parsed = parseDataFile(text);
    intervals.push(...parsed.intervals);
    skipped += parsed.skipped;
  }
  return { intervals, skipped };
}
