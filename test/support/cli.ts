/**
 * Runs the BUILT dash-cli (`npm run build` first) as a user would: a real process, its own temp
 * HOME and XDG folders (never the user's real config, data or cache), a fixed TZ and locale,
 * an environment built from scratch (isolatedEnv).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isolatedEnv } from './env.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'packages', 'dash-cli', 'dist', 'bin.cjs');
export const FIXTURES = join(REPO, 'test', 'fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: a fresh temp folder with nothing in it). */
  cwd?: string;
  /** TZ for the process (default UTC). */
  tz?: string;
  /** Extra environment; HOME/XDG_* point to a temp folder unless given here. */
  env?: Record<string, string | undefined>;
  /** Kill the process after this long (default 20 s). */
  timeoutMs?: number;
  /** Send this signal once stderr or stdout shows `after` (e.g. Ctrl-C once a sync started). */
  interrupt?: { signal: NodeJS.Signals; after: RegExp };
}

/** Runs `node dash-cli/dist/bin.cjs ...args`; resolves when it exits (never rejects on exit codes). */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const home = await mkdtemp(join(tmpdir(), 'dash-cli-home-'));
  try {
    // From scratch: nothing of the developer's environment but PATH (see env.ts).
    const env: NodeJS.ProcessEnv = { ...isolatedEnv(home, { TZ: options.tz ?? 'UTC' }), ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const check = () => {
      if (options.interrupt && !interrupted && options.interrupt.after.test(stdout + stderr)) {
        interrupted = true;
        child.kill(options.interrupt.signal);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), check()));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), check()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.on('error', fail);
      child.on('close', (exitCode, exitSignal) => done([exitCode, exitSignal]));
    });
    clearTimeout(timer);
    return { code, signal, stdout, stderr };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
