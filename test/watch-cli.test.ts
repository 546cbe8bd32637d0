/** `dash-cli watch` refusing to start: no config, or no terminal. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');
let home: string;

function run(args: string[]) {
  // From scratch (isolatedEnv): a DASH_CONFIG or NO_COLOR in the developer's shell changes nothing.
  const env = isolatedEnv(home, { HOME: home });
  return spawnSync(process.execPath, [CLI, ...args], { cwd: home, env, encoding: 'utf8', timeout: 20_000 });
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'dash-watch-cli-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('dash-cli watch without what it needs', () => {
  it('no config and no --demo: exit 2 and how to create one', () => {
    const result = run(['watch']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no config file found');
    expect(result.stderr).toContain('dash-cli init');
    expect(result.stderr).toContain('dash-cli watch --demo');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('stdout not a terminal: exit 2 with a clear message', () => {
    const result = run(['watch', '--demo']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('needs a terminal');
    expect(result.stderr).toContain('snapshot --json');
    expect(result.stdout).toBe('');
  });
});
