/**
 * A local plugin written against dash-core's public API, as a user would keep one next to their
 * config, that hands Dash whatever a hostile or broken backend could: every entry of a JSON file
 * (`data = "feed.json"`) pushed one by one (a rejected one is skipped, the rest still land), a
 * running timer, an error to throw, a health message. What it feeds is the test's to choose.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './cli.js';

const CORE = pathToFileURL(join(REPO, 'packages', 'dash-core', 'dist', 'index.js')).href;

/** What the plugin reads on each sync. */
export interface HostileFeed {
  /** EntryInput-like objects; anything goes (the store rejects what is not an entry). */
  entries?: unknown[];
  /** The running entry, if any. */
  running?: unknown;
  /** Thrown as a DashError after the entries are pushed. */
  error?: { code: string; message: string };
  /** What doctor's health check says. */
  health?: string;
}

const SOURCE = `import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DASH_PLUGIN_API_VERSION, DashError, defineBackendPlugin, z } from ${JSON.stringify(CORE)};

export default defineBackendPlugin({
  name: 'dash-plugin-hostile',
  version: '1.0.0',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'feeds Dash whatever the test wrote',
  optionsSchema: z.strictObject({ data: z.string(), label: z.string().optional(), token: z.string().optional() }),
  secretOptions: ['token'],
  createBackend(options, context) {
    const feed = () => JSON.parse(readFileSync(resolve(context.configDir, options.data), 'utf8'));
    return {
      async sync() {
        const { entries = [], running, error } = feed();
        for (const entry of entries) {
          try {
            context.store.upsert([entry]);
          } catch {
            // the store refused it: the next one may do
          }
        }
        if (running !== undefined) {
          try {
            context.store.setRunning(running);
          } catch {
            // likewise
          }
        }
        if (error) throw new DashError(error.code, error.message);
      },
      async healthCheck() {
        return { ok: true, message: feed().health ?? 'healthy' };
      },
    };
  },
});
`;

/** Writes the plugin as `hostile-plugin.mjs` in `dir`; returns its file name (for `plugin = "./…"`). */
export function writeHostilePlugin(dir: string): string {
  writeFileSync(join(dir, 'hostile-plugin.mjs'), SOURCE);
  return './hostile-plugin.mjs';
}

/** Writes what the plugin feeds next. */
export function writeFeed(dir: string, feed: HostileFeed, name = 'feed.json'): string {
  writeFileSync(join(dir, name), JSON.stringify(feed));
  return name;
}
