// (e) compiled by bench/api-cost.mjs with esbuild: the Toggl backend as `watch` runs it, against
// the fake Toggl on a simulated clock (the plugin's own test rig), with the persisted cache.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type BackendContext } from 'dash-core';
import { attachCache, loadCache, silentLogger } from 'dash-core/host';
import { createTogglBackend } from '../packages/dash-plugin-toggl/src/backend.js';
import { TogglOptionsSchema } from '../packages/dash-plugin-toggl/src/options.js';
import { fakeSleep, NOW, rig, WEEK } from '../packages/dash-plugin-toggl/test/support.js';

const HOUR = 3_600_000;

export async function measure(dir: string, hours = 3): Promise<{ perHour: number[]; restart: number; restartPaths: string[]; firstPaths: string[] }> {
  const file = join(dir, 'cache.json');
  const start = Date.parse(NOW);
  const controller = new AbortController();
  let clockNow = () => start;
  const r = await rig({
    onSleep: () => {
      if (clockNow() >= start + hours * HOUR) controller.abort();
    },
  });
  clockNow = () => r.clock.now().getTime();
  try {
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T12:00:00Z' });
    r.toggl.addEntry({ id: 2, start: '2026-11-17T13:00:00Z', stop: '2026-11-17T17:30:00Z' });
    r.toggl.addEntry({ id: 3, start: '2026-11-18T11:30:00Z', duration: -1 });
    const cache = attachCache(r.store, file, { range: () => WEEK, now: r.clock.now, debounceMs: 0 });
    await r.backend.run({ signal: controller.signal, range: () => WEEK });
    await r.backend.dispose();
    await cache.close();
    const times = r.toggl.requests.map((request) => request.at.getTime() - start);
    const perHour = Array.from({ length: hours }, (_, hour) => times.filter((t) => t >= hour * HOUR && t < (hour + 1) * HOUR).length);
    const firstPaths = r.toggl.requests.slice(0, 3).map((request) => `${request.path}?${Object.keys(request.query).join('&')}`);

    // The restart: two minutes later, a new process restores the cache (stale until its first
    // sync), creates the backend on the restored store and runs it until its first wait.
    r.clock.advance(2 * 60_000);
    const before = r.toggl.requests.length;
    const restored = loadCache(file, { markStale: true });
    const handle = restored.store.addSource('toggl', 'dash-plugin-toggl');
    const context: BackendContext = {
      id: 'toggl',
      store: handle,
      log: silentLogger,
      now: r.clock.now,
      timeZone: 'UTC',
      weekStart: 'monday',
      configDir: dir,
      dataDir: join(dir, 'data'),
      secret: () => undefined,
      fingerprint: (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32),
    };
    const again = new AbortController();
    const { sleep } = fakeSleep(r.clock, () => again.abort());
    const options = TogglOptionsSchema.parse({ api_token: r.toggl.token, api_url: r.toggl.url });
    const backend = createTogglBackend(options, context, { sleep, retry: { random: () => 0.5 }, timeoutMs: 2_000 });
    await backend.run({ signal: again.signal, range: () => WEEK });
    await backend.dispose();
    const restartRequests = r.toggl.requests.slice(before);
    return {
      perHour,
      restart: restartRequests.length,
      restartPaths: restartRequests.map((request) => `${request.path}?${Object.keys(request.query).join('&')}`),
      firstPaths,
    };
  } finally {
    await r.close();
  }
}
