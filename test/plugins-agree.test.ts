/**
 * Every command accepts and rejects the same configs: the same plugin loaded from two paths is
 * refused by snapshot, watch, doctor and plugins alike (exit 2, the same message), because they
 * all run dash-core's one check (loadPlugins). The same file named twice is fine everywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from './support/cli.js';
import { isolatedEnv } from './support/env.js';

const CORE = pathToFileURL(join(REPO, 'packages/dash-core/dist/index.js')).href;
const COMMANDS = [['snapshot', '--json'], ['watch'], ['doctor'], ['plugins']];

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'dash-agree-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const copy of ['a', 'b']) {
  mkdirSync(join(dir, copy));
  writeFileSync(
    join(dir, copy, 'plugin.mjs'),
    `import { z } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-twin', apiVersion: 1, optionsSchema: z.strictObject({}), createBackend: () => ({ sync: async () => {} }) };\n`,
  );
}
const config = (first: string, second: string) => `[[backends]]\nplugin = "${first}"\nid = "one"\n[[backends]]\nplugin = "${second}"\nid = "two"\n`;

function run(args: string[], file: string) {
  // stdin not a terminal: watch refuses to draw, but only after the config and plugins are checked.
  const result = spawnSync(process.execPath, [CLI, ...args, '--config', file], { cwd: dir, env: isolatedEnv(dir), encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the same plugin from two paths', () => {
  writeFileSync(join(dir, 'two-paths.toml'), config('./a/plugin.mjs', './b/plugin.mjs'));
  const message = `plugin dash-plugin-twin is loaded from two places: ${join(dir, 'a', 'plugin.mjs')} and ${join(dir, 'b', 'plugin.mjs')}; install one copy`;

  it.each(COMMANDS)('%s refuses it: exit 2, both files named, no stack trace', (...args) => {
    const result = run(args, join(dir, 'two-paths.toml'));
    expect(result.code).toBe(2);
    expect(result.output).toContain(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('doctor says what to do about it', () => {
    const result = run(['doctor'], join(dir, 'two-paths.toml'));
    expect(result.output).toContain('hint: keep one copy of the plugin: name the same path (or package) in every [[backends]] that uses it');
  });

  it.each([['snapshot', '--json'], ['doctor'], ['plugins']])('%s accepts the same file named twice', (...args) => {
    writeFileSync(join(dir, 'twice.toml'), config('./a/plugin.mjs', './a/plugin.mjs'));
    const result = run(args, join(dir, 'twice.toml'));
    expect(result.output).not.toContain('two places');
    expect(result.code).toBe(0);
  });
});
