/**
 * Runs the BUILT `dash-cli serve` (npm run build first) on 127.0.0.1 with an OS-assigned port, in
 * its own temp HOME/XDG tree, and talks to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, FIXTURES } from './cli.js';
import { isolatedEnv } from './env.js';

export interface Served {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  token: string;
  /** The address serve printed, token included. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code (SIGKILL after `ms`). */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** A temp folder with HOME/XDG inside; `cleanup` removes it. */
export function serveDir(): { dir: string; env: Record<string, string>; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dash-serve-'));
  return { dir, env: isolatedEnv(dir, { TZ: 'UTC' }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServe(args: readonly string[], options: { env: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), options.timeoutMs ?? 15_000);
    const look = () => {
      const found = /(http:\/\/\S+\/\?token=\S+)/.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', look);
    exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    child,
    url,
    base: parsed.origin,
    token: parsed.searchParams.get('token')!,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: async (signal = 'SIGTERM', ms = 10_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      child.kill(signal);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A config with the file-clock plugin (fixtures/plugins/file-clock-plugin.mjs) reading `state.json` in `dir`. */
export function fileClockConfig(dir: string, extra = ''): { config: string; state: string } {
  const config = join(dir, 'dash.toml');
  const state = join(dir, 'state.json');
  writeFileSync(
    config,
    `timezone = "UTC"\n\n[goals]\nweekly = 40\ndaily = 8\ndaily_billable = 6\n\n[[backends]]\nplugin = ${JSON.stringify(join(FIXTURES, 'plugins', 'file-clock-plugin.mjs'))}\nid = "clock"\nfile = ${JSON.stringify(state)}\n${extra}`,
  );
  return { config, state };
}

/** Rewrites the plugin's file whole (a temp file renamed over it). */
export function writeState(file: string, state: { entries?: unknown[]; running?: unknown }): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with node:http (no keep-alive pool shared between tests). */
export function fetchText(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** An SSE client on node:http: collects frames (id, event, data) and comments as they come. */
export class SseClient {
  readonly frames: { id?: string; event: string; data: string }[] = [];
  comments = 0;
  ended = false;
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  #buffer = '';
  #waiters: (() => void)[] = [];
  #req: ReturnType<typeof request> | undefined;

  static open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.#req = request(url, { headers, agent: false }, (res) => {
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8').on('data', (chunk: string) => client.#feed(chunk));
        res.on('end', () => {
          client.ended = true;
          client.#wake();
        });
        res.on('error', () => {});
        resolve(client);
      });
      client.#req.on('error', (error) => (client.frames.length === 0 && client.status === 0 ? reject(error) : ((client.ended = true), client.#wake())));
      client.#req.end();
    });
  }

  /** Waits until `test` holds (checked after every chunk), at most `ms`. */
  until(test: (client: SseClient) => boolean, ms = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; frames: ${this.frames.map((frame) => frame.event).join(', ')}`)), ms);
      const check = () => {
        if (test(this)) {
          clearTimeout(timer);
          resolve();
        } else this.#waiters.push(check);
      };
      check();
    });
  }

  events(type: string) {
    return this.frames.filter((frame) => frame.event === type);
  }

  close(): void {
    this.#req?.destroy();
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const frame: { id?: string; event: string; data: string } = { event: 'message', data: '' };
      let isFrame = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('id: ')) ((frame.id = line.slice(4)), (isFrame = true));
        else if (line.startsWith('event: ')) ((frame.event = line.slice(7)), (isFrame = true));
        else if (line.startsWith('data: ')) ((frame.data += line.slice(6)), (isFrame = true));
      }
      if (isFrame) this.frames.push(frame);
    }
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}
