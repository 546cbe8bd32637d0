/**
 * The fast path of `dash-cli snapshot --json --offline` (packages/dash-cli/src/fast-read.ts):
 * real CLI processes with a loader hook and the require cache recording every module they load. The fast path
 * must load neither commander, zod, smol-toml nor luxon, and print byte for byte what the full
 * path prints for the same cache and --at; anything it does not know sends it the full way.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');
const AT = '2026-11-18T15:30:00Z';

let root: string;
let config: string;
let env: NodeJS.ProcessEnv;
let register: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dash-fast-snapshot-'));
  config = join(root, 'dash.toml');
  writeFileSync(
    config,
    ['timezone = "America/New_York"', 'week_start = "sunday"', '', '[goals]', 'weekly = 40', 'daily = 8', '', '[[backends]]', 'plugin = "demo"', 'id = "demo"', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.LOADED_LOG) appendFileSync(process.env.LOADED_LOG, result.url + '\\n');
  return result;
}
`,
  );
  register = join(root, 'register.mjs');
  // ESM imports go through the hook; CommonJS (the executable itself, and what the CLI loads with
  // require) is listed from the require cache when the process exits.
  writeFileSync(
    register,
    `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(join(root, 'hooks.mjs')).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  if (process.env.LOADED_LOG) appendFileSync(process.env.LOADED_LOG, Object.keys(cache).map((file) => pathToFileURL(file).href + '\\n').join(''));
});
`,
  );
  env = isolatedEnv(root, { TZ: 'UTC' });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
/** Runs the CLI; returns its output and the module URLs it resolved. */
function run(args: string[]): { stdout: string; stderr: string; status: number | null; loaded: string[] } {
  const log = join(root, `loaded-${runs++}.txt`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], {
    env: { ...env, LOADED_LOG: log },
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const HEAVY = /\/node_modules\/(?:commander|zod|smol-toml|luxon)\//;
const heavy = (loaded: string[]) => loaded.filter((url) => HEAVY.test(url)).map((url) => url.replace(/.*\/node_modules\//, ''));

function removeRecord(): void {
  for (const name of readdirSync(join(root, 'cache', 'dash'))) if (name.startsWith('config-record-')) unlinkSync(join(root, 'cache', 'dash', name));
}

/**
 * Runs `args` the full way (the record removed: commander and zod load, and it writes the record
 * again), then the fast way: the same stdout, stderr and exit code, without the heavy modules.
 */
function bothPaths(args: string[]): ReturnType<typeof run> {
  removeRecord();
  const full = run(args);
  expect(heavy(full.loaded).length).toBeGreaterThan(0);
  const fast = run(args);
  expect(heavy(fast.loaded)).toEqual([]);
  expect(fast.stdout).toBe(full.stdout);
  expect(fast.stderr).toBe(full.stderr);
  expect(fast.status).toBe(full.status);
  return fast;
}

describe('snapshot --json --offline fast path', () => {
  it('prints what the full path prints, without loading commander, zod, TOML or luxon', () => {
    const warm = run(['snapshot', '--json', '--config', config, '--at', AT]);
    expect(warm.status, warm.stderr).toBe(0);
    // --at without --offline neither reads nor writes the cache; this one fills it.
    expect(run(['snapshot', '--json', '--config', config]).status).toBe(0);

    // No record next to the cache: the full path (commander and zod load), which writes one.
    removeRecord();
    const full = run(['snapshot', '--json', '--offline', '--config', config, '--at', AT]);
    expect(full.status, full.stderr).toBe(0);
    expect(heavy(full.loaded).some((url) => url.startsWith('commander/'))).toBe(true);
    expect(heavy(full.loaded).some((url) => url.startsWith('zod/'))).toBe(true);

    const fast = run(['snapshot', '--json', '--offline', '--config', config, '--at', AT]);
    expect(heavy(fast.loaded)).toEqual([]);
    expect(fast.status).toBe(full.status);
    expect(fast.stderr).toBe(full.stderr);
    expect(fast.stdout).toBe(full.stdout);
    const snapshot = JSON.parse(fast.stdout) as { generatedAt: string; weekStart: string; timezone: string; sources: { status: string }[] };
    expect(snapshot).toMatchObject({ generatedAt: '2026-11-18T15:30:00Z', weekStart: 'sunday', timezone: 'America/New_York' });
    expect(snapshot.sources).toHaveLength(1);
  });

  it('status answers from the same fast path, in every bar format, as the full path does', () => {
    expect(run(['snapshot', '--json', '--config', config]).status).toBe(0);
    for (const preset of [[], ['--waybar'], ['--polybar'], ['--i3blocks'], ['--tmux'], ['--swiftbar'], ['--format', '{project} {elapsed} {today}/{todayGoal}']]) {
      const fast = bothPaths(['status', ...preset, '--offline', '--config', config, '--at', AT]);
      expect(fast.status, fast.stderr).toBe(0);
      expect(fast.stdout).toMatch(/\S/);
    }
  });

  it('the human summary comes from the fast path too, the same text as the full path', () => {
    expect(run(['snapshot', '--json', '--config', config]).status).toBe(0);
    const fast = bothPaths(['snapshot', '--offline', '--config', config, '--at', AT]);
    expect(fast.status, fast.stderr).toBe(0);
    expect(fast.stdout).toMatch(/^Week \d{4}-\d\d-\d\d – /);
  });

  it('with a year of history, reads only the recent slice the cache writer keeps beside it', async () => {
    expect(run(['snapshot', '--json', '--config', config]).status).toBe(0);
    const dir = join(root, 'cache', 'dash');
    const cacheFile = join(dir, readdirSync(dir).find((name) => /^store-[0-9a-f]+\.json$/.test(name))!);
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    // A year of weekdays before this week, two entries a day, as watch's trend would keep.
    const template = cache.store.entries[0];
    const monday = Date.parse('2025-11-03T14:00:00Z');
    for (let day = 0; day < 364; day++) {
      if (day % 7 >= 5) continue;
      for (const hour of [0, 4]) {
        const start = monday + day * 86_400_000 + hour * 3_600_000;
        cache.store.entries.push({ ...template, id: `history-${day}-${hour}`, start: new Date(start).toISOString(), end: new Date(start + 3 * 3_600_000).toISOString() });
      }
    }
    const { writeCache } = await import(pathToFileURL(resolve(import.meta.dirname, '../packages/dash-core/dist/host.js')).href);
    await writeCache(cacheFile, cache, { merge: false });
    const recent = JSON.parse(readFileSync(cacheFile.replace(/\.json$/, '.recent.json'), 'utf8'));
    expect(cache.store.entries.length).toBeGreaterThan(500);
    expect(recent.store.entries.length).toBeLessThan(cache.store.entries.length - 500);

    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const args = ['snapshot', '--json', '--offline', '--config', config, '--at', at];
    removeRecord();
    const full = run(args);
    expect(full.status, full.stderr).toBe(0);
    const fast = run(args);
    expect(heavy(fast.loaded)).toEqual([]);
    expect(fast.stdout).toBe(full.stdout);
    // The proof that the cache itself is not read: damaged (but no newer than its slice), the answer stays.
    const { mtime } = statSync(cacheFile);
    writeFileSync(cacheFile, '{ damaged');
    utimesSync(cacheFile, mtime, mtime);
    const sliced = run(args);
    expect(heavy(sliced.loaded)).toEqual([]);
    expect(sliced.stdout).toBe(full.stdout);
    // A week the slice does not hold is read from the cache: here the damaged one, so the full path decides.
    const old = run(['snapshot', '--json', '--offline', '--config', config, '--at', '2025-12-03T12:00:00Z']);
    expect(heavy(old.loaded).length).toBeGreaterThan(0);
    expect(run(['snapshot', '--json', '--refresh', '--config', config]).status).toBe(0);
  });

  it('stale sources (a max age of 0) come out the same on both paths', () => {
    removeRecord();
    const args = ['snapshot', '--json', '--offline', '--max-age', '0', '--config', config, '--at', AT];
    const full = run(args);
    const fast = run(args);
    expect(heavy(full.loaded).length).toBeGreaterThan(0);
    expect(heavy(fast.loaded)).toEqual([]);
    expect(fast.stdout).toBe(full.stdout);
    expect(fast.status).toBe(full.status);
    expect((JSON.parse(fast.stdout) as { sources: { status: string }[] }).sources[0]!.status).toBe('stale');
  });

  it('without --offline, serves a fresh cache the same way, and syncs (the full path) when it is not', () => {
    removeRecord();
    const synced = run(['snapshot', '--json', '--config', config]);
    expect(synced.status, synced.stderr).toBe(0);
    expect(heavy(synced.loaded).length).toBeGreaterThan(0);
    // Just synced: fresh under the default max age (the demo's poll interval, at least 60 s).
    const cached = run(['snapshot', '--json', '--config', config]);
    expect(heavy(cached.loaded)).toEqual([]);
    expect(cached.status).toBe(0);
    expect((JSON.parse(cached.stdout) as { sources: { status: string }[] }).sources[0]!.status).toBe('ok');
    // --max-age 0 always syncs; --at without --offline syncs that week: both the full path.
    expect(heavy(run(['snapshot', '--json', '--max-age', '0', '--config', config]).loaded).length).toBeGreaterThan(0);
    expect(heavy(run(['snapshot', '--json', '--at', AT, '--config', config]).loaded).length).toBeGreaterThan(0);
  });

  it('goes the full way when the config changed, or for an option it does not handle', () => {
    const args = ['snapshot', '--json', '--offline', '--config', config, '--at', AT];
    run(args);
    expect(heavy(run(args).loaded)).toEqual([]);
    // Another goal: the record no longer matches; the full path shows the new goal.
    writeFileSync(config, readFileSync(config, 'utf8').replace('weekly = 40', 'weekly = 30'));
    const changed = run(args);
    expect(heavy(changed.loaded).length).toBeGreaterThan(0);
    expect((JSON.parse(changed.stdout) as { week: { goalSeconds: number } }).week.goalSeconds).toBe(30 * 3600);
    // An unknown flag: commander's own error, exit 2.
    const unknown = run([...args, '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    // --offline with --refresh: the full path's usage error.
    const both = run([...args, '--refresh']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('contradict');
  });
});

describe('snapshot fast path: wide project names', () => {
  it('the human summary measures CJK and emoji names (string-width, loaded by the executable at run time) as the full path does', () => {
    writeFileSync(join(root, 'wide-plugin.mjs'), FLAKY_PLUGIN);
    const wide = join(root, 'wide.toml');
    const options = `fail = ${JSON.stringify(join(root, 'never-fails'))}\nproject = "漢字の案件 🚀"`;
    writeFileSync(wide, `timezone = "UTC"\n\n[goals]\nweekly = 40\n\n[[backends]]\nplugin = "./wide-plugin.mjs"\nid = "wide"\n${options}\n`);
    const filled = run(['snapshot', '--json', '--config', wide]);
    expect(filled.status, filled.stderr).toBe(0);
    // The moment the cache was filled: its week is the one the cache holds.
    const at = (JSON.parse(filled.stdout) as { generatedAt: string }).generatedAt;
    const fast = bothPaths(['snapshot', '--offline', '--config', wide, '--at', at]);
    expect(fast.status, fast.stderr).toBe(0);
    expect(fast.stdout).toContain('漢字の案件 🚀');
  });
});

/**
 * A local plugin with one entry an hour into each synced range (on the project named by its
 * `project` option, else "P"); once `fail` exists, its token is "rejected".
 */
const FLAKY_PLUGIN = `
import { existsSync } from 'node:fs';
const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
export default {
  name: 'dash-plugin-flaky',
  apiVersion: 1,
  pollInterval: 300,
  optionsSchema: schema,
  createBackend(options, context) {
    return {
      async sync({ from, to }) {
        if (existsSync(options.fail)) {
          throw Object.assign(new Error('the token was rejected'), { isDashError: true, code: 'AUTH_REQUIRED' });
        }
        const start = new Date(from.getTime() + 3600_000).toISOString();
        const end = new Date(from.getTime() + 7200_000).toISOString();
        context.store.replaceRange({ from, to }, [{ id: 'e1', start, end, project: { key: 'p', name: options.project ?? 'P' } }]);
      },
    };
  },
};
`;

describe('snapshot --json fast path: exit codes', () => {
  it('serves a cached AUTH_REQUIRED with exit code 4, as the full path that cached it exits', () => {
    const flaky = join(root, 'flaky.toml');
    const fail = join(root, 'flaky-fail');
    writeFileSync(join(root, 'flaky.mjs'), FLAKY_PLUGIN);
    writeFileSync(flaky, ['timezone = "UTC"', '', '[[backends]]', 'plugin = "./flaky.mjs"', 'id = "flaky"', `fail = ${JSON.stringify(fail)}`, ''].join('\n'));
    expect(run(['snapshot', '--json', '--config', flaky]).status).toBe(0);
    writeFileSync(fail, '');
    // A sync that fails: the cache keeps the entry and now says AUTH_REQUIRED (exit 4).
    const failed = run(['snapshot', '--json', '--max-age', '0', '--config', flaky]);
    expect(failed.status, failed.stderr).toBe(4);
    // Served from that cache (the record the full path just wrote), without loading the full CLI.
    const fast = run(['snapshot', '--json', '--offline', '--config', flaky]);
    expect(heavy(fast.loaded)).toEqual([]);
    expect(fast.status).toBe(4);
    expect(fast.stderr).toBe('dash-cli: flaky: the token was rejected\n');
    expect(fast.stderr).toBe(failed.stderr);
    expect((JSON.parse(fast.stdout) as { sources: { error: { code: string } | null }[] }).sources[0]!.error?.code).toBe('AUTH_REQUIRED');
  });
});
