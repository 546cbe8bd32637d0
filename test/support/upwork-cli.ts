/** Helpers for Upwork tests that run the built CLI in a child process with a private HOME. */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../packages/dash-cli/dist/bin.cjs');

export { isolatedEnv } from './env.js';

/** Writes a dash config with one Upwork backend (id "upwork") and returns its path. */
export async function writeUpworkConfig(dir: string, backend: Record<string, unknown>, top = 'timezone = "America/New_York"'): Promise<string> {
  const lines = Object.entries(backend).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
  const file = join(dir, 'dash.toml');
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${top}\n\n[[backends]]\nplugin = "upwork"\nid = "upwork"\n${lines.join('\n')}\n`);
  return file;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to the end (with a time limit). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dash-cli ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
