/**
 * serve's Coverage on a real PluginHost: two tabs (or Grafana panels) on different past weeks
 * are both kept fresh by the running backend, in one request per poll, and dropped a few
 * minutes after nobody asks for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASH_PLUGIN_API_VERSION, z, type BackendPlugin } from 'dash-core';
import { PluginHost, silentLogger, Store, type PreparedBackend } from 'dash-core/host';
import { afterAll, describe, expect, it } from 'vitest';
import { Coverage } from '../src/serve/coverage.js';
import type { ServeSession } from '../src/serve/session.js';

const root = mkdtempSync(join(tmpdir(), 'dash-coverage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('serve keeps every week someone looks at fresh', () => {
  it('two tabs on different weeks: both synced at once, then both inside every poll, until they expire', async () => {
    let now = new Date('2026-11-18T12:00:00Z');
    const synced: string[] = [];
    const plugin: BackendPlugin<unknown> = {
      name: 'dash-plugin-recorder',
      apiVersion: DASH_PLUGIN_API_VERSION,
      optionsSchema: z.object({}),
      pollInterval: 0.05, // seconds
      createBackend: () => ({
        async sync({ from, to }) {
          synced.push(`${from.toISOString().slice(0, 10)}…${to.toISOString().slice(0, 10)}`);
        },
      }),
    };
    const backend: PreparedBackend = { config: { index: 0, id: 'rec', plugin: 'rec', options: {} }, plugin, options: {}, path: 'built-in', packageName: plugin.name, version: undefined };
    const store = new Store();
    const host = new PluginHost({ store, backends: [backend], timeZone: 'UTC', weekStart: 'monday', log: silentLogger, now: () => now, dataHome: join(root, 'data') });
    const coverage = new Coverage({ host, store, now: () => now } as unknown as ServeSession);

    await host.start();
    await expect.poll(() => synced.includes('2026-11-16…2026-11-23')).toBe(true);
    const tabA = { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z') };
    const tabB = { from: new Date('2026-10-19T00:00:00Z'), to: new Date('2026-10-26T00:00:00Z') };
    await Promise.all([coverage.ensure(tabA), coverage.ensure(tabB)]);
    expect(synced).toContain('2026-11-02…2026-11-09');
    expect(synced).toContain('2026-10-19…2026-10-26');
    // The running backend's polls now cover both tabs' weeks and the current one: one request each time.
    await expect.poll(() => synced.at(-1)).toBe('2026-10-19…2026-11-23');
    // Nobody asked again for more than the hold: the polls go back to the current week.
    now = new Date('2026-11-18T12:06:00Z');
    await expect.poll(() => synced.at(-1)).toBe('2026-11-16…2026-11-23');
    await host.stop();
  });
});
