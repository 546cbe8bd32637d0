/**
 * The Timewarrior example in the real dashboard: `dash-cli watch` in a real terminal (tmux), the
 * real `timew` starting and stopping a timer; the dashboard must follow within seconds (the plugin
 * watches Timewarrior's data folder; nothing polls).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/cli.js');
const PLUGIN = join(ROOT, 'examples/dash-plugin-timewarrior');

const home = mkdtempSync(join(tmpdir(), 'dash-timew-watch-'));
const socket = `dash-timew-${process.pid}-${randomBytes(4).toString('hex')}`;
afterAll(() => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  rmSync(home, { recursive: true, force: true });
});

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');

async function waitFor(test: (text: string) => boolean, what: string, ms = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const text = screen();
    if (test(text)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what} not on screen within ${ms} ms:\n${text}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

it('timew start and stop show up in dash-cli watch within seconds', async () => {
  const db = join(home, 'timewdb');
  mkdirSync(db);
  const config = join(home, 'config.toml');
  writeFileSync(config, `timezone = "UTC"\n[[backends]]\nplugin = ${JSON.stringify(PLUGIN)}\nid = "timew"\ndatabase = ${JSON.stringify(db)}\n[backends.projects]\nacme = "Acme website"\n`);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), TERM: 'xterm-256color' };
  const timew = (...args: string[]) => execFileSync('timew', [...args, ':yes'], { env: { PATH: process.env.PATH, HOME: home, TIMEWARRIORDB: db, TZ: 'UTC' }, stdio: 'ignore' });

  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]), `${process.execPath} ${CLI} watch --config ${config}`);
  await waitFor((text) => /○ timew\s+not tracking/.test(text), 'the dashboard, not tracking', 10_000);

  timew('start', '1min', 'ago', 'acme', 'review');
  const started = await waitFor((text) => /● timew\s+0:01:\d\d\s+(?:\S )?Acme website — review/.test(text), 'the running timer');
  expect(started).toBeLessThan(3_000);

  timew('stop');
  const stopped = await waitFor((text) => /○ timew\s+not tracking/.test(text), 'not tracking after timew stop');
  expect(stopped).toBeLessThan(3_000);

  tmux('send-keys', '-t', 'e2e', 'q');
});
