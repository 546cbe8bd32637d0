/**
 * A misbehaving third-party plugin for the fault tests, written as a user would (it imports only
 * dash-core's public API), in a temp folder of its own with `node_modules/dash-core` linked to this
 * workspace's package, as an install would have it. Each backend misbehaves as its `mode` says.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.js';

export type RogueMode =
  | 'ok'
  | 'hang-dispose'
  | 'linger-dispose'
  | 'hang-sync'
  | 'hang-create'
  | 'hang-health'
  | 'timer-throw'
  | 'reject'
  | 'health-timer-throw'
  | 'auth-timer-throw';

const PLUGIN = `import { DASH_PLUGIN_API_VERSION, defineBackendPlugin, z } from 'dash-core';

// A plugin module's own top-level code runs before any backend exists: no backend can be blamed.
if (process.env.ROGUE_MODULE_CRASH) setTimeout(() => { throw new Error('module-level boom'); }, 50);

const never = () => new Promise(() => {});

export default defineBackendPlugin({
  name: 'dash-plugin-rogue',
  version: '0.0.1',
  apiVersion: DASH_PLUGIN_API_VERSION,
  optionsSchema: z.strictObject({ mode: z.string().default('ok') }),
  async auth({ mode }, context, io) {
    io.print('signing in');
    if (mode === 'auth-timer-throw') await new Promise((resolve) => setTimeout(() => { throw new Error('the callback server blew up'); }, 20));
  },
  createBackend({ mode }, context) {
    if (mode === 'hang-create') {
      setInterval(() => {}, 1000);
      return never();
    }
    const backend = {
      async sync({ signal }) {
        // Two hours ending an hour before "now" (--at makes it reproducible).
        const now = Math.floor(context.now().getTime() / 1000);
        context.store.upsert([{
          id: context.id + '-1',
          start: new Date((now - 3 * 3600) * 1000).toISOString(),
          end: new Date((now - 3600) * 1000).toISOString(),
          project: { key: 'p', name: 'Rogue ' + context.id },
          description: 'work',
        }]);
        if (mode === 'hang-sync') return never();
        // A callback that throws before it can answer: the sync would wait for its deadline.
        if (mode === 'timer-throw') await new Promise((resolve) => setTimeout(() => { JSON.parse('{oops'); resolve(); }, 20));
        if (mode === 'reject') {
          Promise.reject(new Error('nobody handles this'));
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
        if (process.env.ROGUE_MODULE_CRASH) await new Promise((resolve) => setTimeout(resolve, 3000));
      },
      dispose() {
        if (mode === 'hang-dispose' || mode === 'hang-sync' || mode === 'hang-health') return never();
        if (mode === 'linger-dispose') {
          setInterval(() => {}, 1000);
          return never();
        }
      },
    };
    if (mode === 'hang-health') backend.healthCheck = () => never();
    if (mode === 'health-timer-throw') {
      backend.healthCheck = () => new Promise((resolve) => setTimeout(() => { throw new Error('health check blew up'); }, 20));
    }
    return backend;
  },
});
`;

/** Writes the plugin and a config with one backend per mode (ids are the modes); returns the config path. */
export function rogueProject(dir: string, modes: Record<string, RogueMode>): string {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO, 'packages', 'dash-core'), join(dir, 'node_modules', 'dash-core'), 'dir');
  writeFileSync(join(dir, 'rogue.mjs'), PLUGIN);
  const tables = Object.entries(modes).map(([id, mode]) => `[[backends]]\nplugin = "./rogue.mjs"\nid = "${id}"\nmode = "${mode}"\n`);
  const config = join(dir, 'dash.toml');
  writeFileSync(config, `timezone = "UTC"\n\n${tables.join('\n')}`);
  return config;
}
