import { readFileSync } from 'node:fs';
import { DASH_PLUGIN_API_VERSION, DashError, defineBackendPlugin, z } from 'dash-core';
import { locateDatabase, monthsBetween, readMonths } from './database.js';
import { entryOf } from './entries.js';
import { watchDatabase } from './watch.js';

/** @typedef {import('dash-core').Backend} Backend */
/** @typedef {import('dash-core').EntryInput} EntryInput */

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** A look-back before the range, so an interval that started earlier and reaches into it is read. */
const LOOKBACK_MS = 7 * 86_400_000;

const ProjectSchema = z.strictObject({
  name: z.string().min(1),
  client: z.string().optional(),
  color: z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex color like #06aaf5').optional(),
  billable: z.boolean().optional(),
});

/** The [[backends]] keys this plugin takes (besides plugin and id). */
export const optionsSchema = z.strictObject({
  /** The Timewarrior database folder (the one holding data/); default: what `timew` itself uses. */
  database: z.string().min(1).optional(),
  /** Tag → project: `acme = "Acme website"` or `acme = { name = "Acme", client = "Acme Corp", color = "#ff8800", billable = true }`. */
  projects: z.record(z.string(), z.union([z.string().min(1), ProjectSchema])).default({}),
  /** An interval whose tags are not in `projects`: its first tag is the project ("first-tag"), or it has none ("none"). */
  default_project: z.enum(['first-tag', 'none']).default('first-tag'),
  /** Tags that make an interval billable (`timew start acme billable`). */
  billable_tags: z.array(z.string().min(1)).default([]),
});

/** @typedef {z.output<typeof optionsSchema>} TimewarriorOptions */

/**
 * Dash backend for Timewarrior (https://timewarrior.net): reads its data files, maps tags to
 * projects, shows the open interval as the running timer, and follows `timew start`/`stop`
 * as they happen by watching the data folder.
 */
export default defineBackendPlugin({
  name: 'dash-plugin-timewarrior',
  version,
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Timewarrior (timew): intervals from its data files, live as you start and stop',
  optionsSchema,
  /**
   * @param {TimewarriorOptions} options
   * @param {import('dash-core').BackendContext} context
   * @returns {Backend}
   */
  createBackend(options, context) {
    const database = locateDatabase(options.database, context.configDir);
    /** @type {Set<{ close(): void }>} */
    const watchers = new Set();
    context.log.debug(`database: ${database}`);

    /** @param {{ from: Date, to: Date, signal: AbortSignal }} request */
    async function sync({ from, to, signal }) {
      const lookback = new Date(from.getTime() - LOOKBACK_MS);
      const now = context.now();
      const months = new Set([...monthsBetween(lookback, to), ...monthsBetween(now, new Date(now.getTime() + 1))]);
      const { intervals, skipped } = await readMonths(database, [...months].sort(), signal);
      /** @type {EntryInput[]} */
      const closed = [];
      /** @type {import('./parse.js').Interval | undefined} */
      let open;
      for (const interval of intervals) {
        if (interval.end === null) {
          if (!open || interval.start > open.start) open = interval;
        } else if (Date.parse(interval.start) < to.getTime() && Date.parse(interval.end) > from.getTime()) {
          closed.push(entryOf(interval, options));
        }
      }
      signal.throwIfAborted();
      context.store.replaceRange({ from: lookback, to }, closed);
      context.store.setRunning(open ? entryOf(open, options) : null);
      if (skipped > 0) context.log.warn(`${skipped} line(s) in ${database}/data could not be read and were skipped`);
      context.log.debug(`${closed.length} interval(s) in range, ${open ? 'tracking now' : 'not tracking'}`);
    }

    return {
      sync,

      async run({ signal, range }) {
        let busy = false;
        let again = false;
        const refresh = async () => {
          if (busy) {
            again = true;
            return;
          }
          busy = true;
          try {
            do {
              again = false;
              try {
                await sync({ ...range(), signal });
                context.store.markSynced(context.now());
              } catch (error) {
                if (signal.aborted) return;
                const code = typeof (/** @type {any} */ (error).code) === 'string' ? /** @type {any} */ (error).code : 'BACKEND_FAILED';
                context.store.setStatus({ status: 'error', error: { code, message: /** @type {Error} */ (error).message } });
              }
            } while (again && !signal.aborted);
          } finally {
            busy = false;
          }
        };
        if (signal.aborted) return;
        const watcher = watchDatabase(database, () => void refresh(), {
          onError: (error) => context.log.warn(`watching ${database} failed: ${error.message}`),
        });
        watchers.add(watcher);
        try {
          await refresh();
          await new Promise((resolve) => {
            if (signal.aborted) resolve(undefined);
            else signal.addEventListener('abort', () => resolve(undefined), { once: true });
          });
        } finally {
          watcher.close();
          watchers.delete(watcher);
        }
      },

      async healthCheck(signal) {
        const now = context.now();
        try {
          const { intervals } = await readMonths(database, monthsBetween(now, new Date(now.getTime() + 1)), signal);
          const open = intervals.find((interval) => interval.end === null);
          return {
            ok: true,
            message: `database ${database}: ${intervals.length} interval(s) this month, ${open ? `tracking ${open.tags.join(', ') || '(no tags)'}` : 'not tracking'}`,
          };
        } catch (error) {
          if (error instanceof DashError || (error && typeof error === 'object' && 'code' in error)) {
            return { ok: false, code: String(/** @type {any} */ (error).code), message: /** @type {Error} */ (error).message };
          }
          throw error;
        }
      },

      dispose() {
        for (const watcher of watchers) watcher.close();
        watchers.clear();
      },
    };
  },
});
