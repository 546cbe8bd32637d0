/**
 * The Timewarrior example in the real dashboard: `dash-cli watch` in a real terminal (tmux), the
 * real `timew` starting and stopping a timer; the dashboard must follow within seconds (the plugin
 * watches Timewarrior's data folder; nothing polls).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Tmux } from './support/tmux.js';
import { itWith, TIMEWARRIOR, TMUX } from './support/tools.js';
import { inherited } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
const PLUGIN = join(ROOT, 'examples/dash-plugin-timewarrior');

const home = mkdtempSync(join(tmpdir(), 'dash-timew-watch-'));
let tmux: Tmux | undefined;
afterAll(() => {
  tmux?.kill();
  rmSync(home, { recursive: true, force: true });
});

/** Milliseconds until `test` passes on the screen. */
async function timeUntil(test: RegExp, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  await tmux!.waitFor(test, { timeoutMs });
  return Date.now() - started;
}

itWith([TMUX, TIMEWARRIOR], 'timew start and stop show up in dash-cli watch within seconds', async () => {
  const db = join(home, 'timewdb');
  mkdirSync(db);
  const config = join(home, 'config.toml');
  writeFileSync(config, `timezone = "UTC"\n[[backends]]\nplugin = ${JSON.stringify(PLUGIN)}\nid = "timew"\ndatabase = ${JSON.stringify(db)}\n[backends.projects]\nacme = "Acme website"\n`);
  const env = { ...inherited(), HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), TERM: 'xterm-256color' };
  const timew = (...args: string[]) => execFileSync('timew', [...args, ':yes'], { env: { ...inherited(), HOME: home, TIMEWARRIORDB: db, TZ: 'UTC' }, stdio: 'ignore' });

  tmux = Tmux.start({ width: 120, height: 40, env, command: `${process.execPath} ${CLI} watch --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60` });
  await tmux.waitFor(/○ timew\s+not tracking/, { timeoutMs: 10_000 });

  timew('start', '1min', 'ago', 'acme', 'review');
  expect(await timeUntil(/● timew\s+0:01:\d\d\s+(?:\S )?Acme website — review/)).toBeLessThan(3_000);

  timew('stop');
  expect(await timeUntil(/○ timew\s+not tracking/)).toBeLessThan(3_000);

  tmux.send('q');
  await tmux.waitFor('DASH-EXIT:0');
});
