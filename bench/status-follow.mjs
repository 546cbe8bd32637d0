// (h) `dash-cli status --follow` at rest: CPU and RSS of the process a bar keeps, over 60 s, read
// from /proc/<pid>/stat and /proc/<pid>/status. The cache is warm and kept fresh (--max-age 1h),
// so what is measured is the process itself: a cache read and a line each minute, nothing else.
// A second row lets the demo's cache expire (its poll interval is 60 s): the syncs `--follow`
// then runs beside itself are children, counted apart (cutime/cstime).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, cliHasCommand, mustRun, row, sandbox, skip, sleep } from './lib.mjs';
import { clockTicks, rssMb } from './tmux.mjs';

const SECONDS = 60;
const WARMUP_MS = 3_000;

/** utime+stime of the process, and cutime+cstime of its waited-for children, in seconds. */
function cpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: (Number(fields[11]) + Number(fields[12])) / clockTicks(), children: (Number(fields[13]) + Number(fields[14])) / clockTicks() };
}

async function follow(box, extra) {
  const child = spawn(process.execPath, [CLI, 'status', '--follow', '--config', box.config, ...extra], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  child.stdout.on('data', (chunk) => (lines += String(chunk).split('\n').length - 1));
  try {
    await sleep(WARMUP_MS);
    if (lines === 0) throw new Error('status --follow printed nothing');
    const before = cpu(child.pid);
    const linesBefore = lines;
    const rss = [rssMb(child.pid)];
    const t0 = performance.now();
    while (performance.now() - t0 < SECONDS * 1000) {
      await sleep(5_000);
      rss.push(rssMb(child.pid));
    }
    const after = cpu(child.pid);
    const elapsed = (performance.now() - t0) / 1000;
    return { own: ((after.own - before.own) / elapsed) * 100, children: ((after.children - before.children) / elapsed) * 100, peak: Math.max(...rss), lines: lines - linesBefore, elapsed };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function benchStatusFollow() {
  const names = ['status --follow at rest: CPU (60 s, warm cache)', 'status --follow at rest: RSS', 'status --follow, nothing else syncing (demo expires each 60 s)'];
  const budgets = ['≤ 0.1% of one core', '≤ 50 MB', ''];
  if (!cliHasCommand('status')) return names.map((name, index) => skip('h', name, budgets[index], 'dash-cli has no status command yet'));
  const box = sandbox();
  try {
    await mustRun('warming the cache', process.execPath, [CLI, 'snapshot', '--json', '--config', box.config], { env: box.env });
    const rest = await follow(box, ['--max-age', '1h']);
    const alone = await follow(box, []);
    return [
      row('h', names[0], `${rest.own.toFixed(3)}% of one core`, budgets[0], rest.own <= 0.1 ? 'ok' : 'over', `${rest.lines} line(s) in ${rest.elapsed.toFixed(0)} s (the running timer's minute)`),
      row('h', names[1], `${rest.peak.toFixed(1)} MB peak`, budgets[1], rest.peak <= 50 ? 'ok' : 'over', 'sampled every 5 s'),
      row('h', names[2], `${alone.own.toFixed(3)}% own + ${alone.children.toFixed(3)}% in its syncs`, '', 'info', `${alone.peak.toFixed(1)} MB peak; ${alone.lines} line(s); each sync is one dash-cli snapshot beside it`),
    ];
  } finally {
    box.cleanup();
  }
}
