import { existsSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';

const MONTH_FILE = /^\d{4}-\d{2}\.data$/;

/**
 * @typedef {object} DatabaseWatcher
 * @property {() => void} close
 */

/**
 * Calls `onChange` shortly after Timewarrior rewrites a month file (`timew start`, `stop`,
 * `track`, `delete` ... all replace `data/YYYY-MM.data` by renaming a temporary file over it).
 * Event-driven (inotify, FSEvents, ReadDirectoryChangesW through fs.watch), no polling. While
 * the data folder does not exist yet it watches the nearest folder above that does, and moves
 * down when Timewarrior creates it.
 * @param {string} database
 * @param {() => void} onChange
 * @param {{ debounceMs?: number, onError?: (error: Error) => void }} [options]
 * @returns {DatabaseWatcher}
 */
export function watchDatabase(database, onChange, options = {}) {
  const debounceMs = options.debounceMs ?? 100;
  const levels = [join(database, 'data'), database, dirname(database)];
  /** @type {import('node:fs').FSWatcher | undefined} */
  let watcher;
  let level = -1;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  let closed = false;

  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
  };

  const attach = () => {
    const found = levels.findIndex((dir) => existsSync(dir));
    if (found === -1 || found === level) return;
    watcher?.close();
    level = found;
    const dir = /** @type {string} */ (levels[found]);
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (level === 0) {
          if (name === null || MONTH_FILE.test(String(name))) fire();
          return;
        }
        // Above the data folder: move down once it exists, and read what it holds.
        const before = level;
        attach();
        if (level < before) fire();
      });
      watcher.on('error', (error) => options.onError?.(error));
    } catch (error) {
      options.onError?.(/** @type {Error} */ (error));
    }
    // The folder may have appeared between existsSync and watch.
    if (found > 0 && existsSync(/** @type {string} */ (levels[found - 1]))) {
      attach();
      fire();
    }
  };

  attach();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
