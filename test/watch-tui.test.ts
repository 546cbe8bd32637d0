/**
 * `dash-cli watch --demo` end to end, in a real terminal (tmux): the three parts with the same
 * numbers as `dash-cli snapshot --json`, keys, resize, and the terminal given back on exit.
 * The dashboard's clock starts at a fixed instant (--at) so both commands see the same week.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Snapshot } from 'dash-core/host';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inherited, terminalEnv } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { describeWith, TMUX } from './support/tools.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');
/** Friday 20 Nov 2026, 16:30:00 in Berlin: the demo week is Mon 16 – Sun 22 Nov. */
const AT = '2026-11-20T15:30:00Z';

let home: string;
let env: Record<string, string>;
let snapshot: Snapshot;
let terminfo: string;
const sessions: Tmux[] = [];

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // From scratch: nothing of the developer's environment (DASH_CONFIG, NO_COLOR, …) but PATH.
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: home, env: { ...inherited(), ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** "7h 05m", "45m": written out here, not imported, so the test checks the format too. */
function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** As the dashboard shows a day: "6h 15m/8h 78%", or just the time with no goal. */
function dayTotal(day: Snapshot['days'][number]): string {
  if (!day.goalSeconds) return formatDuration(day.totalSeconds);
  return `${formatDuration(day.totalSeconds)}/${day.goalSeconds / 3600}h ${Math.floor((day.totalSeconds / day.goalSeconds) * 100)}%`;
}

function against(seconds: number, goal: number): string {
  return `${formatDuration(seconds)} / ${formatDuration(goal)} ${Math.floor((seconds / goal) * 100)}%`;
}

function startWatch(width: number, height: number, extraEnv: Record<string, string> = {}): Tmux {
  // The pane gets exactly this environment (env -i): not the tmux server's (the test runner's),
  // and our TERM, not the one tmux sets in the pane (blessed then reads TERMINFO's entry).
  const command = `printf 'BEFORE-DASH\\n'; ${process.execPath} ${CLI} watch --demo --at ${AT}; echo "DASH-EXIT:$?"; exec sleep 60`;
  const tmux = Tmux.start({ width, height, env: { ...inherited(), ...env, ...extraEnv }, command, cwd: home });
  sessions.push(tmux);
  return tmux;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'dash-watch-e2e-'));
  env = terminalEnv(home, 'Europe/Berlin');
  const now = cli(['snapshot', '--json', '--demo', '--at', AT]);
  expect(now.status, now.stderr).toBe(0);
  snapshot = JSON.parse(now.stdout) as Snapshot;
  // A terminfo entry with the extended Setulc capability that blessed cannot compile (and, from
  // ncurses 6.4, a plab_norm it cannot compile either: plain blessed dumps "Error on …" on screen).
  terminfo = join(home, 'terminfo');
  const source = execFileSync('infocmp', ['-x', 'xterm-256color'], { encoding: 'utf8' }).trimEnd();
  writeFileSync(join(home, 'xterm-setulc.src'), `${source}\n\tSetulc=\\E[58:2::%p1%{65536}%/%d:%p1%{256}%/%{255}%&%d:%p1%{255}%&%d%;m,\n`);
  execFileSync('tic', ['-x', '-o', terminfo, join(home, 'xterm-setulc.src')]);
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describeWith([TMUX], 'dash-cli watch --demo in tmux', () => {
  it('120×40: status, week and days with the snapshot numbers; → pages; q restores the terminal', async () => {
    expect(snapshot.week.start).toBe('2026-11-16');
    const tmux = startWatch(120, 40, { TERMINFO: terminfo });
    const screen = await tmux.waitFor((text) => text.includes('q quit') && text.includes('ok · synced'), { timeoutMs: 15_000 });
    // 1. clocked in
    expect(screen).toMatch(/● demo\s+0:47:\d\d {2}Globex API — Pairing on the API client/);
    expect(screen).toMatch(/ok · synced 16:3\d/);
    // 2. the week, exactly as `snapshot --json` counts it
    expect(screen).toContain(`worked ${against(snapshot.week.totalSeconds, snapshot.week.goalSeconds!)}`);
    expect(screen).toContain(`billable ${against(snapshot.week.billableSeconds, snapshot.week.billableGoalSeconds!)}`);
    for (const project of snapshot.week.projects) expect(screen).toContain(`${project.name} ${formatDuration(project.seconds)}`);
    expect(screen).toMatch(/Worked {4}█+┃█+/); // past the 40 h goal: overflow after the marker
    // 3. every day's total and progress, the selected day's minute graph
    snapshot.days.forEach((day, index) => {
      const line = screen.split('\n').find((row) => row.includes(`${index + 1} ${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][index]}`));
      expect(line, `day ${day.date}`).toBeDefined();
      expect(line).toContain(dayTotal(day));
    });
    expect(screen).toMatch(/^ 16 ▀{60}(?: |$)/m);
    // colors: the running project's color (blessed's nearest 256-color) on its name
    const colored = tmux.capture({ colors: true });
    const globex = snapshot.week.projects.find((project) => project.name === 'Globex API')!;
    expect(globex.color).toBe('#e36a00'); // → 166 in the 256-color palette
    expect(colored.split('\n').find((line) => line.includes('Pairing on the API client'))).toContain('38;5;166m');
    // empty minutes are grey (236), not black
    expect(colored.split('\n').find((line) => line.replace(/\x1b\[[0-9;]*m/g, '').startsWith(' 02 '))).toMatch(/[34]8;5;236m/);
    // no terminfo noise, even with a Setulc entry
    expect(screen).not.toContain('Error on');
    expect(screen).not.toContain('Setulc');
    expect(tmux.pane('alternate_on')).toBe('1');

    tmux.send('Right');
    const next = await tmux.waitFor('(next week)');
    expect(next).toContain('Mon 23 Nov – Sun 29 Nov');
    // The demo has nothing after its "now": next week is empty, against the same goal.
    expect(next).toContain('worked 0m / 40h 00m 0%');
    expect(next).toContain('No time tracked this week.');
    tmux.send('t');
    await tmux.waitFor('(this week)');

    tmux.send('?');
    await tmux.waitFor('previous / next week');
    tmux.send('x');
    await tmux.waitFor((text) => !text.includes('previous / next week'));

    tmux.send('q');
    const after = await tmux.waitFor('DASH-EXIT:0');
    expect(tmux.pane('alternate_on')).toBe('0');
    expect(tmux.pane('cursor_flag')).toBe('1');
    expect(after).toContain('BEFORE-DASH');
    expect(after).not.toContain('Error on');
    expect(after).not.toContain('q quit');
  });

  it('80×24: compact week and the selected day; resize re-lays out; too small says so', async () => {
    const tmux = startWatch(80, 24);
    const screen = await tmux.waitFor((text) => text.includes('q quit') && text.includes('ok · synced'), { timeoutMs: 15_000 });
    expect(screen).toContain(`worked ${against(snapshot.week.totalSeconds, snapshot.week.goalSeconds!)}`);
    const friday = snapshot.days[4]!;
    expect(screen).toContain(`5 Fr ${Math.floor(friday.totalSeconds / 3600)}:${String(Math.floor((friday.totalSeconds % 3600) / 60)).padStart(2, '0')}`);
    expect(screen).toContain(`▶5 Fri 20 Nov today`);
    expect(screen).toMatch(/^ 16 ▀{60}(?: |$)/m);
    expect(screen.replace(/\n$/, '').split('\n')).toHaveLength(24);

    tmux.send('1');
    await tmux.waitFor('▶1 Mon 16 Nov');

    tmux.resize(60, 20);
    const small = await tmux.waitFor('terminal too small');
    expect(small).toMatch(/terminal too small \(need 65×\d+\)/);
    expect(small).not.toContain('Week worked');

    tmux.resize(200, 60);
    // 200×60: all seven days' minute graphs, each with its total against the daily goal
    const big = await tmux.waitFor((text) => text.includes('q quit') && text.includes('7 Sun 22 Nov'));
    expect(big).not.toContain('terminal too small');
    snapshot.days.forEach((day, index) => {
      const label = `${index + 1} ${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][index]} ${Number(day.date.slice(8))} Nov`;
      expect(big).toMatch(new RegExp(`${label}.*${dayTotal(day).replace(/[/%]/g, '\\$&')}`));
    });
    expect(big.match(/ 16 ▀{60}/g)).toHaveLength(7);

    tmux.send('C-c');
    await tmux.waitFor('DASH-EXIT:130');
    expect(tmux.pane('alternate_on')).toBe('0');
  });

  /** A folder with a config whose one plugin throws from a timer once it synced (an uncaught error). */
  function crashConfig(name: string): string {
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'crash-plugin.mjs'),
      `const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
// Module code runs before any backend exists (a backend's own timer would be its error instead).
setTimeout(() => { throw new Error('boom from a plugin timer'); }, 400);
export default {
  name: 'dash-plugin-crash',
  apiVersion: 1,
  optionsSchema: schema,
  createBackend() {
    return { async sync() {} };
  },
};
`,
    );
    writeFileSync(join(dir, 'dash.toml'), 'timezone = "Europe/Berlin"\n\n[[backends]]\nplugin = "./crash-plugin.mjs"\nid = "crashy"\n');
    return join(dir, 'dash.toml');
  }

  it('an uncaught error (a plugin throwing in a timer): terminal restored, a short report, exit 1', async () => {
    const config = crashConfig('crash');
    const command = `printf 'BEFORE-DASH\\n'; ${process.execPath} ${CLI} watch --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60`;
    const tmux = Tmux.start({ width: 100, height: 30, env: { ...inherited(), ...env }, command, cwd: home });
    sessions.push(tmux);
    const after = await tmux.waitFor('DASH-EXIT:', { timeoutMs: 15_000 });
    expect(after).toContain('DASH-EXIT:1');
    expect(after).toContain('dash-cli: internal error: boom from a plugin timer');
    expect(after).not.toMatch(/\n\s+at /); // no stack without --verbose
    expect(after).toContain('BEFORE-DASH');
    expect(tmux.pane('alternate_on')).toBe('0');
    expect(tmux.pane('cursor_flag')).toBe('1');
  });

  it('--verbose: the same uncaught error is reported with its stack', async () => {
    const config = crashConfig('crash-verbose');
    const command = `${process.execPath} ${CLI} watch --verbose --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60`;
    const tmux = Tmux.start({ width: 160, height: 40, env: { ...inherited(), ...env }, command, cwd: home });
    sessions.push(tmux);
    const after = await tmux.waitFor('DASH-EXIT:', { timeoutMs: 15_000 });
    expect(after).toContain('DASH-EXIT:1');
    expect(after).toContain('dash-cli: internal error: boom from a plugin timer');
    expect(after).toMatch(/\n\s+at .*crash-plugin\.mjs/); // the stack, down to the plugin's line
    expect(after).not.toContain('Run again with --verbose');
  });

  it('SIGTERM: exits 130 with the terminal restored', async () => {
    const tmux = startWatch(100, 30);
    await tmux.waitFor('q quit');
    const shell = tmux.pane('pane_pid');
    const node = execFileSync('ps', ['--ppid', shell, '-o', 'pid='], { encoding: 'utf8' }).trim().split(/\s+/)[0]!;
    process.kill(Number(node), 'SIGTERM');
    const after = await tmux.waitFor('DASH-EXIT:130');
    expect(tmux.pane('alternate_on')).toBe('0');
    expect(after).toContain('BEFORE-DASH');
  });
});
