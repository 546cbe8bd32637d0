// Shared helpers for `npm run bench` (plain Node ESM, no dependencies).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
export const CORE = join(ROOT, 'packages/dash-core/dist/index.js');
/** dash-core/host: the store, snapshot, cache and plugin host. */
export const HOST = join(ROOT, 'packages/dash-core/dist/host.js');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const ms = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** A row of the results table. status: 'ok' | 'over' | 'info' | 'skip'. */
export function row(id, name, measured, budget, status, note = '') {
  return { id, name, measured, budget, status, note };
}

export function skip(id, name, budget, reason) {
  return row(id, name, `not available: ${reason}`, budget, 'skip');
}

/**
 * A throw-away home for the CLI: HOME and every XDG folder in a temp dir, and a config with
 * the built-in demo backend (a realistic week with a running timer, no network).
 */
export function sandbox(prefix = 'dash-bench-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const config = join(root, 'dash.toml');
  writeFileSync(
    config,
    [
      'timezone = "Europe/Berlin"',
      'week_start = "monday"',
      '',
      '[goals]',
      'weekly = 40',
      'weekly_billable = 30',
      'daily = 8',
      'daily_billable = 6',
      '',
      '[[backends]]',
      'plugin = "demo"',
      'id = "demo"',
      '',
    ].join('\n'),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
  return { root, config, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs a command to completion; returns wall time in ms and its result. */
export function timed(command, args, options = {}) {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ms: performance.now() - start, result };
}

/**
 * Runs a CLI step that must succeed; tries three times (a concurrent `npm run build` in the same
 * checkout may briefly leave dist chunks out of step), then throws with the error's gist.
 */
export async function mustRun(what, command, args, options = {}) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    last = timed(command, args, options);
    if (last.result.status === 0) return last;
    await sleep(1000);
  }
  const gist = (last.result.stderr || '').split('\n').filter((line) => /error|Error/.test(line)).slice(0, 2).join(' / ') || `exit ${last.result.status}`;
  throw new Error(`${what} failed: ${gist.slice(0, 200)}`);
}

export function cliHasCommand(name) {
  const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return new RegExp(`^\\s+${name}\\b`, 'm').test(result.stdout ?? '');
}

export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
