import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Snapshot } from 'dash-core/snapshot';
import { cachedSnapshot } from '../snapshot/cached-week.js';
import { renderStatus, type StatusFormat } from './formats.js';

export interface FollowRequest {
  format: StatusFormat;
  /** --config, if given. */
  configFlag?: string | undefined;
  /** --demo: the built-in demo, which has no cache of its own: every update is a snapshot beside. */
  demo?: boolean | undefined;
  /** --offline: never sync, show the cache as it is. */
  offline: boolean;
  /** --max-age, in ms. */
  maxAgeMs?: number | undefined;
  /**
   * The arguments (after `snapshot --json`) of the `dash-cli` that syncs when the cache cannot
   * answer: --config, --demo, --max-age, --timeout, --offline, --verbose as given.
   */
  syncArgs: string[];
  write(text: string): void;
  /** Where a sync's messages go (each distinct run of them once). */
  warn(text: string): void;
}

/** The options of `status --follow` that its syncing `dash-cli snapshot --json` takes too. */
export function syncArgsOf(options: { config?: string | undefined; demo?: boolean | undefined; maxAge?: string | undefined; timeout?: string | undefined; offline?: boolean | undefined; verbose?: boolean | undefined }): string[] {
  return [
    ...(options.config !== undefined ? ['--config', options.config] : []),
    ...(options.demo ? ['--demo'] : []),
    ...(options.maxAge !== undefined ? ['--max-age', options.maxAge] : []),
    ...(options.timeout !== undefined ? ['--timeout', options.timeout] : []),
    ...(options.offline ? ['--offline'] : []),
    ...(options.verbose ? ['--verbose'] : []),
  ];
}

/** After a cache write, the file settles (rename, then the next writer) for this long before it is read. */
const SETTLE_MS = 150;

/** How long until the next minute starts (+ a little): elapsed and today's totals change then. */
export function untilNextMinute(now: number): number {
  return 60_000 - (now % 60_000) + 50;
}

/**
 * `dash-cli status --follow`: one line per real change for a bar that keeps the process (waybar,
 * polybar's tail, i3blocks' persist, SwiftBar's streamable). It reads what a running `watch`,
 * `serve` or another status/snapshot writes to the cache, woken by the cache file changing and
 * by the minute; when the cache cannot answer (stale, another config, nothing yet) it runs one
 * `dash-cli snapshot --json` beside itself, which syncs within the usual quota rules (max age,
 * one sync at a time across processes) and writes the cache. So this process never loads zod,
 * TOML or a plugin: at rest it sleeps until the next minute or the next cache write.
 *
 * Resolves with the exit code when the first snapshot cannot be had (a config error: the child
 * said why on stderr), or with 'session' when the config has [[outputs]]: they need a running
 * session (follow-session.ts), which the caller then opens. Otherwise it runs until the process
 * ends (SIGTERM, SIGINT, a closed pipe).
 */
export async function followStatus(request: FollowRequest): Promise<number | 'session'> {
  let last: string | undefined;
  let lastWarning = '';
  let watcher: FSWatcher | undefined;
  let watched: string | undefined;
  let wake: (() => void) | undefined;
  let settle: NodeJS.Timeout | undefined;

  const follow = (cacheFile: string) => {
    if (watched === cacheFile) return;
    watcher?.close();
    watched = cacheFile;
    try {
      watcher = watch(dirname(cacheFile), { persistent: false }, (_event, name) => {
        if (name !== basename(cacheFile)) return;
        clearTimeout(settle);
        settle = setTimeout(() => wake?.(), SETTLE_MS);
      });
    } catch {
      watcher = undefined; // no folder yet: the minute tick still comes
      watched = undefined;
    }
  };

  for (let first = true; ; first = false) {
    let snapshot: Snapshot | undefined;
    const cached = request.demo ? undefined : cachedSnapshot({ configFlag: request.configFlag, now: new Date(), maxAgeMs: request.maxAgeMs, offline: request.offline });
    if (cached?.record.hasOutputs) return 'session';
    if (cached) {
      snapshot = cached.snapshot;
      follow(cached.record.cacheFile);
    } else {
      const synced = await snapshotBeside(request.syncArgs);
      if (synced.stderr !== lastWarning) {
        if (synced.stderr) request.warn(synced.stderr);
        lastWarning = synced.stderr;
      }
      if (!synced.snapshot && first) return synced.code;
      snapshot = synced.snapshot;
      // The child wrote the cache (and its record): follow it from now on.
      const written = request.demo ? undefined : cachedSnapshot({ configFlag: request.configFlag, now: new Date(), offline: true });
      if (written?.record.hasOutputs) return 'session';
      if (written) follow(written.record.cacheFile);
    }
    if (snapshot) {
      const text = renderStatus(snapshot, request.format);
      if (text !== last) request.write(text);
      last = text;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, untilNextMinute(Date.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
}

/** Runs `dash-cli snapshot --json …` as a child and parses what it printed. */
function snapshotBeside(args: string[]): Promise<{ snapshot: Snapshot | undefined; code: number; stderr: string }> {
  return new Promise((resolve) => {
    // Loaded here: a follower whose cache stays fresh never needs it.
    const { spawn } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
    const child = spawn(process.execPath, [process.argv[1]!, 'snapshot', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ snapshot: undefined, code: 1, stderr: `dash-cli: could not run a sync: ${error.message}\n` }));
    child.on('close', (code) => {
      let snapshot: Snapshot | undefined;
      try {
        snapshot = JSON.parse(Buffer.concat(out).toString('utf8')) as Snapshot;
      } catch {
        snapshot = undefined;
      }
      resolve({ snapshot, code: code ?? 1, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
