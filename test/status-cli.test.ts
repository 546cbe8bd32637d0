/**
 * `dash-cli status`: the one line a status bar shows, checked against `snapshot --json` of the
 * same instant and against what each bar's documentation says its input is (waybar's JSON with
 * Pango text, polybar's %{F} tags, i3blocks' three lines, tmux's #[] styles, SwiftBar's title and
 * menu), with a backend's hostile names in it. `--follow` runs for real: a process that prints a
 * line per change of the cache another Dash writes, and ends on SIGTERM or a closed pipe.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, REPO, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { newSecret, Receiver } from './support/webhook-receiver.js';

const AT = '2026-11-18T15:30:00Z';
const PLUGIN = join(FIXTURES, 'plugins', 'file-clock-plugin.mjs');
/** A backend's names with every bar's markup in them, and a terminal escape. */
const HOSTILE_PROJECT = 'R&D <b>|#[fg=red]%{F#f00}';
const HOSTILE_DESCRIPTION = 'fix | bug #1 at 100% \u001b[31mred';

let root: string;
let env: Record<string, string>;

function entry(id: string, start: string, end: string | null, name: string, color: string, description = '') {
  return { id, start, end, description, billable: true, tags: [], project: { key: id, name, client: 'Client & Co', color } };
}

function writeClock(file: string, state: { entries: unknown[]; running: unknown }): void {
  writeFileSync(file, JSON.stringify(state));
}

function writeConfig(name: string, clockFile: string, extra = ''): string {
  const file = join(root, name);
  writeFileSync(
    file,
    ['timezone = "UTC"', '', '[goals]', 'daily = 8', 'weekly = 40', '', '[[backends]]', `plugin = ${JSON.stringify(PLUGIN)}`, 'id = "clock"', `file = ${JSON.stringify(clockFile)}`, extra, ''].join('\n'),
  );
  return file;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dash-status-'));
  env = isolatedEnv(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Seconds as h:mm, the status line's durations (computed here on its own). */
const signed = (seconds: number) => (seconds < 0 ? `-${hm(-seconds)}` : `+${hm(seconds)}`);
const hm = (seconds: number) => `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;

describe('status at an instant', () => {
  let config: string;
  beforeAll(() => {
    const clock = join(root, 'at.json');
    writeClock(clock, {
      entries: [entry('done', '2026-11-18T08:00:00Z', '2026-11-18T12:00:00Z', 'Acme Web', '#336699')],
      running: entry('run', '2026-11-18T14:00:00Z', null, HOSTILE_PROJECT, '#aa5500', HOSTILE_DESCRIPTION),
    });
    config = writeConfig('at.toml', clock);
  });

  const status = (...args: string[]) => runCli(['status', '--config', config, '--at', AT, ...args], { env });

  it('fills every field from the same snapshot as snapshot --json', async () => {
    const json = await runCli(['snapshot', '--json', '--config', config, '--at', AT], { env });
    expect(json.code, json.stderr).toBe(0);
    const snapshot = JSON.parse(json.stdout);
    const today = snapshot.days.find((day: { date: string }) => day.date === snapshot.today);
    const result = await status('--format', '{state}|{elapsed}|{today}|{todayGoal}|{todayPercent}|{todayLeft}|{week}|{weekGoal}|{weekPercent}|{weekLeft}|{source}|{client}|{pace}|{todayPace}');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        'tracking',
        hm(snapshot.clockedIn[0].elapsedSeconds),
        hm(today.totalSeconds),
        hm(today.goalSeconds),
        `${Math.floor((today.totalSeconds / today.goalSeconds) * 100)}%`,
        hm(today.goalSeconds - today.totalSeconds),
        hm(snapshot.week.totalSeconds),
        hm(snapshot.week.goalSeconds),
        `${Math.floor((snapshot.week.totalSeconds / snapshot.week.goalSeconds) * 100)}%`,
        hm(snapshot.week.goalSeconds - snapshot.week.totalSeconds),
        'clock',
        'Client & Co',
        signed(snapshot.week.pace.deltaSeconds),
        signed(today.pace.deltaSeconds),
      ].join('|') + '\n',
    );
    // 08:00–12:00 and 14:00–15:30 (running): 5 h 30 m, whatever the snapshot says.
    expect(result.stdout.split('|')[2]).toBe('5:30');
  });

  it('the default line: what runs, today and the week against their goals, with no control character', async () => {
    const result = await status();
    expect(result.code, result.stderr).toBe(0);
    // Pace: 40 h over Monday–Friday 09–17 expects 8 h + 8 h + 6 h 30 m by Wednesday 15:30; 5 h 30 m worked.
    expect(result.stdout).toBe(`▶ R&D <b>|#[fg=red]%{F#f00} 1:30 · today 5:30/8:00 · week 5:30/40:00 · pace -17:00\n`);
  });

  it('--waybar: one JSON object with text, tooltip, class and percentage; text and tooltip are Pango-safe', async () => {
    const result = await status('--waybar');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const object = JSON.parse(result.stdout);
    expect(Object.keys(object).sort()).toEqual(['class', 'percentage', 'text', 'tooltip']);
    expect(object.class).toEqual(['tracking', 'behind']);
    expect(object.percentage).toBe(Math.floor((5.5 / 8) * 100));
    for (const text of [object.text, object.tooltip]) {
      // Pango markup: no tag is opened, every & starts an entity.
      expect(text).not.toMatch(/</);
      expect(text.replace(/&(?:amp|lt|gt|quot|#39);/g, '')).not.toMatch(/&/);
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
    expect(object.text).toContain('R&amp;D &lt;b&gt;');
    expect(object.tooltip).toContain('fix | bug #1 at 100%');
  });

  it('--polybar: the only %{…} tags are the colour Dash sets', async () => {
    const result = await status('--polybar');
    expect(result.code, result.stderr).toBe(0);
    const tags = [...result.stdout.matchAll(/%\{[^}]*\}/g)].map((match) => match[0]);
    expect(tags).toEqual(['%{F#aa5500}', '%{F-}']);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--i3blocks: full_text, short_text and color, one per line', async () => {
    const result = await status('--i3blocks');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(4); // three lines, each newline-terminated
    expect(lines[0]).toContain('today 5:30/8:00');
    expect(lines[1]).toBe(`${HOSTILE_PROJECT} 1:30`);
    expect(lines[2]).toBe('#aa5500');
    expect(lines[3]).toBe('');
  });

  it('--tmux: a backend\'s # is ##, so the only styles are the colour Dash sets', async () => {
    const result = await status('--tmux');
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.trimEnd();
    // tmux reads "##" as a literal "#" and "#[…]" as a style: take the literals out, then the styles.
    const styles = [...line.replaceAll('##', '').matchAll(/#\[[^\]]*\]/g)].map((match) => match[0]);
    expect(styles).toEqual(['#[fg=#aa5500]', '#[default]']);
    expect(line.replaceAll('##', '').replace(/#\[[^\]]*\]/g, '')).not.toContain('#');
  });

  it('--swiftbar: the title, ---, then the menu; a backend\'s | cannot start parameters', async () => {
    const result = await status('--swiftbar');
    expect(result.code, result.stderr).toBe(0);
    const [title, separator, ...menu] = result.stdout.trimEnd().split('\n');
    expect(separator).toBe('---');
    expect(title).not.toContain('|');
    expect(title).toContain('1:30');
    expect(menu.join('\n')).not.toContain('|');
    expect(menu.some((line) => line.startsWith('Today 5:30 / 8:00'))).toBe(true);
  });

  it('says plainly what is wrong with the options (exit 2, no stack)', async () => {
    const unknown = await status('--format', '{project} {bogus}');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--format names {bogus}, which is not a status field');
    expect(unknown.stderr).toContain('{todayGoal}');
    const two = await status('--waybar', '--tmux');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('--waybar and --tmux contradict each other');
    const follow = await status('--follow');
    expect(follow.code).toBe(2);
    expect(follow.stderr).toContain('--at and --follow contradict each other');
    for (const result of [unknown, two, follow]) {
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits as snapshot does: 3 when a backend failed, with the line for the rest', async () => {
    const file = join(root, 'partial.toml');
    writeFileSync(
      file,
      `timezone = "UTC"\n[[backends]]\nplugin = ${JSON.stringify(join(FIXTURES, 'plugins', 'fixture-plugin.mjs'))}\nid = "works"\n\n[[backends]]\nplugin = ${JSON.stringify(join(FIXTURES, 'plugins', 'fixture-plugin.mjs'))}\nid = "broken"\nmode = "fail"\n`,
    );
    const result = await runCli(['status', '--config', file, '--at', AT, '--waybar'], { env });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).class).toContain('error');
    expect(result.stderr).toMatch(/^dash-cli: broken: /m);
  });
});

/** A `status --follow` process and the lines it printed so far. */
class Follower {
  readonly child: ChildProcessWithoutNullStreams;
  lines: string[] = [];
  stderr = '';
  exited: Promise<number | null>;
  #partial = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'status', '--follow', ...args], { env, stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop()!;
      this.lines.push(...parts);
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  async waitForLines(count: number, timeoutMs = 15_000): Promise<string[]> {
    const until = Date.now() + timeoutMs;
    while (this.lines.length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} lines, got ${JSON.stringify(this.lines)}; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.lines;
  }
}

describe('status --follow', () => {
  const iso = (offsetMinutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + offsetMinutes * 60_000).toISOString();

  it('prints a line at once (syncing beside itself when there is no cache), then one per real change, and ends on SIGTERM', async () => {
    const clock = join(root, 'follow.json');
    writeClock(clock, { entries: [entry('done', iso(-120), iso(-60), 'Acme Web', '#336699')], running: null });
    const config = writeConfig('follow.toml', clock);
    const follower = new Follower(['--waybar', '--config', config]);
    try {
      const [first] = await follower.waitForLines(1);
      const idle = JSON.parse(first!);
      expect(idle.class[0]).toBe('idle');
      expect(idle.text).toMatch(/^⏸ idle · today \d+:\d\d\/8:00 · week \d+:\d\d\/40:00 · pace [+-]\d+:\d\d$/);

      // Another Dash syncs and nothing changed: the cache is rewritten, the line stays.
      expect((await runCli(['snapshot', '--refresh', '--json', '--config', config], { env })).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(follower.lines).toHaveLength(1);

      // Clocked in elsewhere; the next sync (watch, serve, a snapshot) writes it: a new line.
      writeClock(clock, { entries: [entry('done', iso(-120), iso(-60), 'Acme Web', '#336699')], running: entry('run', iso(-30), null, 'Beta', '#aa5500') });
      expect((await runCli(['snapshot', '--refresh', '--json', '--config', config], { env })).code).toBe(0);
      const [, second] = await follower.waitForLines(2, 5000);
      const tracking = JSON.parse(second!);
      expect(tracking.class[0]).toBe('tracking');
      expect(tracking.text).toMatch(/^▶ Beta 0:3[01] · today/);
      expect(follower.stderr).toBe('');
    } finally {
      follower.child.kill('SIGTERM');
    }
    expect(await follower.exited).toBe(130);
  });

  it('with [[outputs]], runs them as the long-running host it is: a clock-in is posted, signed, and the line follows', async () => {
    const secret = newSecret();
    const receiver = await new Receiver(secret).listen();
    const clock = join(root, 'outputs.json');
    writeClock(clock, { entries: [], running: null });
    const config = writeConfig('outputs.toml', clock, `\n[[outputs]]\nplugin = "webhook"\nid = "hook"\nurl = "${receiver.url}"\nsecret = "${secret}"\nevents = ["clock.in"]`);
    const follower = new Follower(['--config', config]);
    try {
      const [first] = await follower.waitForLines(1);
      expect(first).toMatch(/^⏸ idle · today 0:00\/8:00/);
      writeClock(clock, { entries: [], running: entry('run', iso(-10), null, 'Beta', '#aa5500') });
      await receiver.until((deliveries) => deliveries.some((delivery) => delivery.type === 'clock.in'));
      const [, second] = await follower.waitForLines(2, 10_000);
      expect(second).toMatch(/^▶ Beta 0:1\d · today/);
      expect(follower.stderr).toBe('');
    } finally {
      follower.child.kill('SIGTERM');
      await receiver.close();
    }
    expect(await follower.exited).toBe(130);
  });

  it('ends when the bar closes the pipe', async () => {
    const clock = join(root, 'pipe.json');
    writeClock(clock, { entries: [], running: null });
    const config = writeConfig('pipe.toml', clock);
    const follower = new Follower(['--config', config]);
    await follower.waitForLines(1);
    follower.child.stdout.destroy();
    writeClock(clock, { entries: [], running: entry('run', iso(-5), null, 'Beta', '#aa5500') });
    expect((await runCli(['snapshot', '--refresh', '--json', '--config', config], { env })).code).toBe(0);
    const code = await Promise.race([follower.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
    if (code === 'still running') follower.child.kill('SIGKILL');
    expect(code).toBe(0);
  });
});

/**
 * What each bar documents as its input, for one update (`follow`: as its streaming mode reads it).
 * Each throws (an expect) when the output is not that.
 */
const BAR_INPUT: Record<string, (stdout: string, follow: boolean) => void> = {
  // waybar-custom(5), return-type json: one object per line, text/tooltip in Pango markup.
  waybar: (stdout) => {
    const object = JSON.parse(stdout.split('\n')[0]!);
    expect(Object.keys(object).sort()).toEqual(['class', 'percentage', 'text', 'tooltip']);
    expect(typeof object.text).toBe('string');
    expect(Number.isInteger(object.percentage) && object.percentage >= 0 && object.percentage <= 100).toBe(true);
    for (const text of [object.text, object.tooltip]) expect(text.replace(/&(?:amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[<&]/);
  },
  // polybar custom/script: one line per update (tail = true), %{…} tags only where Dash put them.
  polybar: (stdout) => {
    const line = stdout.split('\n')[0]!;
    for (const tag of line.matchAll(/%\{[^}]*\}/g)) expect(tag[0]).toMatch(/^%\{F(?:#[0-9a-fA-F]{6}|-)\}$/);
  },
  // i3blocks(1): full_text, short_text, color; interval=persist reads one full_text per line.
  i3blocks: (stdout, follow) => {
    const lines = stdout.split('\n');
    if (follow) expect(lines[0]).toMatch(/\S/);
    else {
      expect(lines).toHaveLength(4);
      expect(lines[2]).toMatch(/^(?:#[0-9a-fA-F]{6})?$/);
    }
  },
  // tmux(1) FORMATS: #[style] and ## for a literal #.
  tmux: (stdout) => {
    const line = stdout.split('\n')[0]!.replaceAll('##', '');
    expect(line.replace(/#\[(?:fg=#[0-9a-fA-F]{6}|default)\]/g, '')).not.toContain('#');
  },
  // SwiftBar: the title line, ---, the menu; streamable updates start with ~~~.
  swiftbar: (stdout, follow) => {
    const lines = stdout.split('\n');
    if (follow) expect(lines.shift()).toBe('~~~');
    expect(lines[0]).not.toContain('|');
    expect(lines[1]).toBe('---');
  },
};

describe('the README\'s status bar recipes', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Status bars\n'), readme.indexOf('\n## ', readme.indexOf('\n## Status bars\n') + 1));
  const recipes = [...section.matchAll(/dash-cli status( --[a-z0-9]+)+/g)].map((match) => match[0]);

  it('has one for each bar', () => {
    expect(new Set(recipes.map((recipe) => recipe.split(' ')[2]))).toEqual(new Set(['--waybar', '--polybar', '--i3blocks', '--tmux', '--swiftbar']));
  });

  it('each prints what its bar reads', async () => {
    const clock = join(root, 'recipes.json');
    writeClock(clock, { entries: [], running: entry('run', new Date(Date.now() - 600_000).toISOString(), null, HOSTILE_PROJECT, '#aa5500', HOSTILE_DESCRIPTION) });
    const config = writeConfig('recipes.toml', clock);
    for (const recipe of recipes) {
      const args = [...recipe.split(' ').slice(2), '--config', config];
      const bar = args[0]!.slice(2);
      const follow = args.includes('--follow');
      let stdout: string;
      if (follow) {
        const follower = new Follower(args.filter((arg) => arg !== '--follow'));
        try {
          await follower.waitForLines(bar === 'swiftbar' ? 5 : 1);
          stdout = `${follower.lines.join('\n')}\n`;
        } finally {
          follower.child.kill('SIGTERM');
        }
      } else {
        const result = await runCli(['status', ...args], { env });
        expect(result.code, `${recipe}: ${result.stderr}`).toBe(0);
        stdout = result.stdout;
      }
      BAR_INPUT[bar]!(stdout, follow);
    }
  });
});
