/**
 * Issue 16 (part): what a plugin author sees when a local plugin is wrong, through the built CLI.
 * Each case is a mistake made while writing a plugin from the docs alone; the message must name
 * the problem and where it is, never a raw "undefined" or "x is not a function".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const SCHEMA = `{ '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } }`;
const root = mkdtempSync(join(tmpdir(), 'dash-plugin-author-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with `plugin.mjs` holding `source` and a dash.toml naming `plugin` (default ./plugin.mjs). */
function project(name: string, source: string, plugin = './plugin.mjs', id?: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plugin.mjs'), source);
  writeFileSync(join(dir, 'dash.toml'), `timezone = "UTC"\n\n[[backends]]\nplugin = "${plugin}"\n${id ? `id = "${id}"\n` : ''}`);
  return join(dir, 'dash.toml');
}

describe('a local plugin with a mistake', () => {
  it('apiVersion given as a string: says it must be a number, not that it is missing', async () => {
    const config = project('string-api', `export default { name: 'dash-plugin-x', apiVersion: '1', optionsSchema: ${SCHEMA}, createBackend() { return { async sync() {} }; } };\n`);
    const result = await runCli(['snapshot', '--json', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('apiVersion as a number (it is "1", a string: write apiVersion: 1)');
    expect(result.stderr).not.toContain('missing apiVersion (number)');
  });

  it('a module that throws a string: the string is shown, not "undefined"', async () => {
    const config = project('throws-string', `throw 'no API key configured';\n`);
    const result = await runCli(['snapshot', '--json', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('it threw "no API key configured"');
    expect(result.stderr).not.toContain('undefined');
  });

  it('a syntax error: the file and line are named', async () => {
    const config = project('syntax', `export default {\n  name: 'dash-plugin-x',\n  apiVersion: 1,\n  createBackend() {\n    return { async sync() { ) } };\n  },\n};\n`);
    const result = await runCli(['snapshot', '--json', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SyntaxError: .*\(.*syntax\/plugin\.mjs:5\)/);
  });

  it('createBackend returning {}: the source shows PLUGIN_INVALID with what is missing, not "backend.sync is not a function"', async () => {
    const config = project('empty-backend', `export default { name: 'dash-plugin-empty', apiVersion: 1, optionsSchema: ${SCHEMA}, createBackend() { return {}; } };\n`);
    const result = await runCli(['snapshot', '--json', '--config', config]);
    expect(result.code).toBe(3);
    const source = JSON.parse(result.stdout).sources[0];
    expect(source.status).toBe('error');
    expect(source.error).toEqual({
      code: 'PLUGIN_INVALID',
      message: 'dash-plugin-empty: createBackend returned an object without a sync function',
      hint: 'createBackend must return { sync(range) { … } } (optionally run, dispose, healthCheck); see docs/writing-a-plugin.md',
    });
    expect(result.stderr).not.toContain('is not a function');
  });
});

describe('default backend ids', () => {
  it('a plugin folder named with or without a trailing slash gets the same id', async () => {
    const dir = join(root, 'ids');
    const pluginDir = join(dir, 'dash-plugin-watson');
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(pluginDir, 'package.json'), JSON.stringify({ name: 'dash-plugin-watson', version: '1.0.0', type: 'module', main: 'index.mjs' }));
    writeFileSync(join(pluginDir, 'index.mjs'), `export default { name: 'dash-plugin-watson', apiVersion: 1, optionsSchema: ${SCHEMA}, createBackend() { return { async sync() {} }; } };\n`);
    const ids: string[] = [];
    for (const spelling of ['./dash-plugin-watson', './dash-plugin-watson/']) {
      const config = join(dir, `config-${ids.length}.toml`);
      writeFileSync(config, `timezone = "UTC"\n\n[[backends]]\nplugin = "${spelling}"\n`);
      const result = await runCli(['snapshot', '--json', '--config', config]);
      expect(result.code, result.stderr).toBe(0);
      ids.push(JSON.parse(result.stdout).sources[0].id);
    }
    expect(ids).toEqual(['watson', 'watson']);
  });
});
