// (f) first frame: from launching `dash-cli watch` (config with the demo backend) to the full
// dashboard on screen in tmux (the running timer and the footer drawn), with a warm cache and,
// side by side, with none.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, cliHasCommand, median, ms, mustRun, ROOT, row, sandbox, skip, sleep } from './lib.mjs';
import { Tmux } from './tmux.mjs';

const RUNS = 7;

async function firstFrame(tmux, name, env, config) {
  const start = performance.now();
  tmux.start(name, [process.execPath, CLI, 'watch', '--config', config], { ...env, TERM: 'xterm-256color' }, { width: 120, height: 40 });
  let screen = '';
  try {
    while (performance.now() - start < 10_000) {
      screen = tmux.capture(name);
      if (/Pairing on the API client/.test(screen) && /q quit/.test(screen)) return performance.now() - start;
      await sleep(5);
    }
  } finally {
    tmux.kill(name);
  }
  const last = screen.split('\n').filter((line) => line.trim()).slice(-3).join(' / ');
  throw new Error(`the dashboard never showed the demo data within 10 s (screen: ${last.slice(0, 160)})`);
}

export async function benchFirstFrame() {
  const name = 'watch, launch → first full dashboard (warm cache)';
  const budget = '≤ 250 ms';
  if (!cliHasCommand('watch')) return [skip('f', name, budget, 'dash-cli has no watch command yet')];
  if (!Tmux.available()) return [skip('f', name, budget, 'tmux is not installed')];
  const usesCache = ['commands/watch.ts', 'watch/first-frame.ts'].some((file) => {
    const source = join(ROOT, 'packages/dash-cli/src', file);
    return existsSync(source) && /cachedSnapshot/.test(readFileSync(source, 'utf8'));
  });
  const box = sandbox();
  const tmux = new Tmux();
  try {
    await mustRun('warming the cache', process.execPath, [CLI, 'snapshot', '--json', '--config', box.config], { env: box.env });
    // The tmux server is started once beforehand, so its own start-up is not counted.
    tmux.run('new-session', '-d', '-s', 'idle', '-x', '120', '-y', '40', 'sleep 600');
    tmux.run('set-option', '-g', 'remain-on-exit', 'on');
    const warm = [];
    const cold = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await firstFrame(tmux, `warm${i}`, box.env, box.config));
      await sleep(150);
      const coldCache = join(box.root, `cold-cache-${i}`);
      cold.push(await firstFrame(tmux, `cold${i}`, { ...box.env, XDG_CACHE_HOME: coldCache }, box.config));
      rmSync(coldCache, { recursive: true, force: true });
      await sleep(150);
    }
    const value = median(warm);
    const note = `median of ${RUNS}, polled with tmux capture-pane every ~5 ms; ${usesCache ? 'watch draws from the cache first' : 'watch does not read the cache yet'}`;
    return [
      row('f', name, ms(value), budget, value <= 250 ? 'ok' : 'over', note),
      row('f', 'watch, launch → first full dashboard (no cache)', ms(median(cold)), '', 'info', `interleaved with the above; the demo backend syncs in-process, so the cache saves little here`),
    ];
  } finally {
    tmux.stop();
    box.cleanup();
  }
}
