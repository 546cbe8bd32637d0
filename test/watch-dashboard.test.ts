/**
 * The grown-up dashboard end to end in tmux, at 80×24, 120×40 and 200×60: the goal pace (its text
 * and blessed-contrib's gauges) and the 12-week trend exactly as `dash-cli snapshot --json` counts
 * them (each past week from its own `snapshot --json --at`), the day's entries with wide (CJK, emoji) project names aligned, the
 * panel keys at the size where panels are hidden, the blessed-contrib line chart under the
 * full-size trend, the event log (blessed-contrib's log) beside the trend at 200×60, NO_COLOR, and the history fetched with one ranged sync for the 11 past weeks.
 * Data: a local plugin with twelve weeks of varied workdays that logs every sync range it is asked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Snapshot } from 'dash-core/host';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inherited, terminalEnv } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { describeWith, TMUX } from './support/tools.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');
/** Friday 20 Nov 2026, 16:30 in Berlin; the week is Mon 16 – Sun 22 Nov. */
const AT = '2026-11-20T15:30:00Z';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const PLUGIN = `import { appendFileSync } from 'node:fs';
const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
const PROJECTS = [
  { key: 'cjk', name: '漢字の案件', color: '#06aaf5' },
  { key: 'rocket', name: '🚀 Launch', color: '#e36a00' },
  { key: 'plain', name: 'Plain client', color: '#2da608' },
];
/** Twelve weeks and more of workdays from Mon 24 Aug 2026 (UTC times): 08:00Z plus 3–7 hours. */
function all() {
  const entries = [];
  for (let week = 0; week < 14; week++) {
    for (let day = 0; day < 5; day++) {
      const start = Date.UTC(2026, 7, 24 + week * 7 + day, 8, 0);
      const hours = 3 + ((week * 5 + day * 3) % 5);
      entries.push({ id: week + '-' + day, start: new Date(start).toISOString(), end: new Date(start + hours * 3600000).toISOString(),
        project: PROJECTS[(week + day) % 3], description: 'work ' + week + '-' + day, billable: (week + day) % 3 !== 0 });
    }
  }
  return entries;
}
export default {
  name: 'dash-plugin-history',
  apiVersion: 1,
  optionsSchema: schema,
  pollInterval: 3600,
  createBackend(_options, context) {
    return {
      async sync({ from, to }) {
        appendFileSync(process.env.DASH_TEST_SYNC_LOG, from.toISOString() + ' ' + to.toISOString() + '\\n');
        const now = context.now().getTime();
        const inRange = all().filter((e) => Date.parse(e.start) < Math.min(to.getTime(), now) && Date.parse(e.end) > from.getTime());
        context.store.replaceRange({ from, to }, inRange);
        const runningStart = Date.parse('2026-11-20T14:45:00Z');
        context.store.setRunning(now >= runningStart && now < runningStart + 8 * 3600000
          ? { id: 'run', start: new Date(runningStart).toISOString(), end: null, project: PROJECTS[1], description: 'release 🚀', billable: true }
          : null);
      },
    };
  },
};
`;

let home: string;
let env: Record<string, string>;
let config: string;
let syncLog: string;
let snapshot: Snapshot;
const sessions: Tmux[] = [];

function cli(args: string[], extra: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: home, env: { ...inherited(), ...env, ...extra }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function snapshotAt(at: string): Snapshot {
  const result = cli(['snapshot', '--json', '--config', config, '--at', at], { DASH_TEST_SYNC_LOG: join(home, 'snapshot-syncs.log') });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

/** "7h 05m", "45m", written out here so the test checks the format too. */
function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

function paceLine(label: string, worked: number, pace: NonNullable<Snapshot['week']['pace']>): RegExp {
  const word = Math.abs(pace.deltaSeconds) < 60 ? 'on pace' : `${pace.deltaSeconds > 0 ? 'ahead' : 'behind'} ${duration(Math.abs(pace.deltaSeconds))}`;
  return new RegExp(`${label} +[▰▱]+ ${duration(worked)} · ${word} \\(by now ${duration(pace.expectedSeconds)}\\)`);
}

function startWatch(width: number, height: number, extra: Record<string, string> = {}): Tmux {
  const command = `${process.execPath} ${CLI} watch --config ${config} --at ${AT}; echo "DASH-EXIT:$?"; exec sleep 60`;
  const tmux = Tmux.start({ width, height, env: { ...inherited(), ...env, DASH_TEST_SYNC_LOG: syncLog, ...extra }, command, cwd: home });
  sessions.push(tmux);
  return tmux;
}

/** Drawn, synced, and today's time in (the history sync comes after this week's first one). */
const ready = (text: string) => text.includes('q quit') && text.includes('synced') && /Entries · [1-9]|[1-9]h \d\dm\/8h/.test(text);

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'dash-watch-dashboard-'));
  env = terminalEnv(home, 'Europe/Berlin');
  writeFileSync(join(home, 'history-plugin.mjs'), PLUGIN);
  config = join(home, 'dash.toml');
  writeFileSync(config, 'timezone = "Europe/Berlin"\n\n[goals]\nweekly = 40\ndaily = 8\n\n[[backends]]\nplugin = "./history-plugin.mjs"\nid = "hist"\n');
  syncLog = join(home, 'watch-syncs.log');
  snapshot = snapshotAt(AT);
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

/**
 * The goal gauges (blessed-contrib) on screen: each label with the share of its goal as snapshot
 * --json counts it, and under it a bar drawn in colour (green for billable time, cyan for the rest).
 */
function expectGauges(tmux: Tmux, today: Snapshot['days'][number]): void {
  const text = tmux.capture();
  const share = (worked: number, goal: number) => Math.floor((worked / goal) * 100);
  const labels = [`Today · ${share(today.totalSeconds, today.goalSeconds!)}% of 8h`, `Week · ${share(snapshot.week.totalSeconds, snapshot.week.goalSeconds!)}% of 40h`];
  for (const label of labels) expect(text).toContain(label);
  const rows = text.split('\n');
  const labelRow = rows.findIndex((line) => line.includes(labels[0]!));
  const colored = tmux.capture({ colors: true }).split('\n');
  // The bar is two rows under the label: its cells have a background colour (SGR 42 green / 46 cyan).
  expect(colored[labelRow + 2]).toMatch(/\x1b\[(?:[0-9;]*;)?4[26]m/);
  expect(colored[labelRow + 3]).toMatch(/\d+%/);
}

describeWith([TMUX], 'the dashboard in tmux: pace, trend and entries against snapshot --json', () => {
  it('200×60: every panel; pace and the twelve weeks as snapshot --json counts them; one ranged sync for the history', async () => {
    writeFileSync(syncLog, '');
    const tmux = startWatch(200, 60);
    const screen = await tmux.waitFor((text) => ready(text) && text.includes('Trend · 12 weeks') && !text.includes('loading'), { timeoutMs: 20_000 });
    const today = snapshot.days.find((day) => day.date === snapshot.today)!;
    expect(screen).toMatch(paceLine('Today', today.totalSeconds, today.pace!));
    expect(screen).toMatch(paceLine('Week', snapshot.week.totalSeconds, snapshot.week.pace!));
    // The trend: each visible week's row has its total and percent from its own snapshot.
    const rows = screen.split('\n');
    let checked = 0;
    for (let weeksAgo = 0; weeksAgo < 12; weeksAgo++) {
      const sunday = new Date(Date.parse('2026-11-22T12:00:00Z') - weeksAgo * 7 * 86_400_000);
      const week = weeksAgo === 0 ? snapshot : snapshotAt(new Date(sunday.getTime() + 8 * 3600_000).toISOString());
      const [, month, day] = week.week.start.split('-').map(Number) as [number, number, number];
      const label = `${day} ${MONTHS[month - 1]}`;
      const row = rows.find((line) => new RegExp(`[ ▶]${label} +[█▓·┃]+ `).test(line));
      if (!row) continue;
      checked++;
      expect(row, label).toContain(`${duration(week.week.totalSeconds)} ${Math.floor((week.week.totalSeconds / week.week.goalSeconds!) * 100)}%`);
      if (weeksAgo === 0) expect(row).toContain(`▶${label}`);
    }
    // Beside Sunday there is room for all twelve.
    expect(checked).toBe(12);
    expectGauges(tmux, today);
    // The event log beside the trend: the start, the first sync's outcome and the running timer.
    const log = await tmux.waitFor((text) => /\d\d:\d\d hist ok/.test(text) && /\d\d:\d\d ▶ hist clocked in \(since \d\d:\d\d\)/.test(text));
    expect(log).toContain('Log · syncs, clock in/out, goals');
    // Today's entries, the running one ending "now"; wide names keep the columns aligned.
    expect(screen).toMatch(/Entries · 2 entries/);
    const entryRows = rows.filter((line) => /\d\d:\d\d–(\d\d:\d\d|now) /.test(line) && !line.includes('untracked'));
    expect(entryRows.length).toBe(2);
    const columns = entryRows.map((line) => stringWidth(line.slice(0, line.search(/work |release /))));
    expect(new Set(columns).size).toBe(1);
    expect(entryRows.some((line) => line.includes('–now') && line.includes('🚀 Launch') && line.includes('release 🚀 ▶'))).toBe(true);
    // History: one sync for the 11 weeks before this one (Mon 31 Aug – Mon 16 Nov, Berlin), once.
    const syncs = readFileSync(syncLog, 'utf8').trim().split('\n');
    expect(syncs.filter((line) => line === '2026-08-30T22:00:00.000Z 2026-11-15T23:00:00.000Z')).toHaveLength(1);
    expect(syncs.filter((line) => !line.startsWith('2026-11-15T23:00:00.000Z'))).toHaveLength(1);
    tmux.send('q');
    await tmux.waitFor('DASH-EXIT:0');
  });

  it('120×40: pace and entries beside the day; w shows the trend full-size with the blessed-contrib line chart', async () => {
    const tmux = startWatch(120, 40);
    const screen = await tmux.waitFor((text) => ready(text) && text.includes('Pace ·'), { timeoutMs: 20_000 });
    const today = snapshot.days.find((day) => day.date === snapshot.today)!;
    expect(screen).toMatch(paceLine('Today', today.totalSeconds, today.pace!));
    expect(screen).toContain('Entries ·');
    expectGauges(tmux, today);
    tmux.send('w');
    const trend = await tmux.waitFor((text) => text.includes('Trend · 12 weeks') && text.includes('worked') && /[⠁-⣿]{5}/.test(text));
    expect(trend).toContain('billable');
    expect(trend).toContain('goal');
    expect(trend).toContain('w/Esc back');
    tmux.send('w');
    // Back: the days again, the chart gone from the screen.
    const back = await tmux.waitFor((text) => !text.includes('w/Esc back') && text.includes('Pace ·'));
    expect(back).not.toMatch(/[⠁-⣿]{5}/);
    tmux.send('q');
    await tmux.waitFor('DASH-EXIT:0');
  });

  it('80×24: the panels are hidden and the footer names their keys; p shows the pace, Esc goes back; l the log; ? lists every key', async () => {
    const tmux = startWatch(80, 24);
    const screen = await tmux.waitFor(ready, { timeoutMs: 20_000 });
    expect(screen).not.toContain('Pace ·');
    expect(screen).toContain('p pace e entries w trend');
    tmux.send('p');
    const pace = await tmux.waitFor('Pace ·');
    const today = snapshot.days.find((day) => day.date === snapshot.today)!;
    expect(pace).toMatch(paceLine('Today', today.totalSeconds, today.pace!));
    expectGauges(tmux, today);
    tmux.send('Escape');
    await tmux.waitFor((text) => !text.includes('Pace ·'));
    // l: the event log full-size (blessed-contrib's log), with this run's first sync in it.
    tmux.send('l');
    const log = await tmux.waitFor((text) => text.includes('l/Esc back') && /\d\d:\d\d hist ok/.test(text));
    expect(log).toContain('Log · syncs, clock in/out, goals');
    tmux.send('l');
    await tmux.waitFor((text) => !text.includes('Log · syncs'));
    tmux.send('?');
    const help = await tmux.waitFor('this help');
    for (const key of ['p ', 'e ', 'w ', 'Esc', 'q, Ctrl-C', '← →', '1 – 7']) expect(help).toContain(key);
    tmux.send('x');
    tmux.send('q');
    await tmux.waitFor('DASH-EXIT:0');
  });

  it('NO_COLOR: no colour codes anywhere, and the panels still read', async () => {
    const tmux = startWatch(200, 60, { NO_COLOR: '1' });
    await tmux.waitFor((text) => ready(text) && text.includes('Trend · 12 weeks'), { timeoutMs: 20_000 });
    const colored = tmux.capture({ colors: true });
    expect(colored).not.toMatch(/\x1b\[[0-9;]*[34]8;5;/);
    expect(colored).not.toMatch(/\x1b\[(?:[0-9;]*;)?3[1-7]m/);
    const text = tmux.capture();
    expect(text).toContain('# billable = other');
    expect(text).toMatch(/Today +[▰▱]+ .* · (ahead|behind|on pace) .*\(by now /);
    tmux.send('q');
    await tmux.waitFor('DASH-EXIT:0');
  });
});
