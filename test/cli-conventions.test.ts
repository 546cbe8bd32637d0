/**
 * The CLI a seasoned terminal user expects (clig.dev, gh, ripgrep, npm): -v/--version, global
 * options in every --help, shell completion, suggestions for typos, clear config errors, display
 * width for CJK and emoji, TERM=dumb, errors on stderr, times in the config's zone, and a doctor
 * hint that fixes a bad Toggl token. Runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { itWith, TMUX } from './support/tools.js';

const TIMEWARRIOR = join(REPO, 'examples/dash-plugin-timewarrior');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'packages/dash-cli/package.json'), 'utf8')) as { version: string }).version;

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-conventions-'));
  temp.push(dir);
  return dir;
}
function config(text: string): string {
  const file = join(tempDir(), 'dash.toml');
  writeFileSync(file, text);
  return file;
}

describe('flags and help', () => {
  it('-v and --version print the version (as node and npm do); --verbose has no short flag', async () => {
    for (const flag of ['-v', '--version']) {
      const result = await runCli([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/^ {2}-v, --version {2,}print the version$/m);
    expect(help.stdout).toMatch(/^ {2}--verbose {2,}tell what each backend is doing/m);
    const old = await runCli(['-V']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain("error: unknown option '-V'");
  });

  it('every command\'s --help lists the global options too', async () => {
    for (const command of ['snapshot', 'status', 'watch', 'init', 'doctor', 'plugins', 'plugins new', 'outputs', 'auth', 'completion']) {
      const result = await runCli([...command.split(' '), '--help']);
      expect(result.code, command).toBe(0);
      const globals = result.stdout.slice(result.stdout.indexOf('Global Options:'));
      expect(globals, command).toMatch(/^Global Options:\n(?: {2}--json .*\n)? {2}-v, --version[\s\S]*-c, --config <path>[\s\S]*--demo[\s\S]*--verbose[\s\S]*--no-color/);
    }
  });

  it('an unknown command suggests the closest one (exit 2)', async () => {
    const result = await runCli(['snapshto']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'snapshto'\n(Did you mean snapshot?)\n(run dash-cli --help for usage)\n");
  });
});

describe('dash-cli completion', () => {
  /** Completes `line` (the cursor at its end) with the bash script, in a real bash. */
  function complete(script: string, words: string[]): string[] {
    const dir = tempDir();
    writeFileSync(join(dir, 'dash-cli.bash'), script);
    const program = `source ${JSON.stringify(join(dir, 'dash-cli.bash'))}\nCOMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(' ')})\nCOMP_CWORD=${words.length - 1}\n_dash_cli\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8', cwd: dir }).stdout.split('\n').filter(Boolean);
  }

  it('bash: commands, each command\'s options, the shells, files after --config', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('complete -F _dash_cli dash-cli');
    expect(complete(result.stdout, ['dash-cli', 's'])).toEqual(['snapshot', 'status', 'serve']);
    expect(complete(result.stdout, ['dash-cli', 'sn'])).toEqual(['snapshot']);
    expect(complete(result.stdout, ['dash-cli', ''])).toEqual(expect.arrayContaining(['snapshot', 'watch', 'init', 'doctor', 'plugins', 'outputs', 'auth', 'completion', 'trust', 'untrust', 'serve', 'status', '--version', '--config']));
    expect(complete(result.stdout, ['dash-cli', 'outputs', '--j'])).toEqual(['--json']);
    expect(complete(result.stdout, ['dash-cli', 'outputs', 't'])).toEqual(['test']);
    expect(complete(result.stdout, ['dash-cli', '--config', 'x.toml', 'snapshot', '--o'])).toEqual(['--offline']);
    expect(complete(result.stdout, ['dash-cli', 'completion', 'f'])).toEqual(['fish']);
    expect(complete(result.stdout, ['dash-cli', 'plugins', 'n'])).toEqual(['new']);
    expect(complete(result.stdout, ['dash-cli', 'watch', '--c'])).toEqual(['--config']);
  });

  it('zsh and fish: a script for each, from the same command tree', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.split('\n')[0]).toBe('#compdef dash-cli');
    expect(zsh.stdout).toContain("    'snapshot:print the week");
    expect(zsh.stdout).toContain("'(--config -c)'{--config,-c}'[config file (see \"Config\" below)]:path:_files'");
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(0);
    expect(fish.stdout).toContain("complete -c dash-cli -n __fish_use_subcommand -a doctor -d 'check the config, every plugin, and each backend (health check: auth, quota)'");
    expect(fish.stdout).toContain("complete -c dash-cli -n '__fish_seen_subcommand_from snapshot' -l json -d");
    expect(fish.stdout).toContain("complete -c dash-cli -s c -l config -r -F -d");
  });

  it('an unknown shell is a usage error naming the shells', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: 'dash-cli: no completion for shell "tcsh"\nhint: one of: bash, zsh, fish, e.g. dash-cli completion bash\n' });
  });

  it('is loaded only when asked for: its code is a chunk of its own, not in the CLI entry', () => {
    const dist = join(REPO, 'packages/dash-cli/dist');
    expect(readFileSync(join(dist, 'cli.js'), 'utf8')).not.toContain('complete -F _dash_cli');
    expect(readFileSync(join(dist, 'bin.cjs'), 'utf8')).not.toContain('complete -F _dash_cli');
    expect(readdirSync(dist).some((file) => file.endsWith('.js') && readFileSync(join(dist, file), 'utf8').includes('complete -F _dash_cli'))).toBe(true);
  });
});

describe('config mistakes: one clear error each, with a suggestion for typos', () => {
  it('unknown keys of Dash\'s own tables: did you mean …?', async () => {
    const file = config('wek_start = "monday"\n[goals]\ndaly = 8\n[[backends]]\nplugin = "demo"\n');
    const result = await runCli(['snapshot', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3:1: goals.daly: unknown key: did you mean "daily"?`);
    expect(result.stderr).toContain(`${file}:1:1: wek_start: unknown key: did you mean "week_start"?`);
  });

  it('a misspelt plugin: did you mean "toggl"? (not "npm install dash-plugin-togl")', async () => {
    const file = config('[[backends]]\nplugin = "togl"\n');
    const result = await runCli(['snapshot', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`dash-cli: ${file}:2:1: backends[0].plugin: plugin "togl" not found: did you mean "toggl"?\n`);
  });

  it('an unset ${VAR} is one error, not two', async () => {
    const file = config('[[backends]]\nplugin = "toggl"\napi_token = "${DASH_TEST_UNSET_TOKEN}"\n');
    const result = await runCli(['snapshot', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`dash-cli: ${file}:3:1: backends[0].api_token: environment variable DASH_TEST_UNSET_TOKEN is not set (export DASH_TEST_UNSET_TOKEN=… or put the value in the file)\n`);
  });

  it('an unterminated string says so, with file:line:col', async () => {
    const file = config('timezone = "UTC\n[[backends]]\nplugin = "demo"\n');
    const result = await runCli(['snapshot', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`dash-cli: ${file}:1:16: invalid TOML: unterminated string: the closing quote is missing on this line`);
    expect(result.stderr).not.toContain('control characters');
  });

  it('an empty config, or one without [[backends]], says so and how to add one (exit 2)', async () => {
    for (const text of ['', 'timezone = "UTC"\n[goals]\ndaily = 8\n']) {
      const file = config(text);
      for (const command of ['snapshot', 'watch']) {
        const result = await runCli([command, '--config', file]);
        expect(result.code, command).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          `dash-cli: ${file} has no [[backends]]: there is no time to show. Add one, e.g. for Toggl:\n  \n  [[backends]]\n  plugin = "toggl"\n  api_token = "\${TOGGL_API_TOKEN}"\n  \nhint: or start over with a commented config: \`dash-cli init --toggl --config NEW.toml\`; to look around first: \`dash-cli watch --demo\`\n`,
        );
      }
    }
  });
});

/** A Timewarrior database (the example plugin reads its files; no `timew` needed) with CJK and emoji tags. */
function wideNames(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'timew', 'data'), { recursive: true });
  writeFileSync(
    join(dir, 'timew', 'data', '2026-11.data'),
    ['inc 20261116T090000Z - 20261116T120000Z # 日本語プロジェクト', 'inc 20261117T090000Z - 20261117T103000Z # 🚀launch', 'inc 20261118T090000Z - 20261118T091500Z # acme', 'inc 20261120T140000Z # 日本語プロジェクト'].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'dash.toml'), `timezone = "Asia/Tokyo"\n[[backends]]\nplugin = ${JSON.stringify(TIMEWARRIOR)}\nid = "timew"\ndatabase = "timew"\n`);
  return dir;
}

describe('display width: CJK and emoji names', () => {
  it('the human summary lines up its columns by display width, and shows times in the config\'s zone', async () => {
    const dir = wideNames();
    const result = await runCli(['snapshot', '--config', join(dir, 'dash.toml'), '--at', '2026-11-20T15:00:00Z']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^ {2}\S.* \d+h|^ {2}\S.* \d+m$/.test(line) && !line.includes('Worked') && !line.includes('Billable') && !line.includes('Today'));
    expect(rows).toEqual(['  日本語プロジェクト    4h 00m', '  🚀launch              1h 30m', '  acme                     15m']);
    // Columns: every duration ends at the same terminal column.
    const columns = (line: string) => [...new Intl.Segmenter().segment(line)].reduce((sum, { segment }) => sum + (/[\u3000-\u9fff\u{1f300}-\u{1faff}]/u.test(segment) ? 2 : 1), 0);
    expect(new Set(rows.map(columns)).size).toBe(1);
    // 15:00 UTC is midnight in Tokyo: the time is the config's zone, not UTC ISO.
    expect(result.stdout).toMatch(/^ {2}timew: ok \(synced 2026-11-21 00:00:00\)$/m);
    expect(result.stdout).not.toContain('2026-11-20T15:00:00');
  });

  itWith([TMUX], 'watch\'s status line ends at the terminal\'s edge: no stray character after a wide name', async () => {
    const dir = wideNames();
    const env = isolatedEnv(dir, { TZ: 'UTC' });
    const width = 80;
    const tmux = Tmux.start({ width, height: 30, env, command: `TERM=xterm-256color ${process.execPath} ${CLI} watch --config ${join(dir, 'dash.toml')} --at 2026-11-20T15:00:00Z; echo "DASH-EXIT:$?"; exec sleep 30` });
    try {
      const screen = await tmux.waitFor((text) => /● timew/.test(text) && text.includes('q quit'), { timeoutMs: 15_000 });
      const status = screen.split('\n').find((line) => line.includes('● timew'))!;
      expect(status).toMatch(/^ ● timew\s+1:00:\d\d {2}(?:\S )?日本語プロジェクト\s+ok · synced \d\d:\d\d$/);
      // tmux pads each row to the pane width; a wide character counted as one column would push
      // the row one column past it (the "stray character" wrapped or cut at the edge).
      const columns = [...new Intl.Segmenter().segment(status.trimEnd())].reduce((sum, { segment }) => sum + (/[\u3000-\u9fff]/u.test(segment) ? 2 : 1), 0);
      expect(columns).toBeLessThanOrEqual(width);
      expect(status.trimEnd()).toMatch(/synced \d\d:\d\d$/);
      tmux.send('q');
      await tmux.waitFor('DASH-EXIT:0');
    } finally {
      tmux.kill();
    }
  });
});

describe('the JSON path stays lean', () => {
  it('snapshot --json never loads the width tables: string-width is reached only by dynamic import (summary, watch) and a run-time require', () => {
    const dist = join(REPO, 'packages/dash-cli/dist');
    const read = (file: string) => readFileSync(join(dist, file), 'utf8');
    /** Files a module imports statically (import … from './x.js' / import './x.js'), transitively. */
    const staticGraph = (entry: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(entry)) return seen;
      seen.add(entry);
      for (const [, file] of read(entry).matchAll(/^(?:import|export)\s+(?:[^'"();]*?\s+from\s+)?['"]\.\/([^'"]+)['"]/gm)) staticGraph(file!, seen);
      return seen;
    };
    const snapshotChunk = readdirSync(dist).find((file) => /^snapshot-.*\.js$/.test(file))!;
    const loaded = [...staticGraph('cli.js'), ...staticGraph(snapshotChunk)];
    expect(loaded.length).toBeGreaterThan(2);
    for (const file of loaded) expect(read(file), file).not.toContain('string-width');
    // The executable bundles the summary's width tables, as modules evaluated on first use
    // (esbuild's __esm): what runs at start-up never reaches them; only the summary's dynamic import does.
    const bin = read('bin.cjs');
    const blocks = new Map([...bin.matchAll(/^var (init_\w+) = __esm\(\{\n {2}"([^"]+)"\(\) \{\n([\s\S]*?)\n\}\);$/gm)].map((match) => [match[1]!, { path: match[2]!, body: match[3]! }]));
    expect(blocks.size).toBeGreaterThan(10);
    const calls = (text: string) => [...text.matchAll(/\b(init_\w+)\(\)/g)].map((match) => match[1]!);
    const reach = (roots: string[]) => {
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name) || !blocks.has(name)) return;
        seen.add(name);
        for (const next of calls(blocks.get(name)!.body)) visit(next);
      };
      roots.forEach(visit);
      return [...seen].map((name) => blocks.get(name)!.path);
    };
    let topLevel = bin;
    for (const [name, block] of blocks) topLevel = topLevel.replace(block.body, '').replace(`var ${name} = __esm`, '');
    const dynamic = /Promise\.resolve\(\)\.then\(\(\) => \((init_\w+)\(\), \w+_exports\)\)/g;
    // Dynamic imports anywhere (the summary imports the width tables only for a name that is not ASCII).
    const lazyRoots = [...bin.matchAll(dynamic)].map((match) => match[1]!);
    const startup = reach(calls(topLevel.replace(dynamic, '')));
    expect(startup.some((path) => path.includes('snapshot/core'))).toBe(true);
    expect(startup.filter((path) => /string-width|text-width|summary/.test(path))).toEqual([]);
    // text-width requires string-width at run time, for a text that needs it.
    expect(reach(lazyRoots).some((path) => path.includes('text-width'))).toBe(true);
    // watch's first frame (the dashboard's renderer) is a file of its own, required only for watch.
    expect([...blocks.values()].filter((block) => block.path.includes('watch/'))).toEqual([]);
    expect(read('first-frame.cjs')).toContain('function renderDashboard');
    // …and the human summary does use it, by a dynamic import of its own.
    const summary = readdirSync(dist).find((file) => /^summary-.*\.js$/.test(file))!;
    const widths = /import\(['"]\.\/(text-width-[\w-]+\.js)['"]\)/.exec(read(summary))?.[1];
    expect(widths).toBeDefined();
    expect([...staticGraph(widths!)].some((file) => read(file).includes('string-width'))).toBe(true);
  });
});

describe('terminals and errors', () => {
  itWith([TMUX], 'TERM=dumb dash-cli watch refuses with a clear message (exit 2), even on a terminal', async () => {
    const dir = tempDir();
    const tmux = Tmux.start({ width: 120, height: 20, env: isolatedEnv(dir), command: `TERM=dumb ${process.execPath} ${CLI} watch --demo; echo "DASH-EXIT:$?"; exec sleep 30` });
    try {
      const screen = await tmux.waitFor('DASH-EXIT:');
      expect(screen).toContain('dash-cli: watch draws a full-screen dashboard, and TERM=dumb says this terminal cannot show one');
      expect(screen).toContain('hint: run it in a full terminal, or use `dash-cli snapshot` for a plain summary (`--json` for scripts)');
      expect(screen).toContain('DASH-EXIT:2');
    } finally {
      tmux.kill();
    }
  });

  it('the human snapshot writes a backend\'s error to stderr too, not only under "Sources:"', async () => {
    const dir = tempDir();
    const file = join(dir, 'dash.toml');
    writeFileSync(file, `[[backends]]\nplugin = ${JSON.stringify(TIMEWARRIOR)}\nid = "timew"\ndatabase = "missing"\n`);
    const result = await runCli(['snapshot', '--config', file]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^ {2}timew: error: no Timewarrior database at .*missing.* \[timewarrior:NOT_FOUND\]$/m);
    expect(result.stderr).toMatch(/^dash-cli: timew: no Timewarrior database at .*missing/m);
  });
});

describe('doctor with a token Toggl rejects', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(403, { 'content-type': 'text/plain' }).end('Incorrect username and/or password'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v9`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tells how to fix the token (Toggl has no sign-in step), never `dash-cli auth toggl`', async () => {
    const file = config(`[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "${url}"\n`);
    const result = await runCli(['doctor', '--config', file], { env: { TOGGL_API_TOKEN: 'rejected-token-1234' } });
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('copy your API token from https://track.toggl.com/profile ("API Token"), put it in TOGGL_API_TOKEN (or api_token in the config) and try again');
    expect(result.stdout).not.toContain('dash-cli auth');
    expect(result.stdout + result.stderr).not.toContain('rejected-token-1234');
  });
});
