/**
 * Issue 10, items 2 and 3 in `dash-cli watch`, in a real terminal (tmux): a plugin whose dispose
 * never settles cannot hold the dashboard open after q or SIGTERM, and a plugin that throws in its
 * own timer shows as that backend's error while the dashboard keeps running.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { rogueProject, type RogueMode } from './support/rogue-plugin.js';
import { Tmux } from './support/tmux.js';

const AT = '2026-11-20T12:00:00Z';
const root = mkdtempSync(join(tmpdir(), 'dash-faults-watch-'));
const sessions: Tmux[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function startWatch(modes: Record<string, RogueMode>, width = 100): Tmux {
  const dir = mkdtempSync(join(root, 'p-'));
  const config = rogueProject(dir, modes);
  const command = `export TERM=xterm-256color; printf 'BEFORE-DASH\\n'; ${process.execPath} ${CLI} watch --at ${AT} --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60`;
  const tmux = Tmux.start({ width, height: 30, command, cwd: dir, env: { ...isolatedEnv(dir), TZ: 'UTC', LANG: 'C.UTF-8', TERM: 'xterm-256color' } });
  sessions.push(tmux);
  return tmux;
}

function dashPid(tmux: Tmux): number {
  const shell = tmux.pane('pane_pid');
  return Number(execFileSync('ps', ['--ppid', shell, '-o', 'pid='], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
}

describe('dash-cli watch with a misbehaving plugin', () => {
  it('q quits although a dispose never settles: exit 0, terminal restored', async () => {
    const tmux = startWatch({ stuck: 'hang-dispose' });
    await tmux.waitFor((screen) => screen.includes('q quit') && screen.includes('ok · synced'), { timeoutMs: 15_000 });
    const started = Date.now();
    tmux.send('q');
    const after = await tmux.waitFor('DASH-EXIT:', { timeoutMs: 10_000 });
    expect(after).toContain('DASH-EXIT:0');
    expect(after).toContain('warning: stuck: dispose did not finish within 2s; moving on');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(tmux.pane('alternate_on')).toBe('0');
    expect(after).toContain('BEFORE-DASH');
  });

  it('SIGTERM after q, while a dispose hangs: exits 130 at once', async () => {
    const tmux = startWatch({ stuck: 'linger-dispose' });
    await tmux.waitFor((screen) => screen.includes('q quit') && screen.includes('ok · synced'), { timeoutMs: 15_000 });
    const pid = dashPid(tmux);
    tmux.send('q');
    await tmux.waitForPane('alternate_on', '0');
    process.kill(pid, 'SIGTERM');
    const after = await tmux.waitFor('DASH-EXIT:', { timeoutMs: 10_000 });
    expect(after).toContain('DASH-EXIT:130');
    expect(after).toContain('BEFORE-DASH');
  });

  it("a throw in a plugin's timer: that backend shows the error, the dashboard keeps running", async () => {
    const tmux = startWatch({ good: 'ok', crashy: 'timer-throw' }, 160);
    const screen = await tmux.waitFor((text) => text.includes('[BACKEND_CRASHED]') && text.includes('ok · synced'), { timeoutMs: 15_000 });
    expect(screen).toMatch(/crashy.*error: .*JSON.*\[BACKEND_CRASHED\]/);
    expect(screen).not.toContain('DASH-EXIT');
    expect(tmux.pane('alternate_on')).toBe('1');
    tmux.send('q');
    const after = await tmux.waitFor('DASH-EXIT:', { timeoutMs: 10_000 });
    expect(after).toContain('DASH-EXIT:0');
    expect(after).not.toMatch(/\n\s+at /);
    expect(tmux.pane('alternate_on')).toBe('0');
  });
});
