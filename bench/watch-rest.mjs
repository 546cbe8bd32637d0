// (c) watch at rest: CPU and RSS of `dash-cli watch --demo` in a real terminal (tmux, 120×40)
// over 60 s with a running timer, read from /proc/<pid>/stat and /proc/<pid>/status. "At rest" begins
// once start-up has settled: WARMUP_MS covers the first sync, the trend's history and V8's first
// idle-time collection (~9 s after start, when it shrinks the young generation that start-up grew
// to 16 MB). The start-up peak is measured too and reported in the note.
import { CLI, cliHasCommand, row, sandbox, skip, sleep } from './lib.mjs';
import { commandOf, cpuSeconds, rssMb, Tmux } from './tmux.mjs';

const SECONDS = 60;
const WARMUP_MS = 20_000;

export async function benchWatchRest() {
  const names = ['watch --demo at rest: CPU (60 s, running timer)', 'watch --demo at rest: RSS'];
  const budgets = ['≤ 0.3% of one core', '≤ 80 MB'];
  const unavailable = (reason) => names.map((name, index) => skip('c', name, budgets[index], reason));
  if (!cliHasCommand('watch')) return unavailable('dash-cli has no watch command yet');
  if (!Tmux.available()) return unavailable('tmux is not installed');
  const box = sandbox();
  const tmux = new Tmux();
  try {
    const pid = tmux.start('rest', [process.execPath, CLI, 'watch', '--demo'], { ...box.env, TERM: 'xterm-256color' }, { width: 120, height: 40 });
    if (!commandOf(pid).includes('watch')) return unavailable(`pane process ${pid} is not the watch (${commandOf(pid)})`);
    const startup = [];
    for (let waited = 0; waited < WARMUP_MS; waited += 1_000) {
      await sleep(1_000);
      startup.push(rssMb(pid));
    }
    const before = tmux.capture('rest');
    if (!/Pairing on the API client/.test(before)) return unavailable('the dashboard did not show the demo\'s running timer');
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const rss = [rssMb(pid)];
    while (performance.now() - t0 < SECONDS * 1000) {
      await sleep(5_000);
      rss.push(rssMb(pid));
    }
    const cpu1 = cpuSeconds(pid);
    const elapsed = (performance.now() - t0) / 1000;
    const cpuEnd = cpu1;
    // The timer must tick on screen: compare two screens 2 s apart.
    const near = tmux.capture('rest');
    await sleep(2_000);
    const after = tmux.capture('rest');
    const timer = (text) => /\b(\d+:\d{2}:\d{2})\b/.exec(text.split('\n').find((line) => line.includes('Pairing on the API client')) ?? '')?.[1];
    const ticking = timer(near) !== undefined && timer(near) !== timer(after);
    const percent = ((cpuEnd - cpu0) / elapsed) * 100;
    const peak = Math.max(...rss);
    const note = `${(cpu1 - cpu0).toFixed(2)} s CPU in ${elapsed.toFixed(0)} s after a ${WARMUP_MS / 1000} s warm-up; timer on screen ${ticking ? `ticked ${timer(near)} → ${timer(after)} in 2 s` : 'DID NOT tick'}`;
    return [
      row('c', names[0], `${percent.toFixed(2)}% of one core`, budgets[0], percent <= 0.3 ? 'ok' : 'over', note),
      row('c', names[1], `${peak.toFixed(1)} MB peak (${rss.at(-1).toFixed(1)} MB at the end)`, budgets[1], peak <= 80 ? 'ok' : 'over', `sampled every 5 s; start-up peak ${Math.max(...startup).toFixed(1)} MB in the first ${WARMUP_MS / 1000} s`),
    ];
  } finally {
    tmux.stop();
    box.cleanup();
  }
}
