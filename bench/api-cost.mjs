// (e) API cost: Toggl requests per hour of `watch` at default settings (fake Toggl, simulated
// clock), and requests made by a restart with a warm cache.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from './build.mjs';
import { ROOT, row, skip } from './lib.mjs';

const HOURS = 3;

export async function benchApiCost() {
  const names = [`Toggl requests per hour of watch (default settings, ${HOURS} simulated hours)`, 'Toggl requests by a restart with a warm cache'];
  const budgets = ['≤ 20 per hour', '≤ 2 per restart'];
  const unavailable = (reason) => names.map((name, index) => skip('e', name, budgets[index], reason));
  for (const needed of ['packages/dash-plugin-toggl/src/backend.ts', 'packages/dash-plugin-toggl/test/support.ts', 'test/support/fake-toggl.ts']) {
    if (!existsSync(join(ROOT, needed))) return unavailable(`no ${needed}`);
  }
  let entry;
  try {
    entry = await bundle('api-cost', 'bench/api-cost.entry.ts', { external: ['vitest'] });
  } catch (error) {
    return unavailable(`cannot compile the Toggl plugin's rig: ${String(error.message ?? error).split('\n')[0]}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dash-bench-api-'));
  try {
    const result = await entry.measure(dir, HOURS);
    const worst = Math.max(...result.perHour);
    return [
      row('e', names[0], `${worst} (hours: ${result.perHour.join(', ')})`, budgets[0], worst <= 20 ? 'ok' : 'over', `first requests: ${result.firstPaths.join(', ')}`),
      row('e', names[1], String(result.restart), budgets[1], result.restart <= 2 ? 'ok' : 'over', result.restartPaths.join(', ') || 'none'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
