/**
 * Issue 10, items 2–4, as a user meets them: a plugin that hangs, leaves timers behind or throws
 * where nobody catches it must not silence, hang or crash `dash-cli`; output that cannot be
 * written is an error. Real processes of the built CLI, a local plugin written against dash-core's
 * public API (support/rogue-plugin.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from 'dash-core/host';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { rogueProject, type RogueMode } from './support/rogue-plugin.js';

const AT = '2026-11-20T12:00:00Z';
const NO_STACK = /\n\s+at /;
const root = mkdtempSync(join(tmpdir(), 'dash-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function project(modes: Record<string, RogueMode>): string {
  return rogueProject(mkdtempSync(join(root, `p${count++}-`)), modes);
}

/** `snapshot --json --at AT --timeout 1s` on a config; the elapsed wall time too. */
async function snapshot(config: string, extra: string[] = [], env: Record<string, string> = {}) {
  const started = Date.now();
  const result = await runCli(['snapshot', '--json', '--at', AT, '--timeout', '1s', '--config', config, ...extra], { timeoutMs: 15_000, env });
  return { ...result, ms: Date.now() - started };
}

function sources(stdout: string): Snapshot['sources'] {
  return (JSON.parse(stdout) as Snapshot).sources;
}

describe('item 2: a plugin cannot silence or hang a command', () => {
  it('a dispose that never settles: the JSON is printed, exit 0, a warning names the source', async () => {
    const result = await snapshot(project({ good: 'ok', stuck: 'hang-dispose' }));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(sources(result.stdout).map((source) => [source.id, source.status])).toEqual([['good', 'ok'], ['stuck', 'ok']]);
    expect((JSON.parse(result.stdout) as Snapshot).week.totalSeconds).toBe(7200); // the two overlap: counted once
    expect(result.stderr).toBe('warning: stuck: dispose did not finish within 1s; moving on\n');
    expect(result.ms).toBeLessThan(6_000);
  });

  it('a dispose that never settles and leaves an interval running: the process still exits', async () => {
    const result = await snapshot(project({ lingers: 'linger-dispose' }));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(sources(result.stdout)).toEqual([expect.objectContaining({ id: 'lingers', status: 'ok' })]);
    expect(result.stderr).toContain('lingers: dispose did not finish within 1s');
    expect(result.ms).toBeLessThan(6_000);
  });

  it('a sync and a dispose that both hang: the sync times out (exit 3), the rest is printed', async () => {
    const result = await snapshot(project({ good: 'ok', stuck: 'hang-sync' }));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(3);
    expect(sources(result.stdout)).toEqual([
      expect.objectContaining({ id: 'good', status: 'ok' }),
      expect.objectContaining({ id: 'stuck', status: 'error', error: { code: 'BACKEND_TIMEOUT', message: 'no answer within 1s' } }),
    ]);
    expect(result.ms).toBeLessThan(7_000);
  });

  it('a createBackend that never returns (and keeps a timer): exit 3 within the timeout', async () => {
    const result = await snapshot(project({ good: 'ok', stuck: 'hang-create' }));
    expect(result.code).toBe(3);
    expect(sources(result.stdout)[1]).toEqual(
      expect.objectContaining({ id: 'stuck', status: 'error', error: { code: 'BACKEND_TIMEOUT', message: 'did not start within 1s' } }),
    );
    expect(result.ms).toBeLessThan(6_000);
  });

  it('doctor: a healthCheck and a dispose that hang are bounded by --timeout', async () => {
    const started = Date.now();
    const result = await runCli(['doctor', '--json', '--timeout', '1s', '--config', project({ stuck: 'hang-health' })], { timeoutMs: 15_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as { backends: { id: string; code: string; message: string }[] };
    expect(report.backends).toEqual([expect.objectContaining({ id: 'stuck', code: 'BACKEND_TIMEOUT', message: 'no answer within 1s' })]);
    expect(result.stderr).toContain('stuck: dispose did not finish within 1s');
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});

describe("item 3: a plugin's stray error is that backend's error", () => {
  it('a throw in a timer of one backend: the others are printed, it is BACKEND_CRASHED, exit 3, no stack', async () => {
    const result = await snapshot(project({ good: 'ok', crashy: 'timer-throw' }));
    expect(result.code).toBe(3);
    const [good, crashy] = sources(result.stdout);
    expect(good).toEqual(expect.objectContaining({ id: 'good', status: 'ok' }));
    expect(crashy).toEqual(expect.objectContaining({ id: 'crashy', status: 'error', error: { code: 'BACKEND_CRASHED', message: expect.stringMatching(/JSON/) } }));
    expect((JSON.parse(result.stdout) as Snapshot).week.projects.map((item) => item.name)).toContain('Rogue good');
    expect(result.stderr).toBe(`dash-cli: crashy: ${crashy!.error!.message}\n`);
    expect(result.stderr).not.toMatch(NO_STACK);
  });

  it('a rejection nobody handles: the same, and at once (not after the sync would have ended)', async () => {
    const result = await snapshot(project({ crashy: 'reject', good: 'ok' }));
    expect(result.code).toBe(3);
    expect(sources(result.stdout)).toEqual([
      expect.objectContaining({ id: 'crashy', status: 'error', error: { code: 'BACKEND_CRASHED', message: 'nobody handles this' } }),
      expect.objectContaining({ id: 'good', status: 'ok' }),
    ]);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.ms).toBeLessThan(2_900); // the rejecting sync would take 3 s
  });

  it('doctor: a healthCheck whose timer throws is that backend\'s verdict', async () => {
    const result = await runCli(['doctor', '--json', '--config', project({ crashy: 'health-timer-throw' })], { timeoutMs: 15_000 });
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as { backends: { id: string; ok: boolean; code: string; message: string }[] };
    expect(report.backends).toEqual([expect.objectContaining({ id: 'crashy', ok: false, code: 'BACKEND_CRASHED', message: 'health check blew up' })]);
  });

  it('auth: a throw in the sign-in step\'s timer fails the sign-in (exit 4), no stack', async () => {
    const result = await runCli(['auth', 'crashy', '--config', project({ crashy: 'auth-timer-throw' })], { timeoutMs: 15_000 });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe('signing in\ndash-cli: sign-in for "crashy" failed: the callback server blew up\n');
  });

  it('no backend to blame (a plugin module\'s top-level timer): one line, exit 1; the stack only with --verbose', async () => {
    const config = project({ good: 'ok' });
    const plain = await snapshot(config, [], { ROGUE_MODULE_CRASH: '1' });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toBe('dash-cli: internal error: module-level boom\n');
    const verbose = await snapshot(config, ['--verbose'], { ROGUE_MODULE_CRASH: '1' });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain('dash-cli: internal error: module-level boom\nError: module-level boom\n    at ');
  });
});

/** Runs the CLI with stdout on `fd`; resolves with the exit code and stderr. */
function runWithStdout(args: string[], fd: number | 'pipe', onStdout?: (stream: NodeJS.ReadableStream) => void): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(root, 'io-'));
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...isolatedEnv(dir), TZ: 'UTC' }, stdio: ['ignore', fd, 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (child.stdout && onStdout) onStdout(child.stdout);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('item 4: output that cannot be written is an error', () => {
  const commands: [string, string[]][] = [
    ['snapshot --json', ['snapshot', '--json', '--demo', '--at', AT]],
    ['snapshot (summary)', ['snapshot', '--demo']],
    ['doctor --json', ['doctor', '--json']],
    ['plugins --json', ['plugins', '--json', '--demo']],
    ['init', ['init', '--no-input', '--toggl', '--timezone', 'UTC']],
  ];
  for (const [name, args] of commands) {
    it(`${name} > /dev/full: exit 1, one line on stderr`, async () => {
      const full = openSync('/dev/full', 'w');
      try {
        const result = await runWithStdout(args, full);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^dash-cli: could not write the output to stdout: ENOSPC: no space left on device, write\n$/m);
        expect(result.stderr).not.toMatch(NO_STACK);
      } finally {
        closeSync(full);
      }
    });
  }

  it('a reader that closes the pipe early (| head -c1) is not an error: quiet, exit 0', async () => {
    const result = await runWithStdout(['snapshot', '--json', '--demo', '--at', AT], 'pipe', (stream) => {
      stream.once('data', () => (stream as unknown as { destroy(): void }).destroy());
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
