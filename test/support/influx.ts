/**
 * For the InfluxDB output's tests: a real OutputContext (data dir in a temp folder, a silent
 * logger), and real databases on 127.0.0.1 random ports, in temp dirs: Debian's `influxd`
 * (InfluxDB 1.6, v1 API) and `victoria-metrics`. Each can be killed and started again on the
 * same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OutputContext } from 'dash-core';
import { silentLogger } from 'dash-core/host';
import { freePort } from './programs.js';
import type { Tool } from './tools.js';

export const INFLUXD: Tool = { program: 'influxd', aptPackage: 'influxdb' };
export const VICTORIA_METRICS: Tool = { program: 'victoria-metrics', aptPackage: 'victoria-metrics' };

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestContext extends OutputContext {
  /** Values the output registered as secrets. */
  readonly secrets: string[];
  /** Stops the output (the host stopping). */
  stop(): void;
}

export function outputContext(dataDir: string, options: { id?: string; instance?: string; now?: () => Date } = {}): TestContext {
  mkdirSync(dataDir, { recursive: true });
  const controller = new AbortController();
  const secrets: string[] = [];
  return {
    id: options.id ?? 'influx',
    instance: options.instance ?? 'test-host',
    log: silentLogger,
    now: options.now ?? (() => new Date()),
    configDir: dataDir,
    dataDir,
    secret: (value) => secrets.push(value),
    signal: controller.signal,
    secrets,
    stop: () => controller.abort(),
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Database {
  url: string;
  dir: string;
  /** Starts (again) on the same port and data dir; resolves when it answers. */
  start(): Promise<void>;
  /** SIGKILL, and waits for the process to be gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function managed(url: string, dir: string, command: string, args: string[], ready: () => Promise<boolean>): Database {
  let child: ChildProcess | null = null;
  const gone = (process: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (process.exitCode !== null || process.signalCode !== null) resolve();
      else process.once('exit', () => resolve());
    });
  return {
    url,
    dir,
    async start() {
      const log = join(dir, `${command}.log`);
      writeFileSync(log, '', { flag: 'a' });
      child = spawn(command, args, { stdio: 'ignore', cwd: dir });
      const started = child;
      await waitFor(`${command} on ${url}`, async () => {
        if (started.exitCode !== null) throw new Error(`${command} exited with ${started.exitCode}`);
        return (await ready()) ? true : undefined;
      }, 30_000);
    },
    async kill() {
      const process = child;
      child = null;
      if (!process) return;
      process.kill('SIGKILL');
      await gone(process);
    },
    async stop() {
      const process = child;
      child = null;
      if (!process) return;
      process.kill('SIGTERM');
      await gone(process);
    },
  };
}

const answers = async (url: string, status: number): Promise<boolean> => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === status;
  } catch {
    return false;
  }
};

/** InfluxDB 1.6 with everything on loopback and in `dir`; `database` created once it is up. */
export async function influxDatabase(dir: string, options: { auth?: boolean } = {}): Promise<Database> {
  const http = await freePort();
  const rpc = await freePort();
  const url = `http://127.0.0.1:${http}`;
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]',
      `  dir = ${JSON.stringify(join(dir, 'meta'))}`,
      '[data]',
      `  dir = ${JSON.stringify(join(dir, 'data'))}`,
      `  wal-dir = ${JSON.stringify(join(dir, 'wal'))}`,
      '  query-log-enabled = false',
      '[http]',
      '  enabled = true',
      `  bind-address = "127.0.0.1:${http}"`,
      '  log-enabled = false',
      `  auth-enabled = ${options.auth === true}`,
      '[monitor]',
      '  store-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '[subscriber]',
      '  enabled = false',
      '[logging]',
      '  level = "error"',
      '',
    ].join('\n'),
  );
  return managed(url, dir, 'influxd', ['-config', config], () => answers(`${url}/ping`, 204));
}

/** VictoriaMetrics on loopback, data in `dir`, retention long enough for any test date. */
export async function victoriaDatabase(dir: string, extra: string[] = []): Promise<Database> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return managed(
    url,
    dir,
    'victoria-metrics',
    [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, 'data')}`, '-retentionPeriod=100y', '-loggerLevel=ERROR', ...extra],
    () => answers(`${url}/health`, 200),
  );
}

/** InfluxQL over HTTP: the first statement's series. */
export async function influxQuery(
  url: string,
  database: string,
  query: string,
  auth?: { username: string; password: string },
): Promise<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const response = await fetch(`${url}/query?${new URLSearchParams({ db: database, q: query, epoch: 's' })}`, { method: 'POST', headers });
  const body = (await response.json()) as { results: { series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]; error?: string }[]; error?: string };
  if (!response.ok || body.error || body.results[0]?.error) throw new Error(`InfluxQL ${query}: ${body.error ?? body.results[0]?.error ?? response.status}`);
  return body.results[0]?.series ?? [];
}

/** VictoriaMetrics' /api/v1/export: one object per series, raw samples. */
export async function victoriaExport(url: string, match: string): Promise<{ metric: Record<string, string>; values: number[]; timestamps: number[] }[]> {
  const response = await fetch(`${url}/api/v1/export`, { method: 'POST', body: new URLSearchParams({ 'match[]': match }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`export ${match}: ${response.status} ${text}`);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] });
}
