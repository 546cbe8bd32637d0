/**
 * Debugging a plugin from what Dash prints: with --verbose a plugin's error comes with its own
 * stack frames (not the host's, not Node's) on stderr, without --verbose with none; a DashError's
 * hint is printed by `snapshot` (stderr) and kept in its JSON (sources[].error.hint, only when there
 * is one); config issues sit at their own line, in the order of the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from './support/cli.js';
import { isolatedEnv } from './support/env.js';

const CORE = pathToFileURL(join(REPO, 'packages/dash-core/dist/index.js')).href;
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'dash-debugging-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'failing.mjs'),
  `import { DashError, defineBackendPlugin, z } from ${JSON.stringify(CORE)};
function readWorkLog(file) {
  throw new DashError('WORKLOG_NOT_FOUND', 'no work log at ' + file, { hint: 'create the file, or fix file = "…" in the config' });
}
export default defineBackendPlugin({
  name: 'dash-plugin-failing',
  apiVersion: 1,
  optionsSchema: z.strictObject({ file: z.string().default('/nowhere'), plain: z.boolean().default(false) }),
  createBackend: (options) => ({
    async sync() {
      if (options.plain) throw new TypeError('cannot read properties of undefined');
      readWorkLog(options.file);
    },
  }),
});
`,
);

function run(args: string[], config: string) {
  writeFileSync(join(dir, 'dash.toml'), config);
  const result = spawnSync(process.execPath, [CLI, ...args, '--refresh', '--config', join(dir, 'dash.toml')], { cwd: dir, env: isolatedEnv(dir), encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const FAILING = '[[backends]]\nplugin = "./failing.mjs"\nid = "log"\n';

describe('a failing plugin', () => {
  it('with --verbose: its stack, its own frames only (file and line of the throw)', () => {
    const result = run(['snapshot', '--json', '--verbose'], FAILING);
    expect(result.code).toBe(3);
    const stack = result.stderr.split('\n').filter((line) => /^\s+at /.test(line));
    expect(stack[0]).toMatch(new RegExp(`^\\s+at readWorkLog \\(${pathToFileURL(join(dir, 'failing.mjs')).href}:3:9\\)$`));
    expect(stack[1]).toMatch(/^\s+at Object\.sync \(.*failing\.mjs:\d+:\d+\)$/);
    expect(stack.filter((line) => line.includes('dash-core') || line.includes('node:'))).toEqual([]);
    expect(result.stderr).toContain('log: sync failed: WORKLOG_NOT_FOUND: no work log at /nowhere');
  });

  it('doctor --verbose: the same frames; doctor without it: none', () => {
    writeFileSync(join(dir, 'dash.toml'), FAILING);
    const doctor = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'doctor', ...extra, '--config', join(dir, 'dash.toml')], { cwd: dir, env: isolatedEnv(dir), encoding: 'utf8', timeout: 20_000 });
    const verbose = doctor('--verbose');
    expect(verbose.status).toBe(3);
    expect(verbose.stderr.split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.replace(/:\d+:\d+\)$/, ')'))).toEqual([
      `    at readWorkLog (${pathToFileURL(join(dir, 'failing.mjs')).href})`,
      `    at Object.sync (${pathToFileURL(join(dir, 'failing.mjs')).href})`,
    ]);
    expect(verbose.stdout).toContain('hint: create the file, or fix file = "…" in the config');
    expect(doctor().stderr).toBe('');
  });

  it('without --verbose: no stack', () => {
    const result = run(['snapshot'], FAILING);
    expect(result.code).toBe(3);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("a DashError's hint: on stderr after the message (text and JSON), and in the JSON's sources[].error", () => {
    for (const args of [['snapshot'], ['snapshot', '--json']]) {
      const result = run(args, FAILING);
      expect(result.stderr).toBe('dash-cli: log: no work log at /nowhere\nhint: create the file, or fix file = "…" in the config\n');
    }
    const json = JSON.parse(run(['snapshot', '--json'], FAILING).stdout);
    expect(json.sources[0].error).toEqual({ code: 'WORKLOG_NOT_FOUND', message: 'no work log at /nowhere', hint: 'create the file, or fix file = "…" in the config' });
  });

  it('an error without a hint: no hint line, and no hint field in the JSON (the field is only added)', () => {
    const result = run(['snapshot', '--json'], `${FAILING}plain = true\n`);
    expect(result.stderr).toBe('dash-cli: log: cannot read properties of undefined\n');
    expect(JSON.parse(result.stdout).sources[0].error).toEqual({ code: 'BACKEND_FAILED', message: 'cannot read properties of undefined' });
  });
});

describe('config issues', () => {
  it('an unknown option at its own line, every issue in the order of the file', () => {
    const config = ['weekstart = "monday"', '', '[[backends]]', 'plugin = "./failing.mjs"', 'id = "log"', 'fiel = "x"', 'plain = "yes"', 'colour = 1', '', '[goals]', 'weekly = "forty"'].join('\n');
    const result = run(['snapshot'], config);
    expect(result.code).toBe(2);
    const file = join(dir, 'dash.toml');
    const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('dash-cli: ') || line.startsWith('  '));
    const located = lines.map((line) => /:(\d+):\d+: (\S+):/.exec(line)).filter(Boolean).map((match) => [Number(match![1]), match![2]]);
    expect(located).toEqual([
      [1, 'weekstart'],
      [6, 'backends[0].fiel'],
      [7, 'backends[0].plain'],
      [8, 'backends[0].colour'],
      [11, 'goals.weekly'],
    ]);
    expect(result.stderr).toContain(`${file}:6:1: backends[0].fiel: unknown key "fiel" for dash-plugin-failing (see its README for the options)`);
  });
});

describe("watch's status line", () => {
  it("shows a source's error with its code and, when there is one, its hint", async () => {
    const { describeSource } = await import('../packages/dash-cli/src/watch/format.js');
    const source = { id: 'log', plugin: 'dash-plugin-failing', status: 'error' as const, lastSyncAt: null, rateLimitedUntil: null, staleSince: null };
    const withHint = describeSource({ ...source, error: { code: 'WORKLOG_NOT_FOUND', message: 'no work log at /nowhere', hint: 'create the file' } }, 'UTC', '2026-11-20');
    expect(withHint).toEqual({ text: 'error: no work log at /nowhere [WORKLOG_NOT_FOUND] — create the file', tone: 'error' });
    const without = describeSource({ ...source, error: { code: 'NETWORK', message: 'connect ECONNREFUSED' } }, 'UTC', '2026-11-20');
    expect(without.text).toBe('error: connect ECONNREFUSED [NETWORK]');
  });
});
