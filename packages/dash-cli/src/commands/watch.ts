import { DashError, isDashError, type CacheHandle } from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { reportError } from '../report.js';
import { openCachedSession, openSession, type GlobalOptions, type Session } from '../setup.js';
import { WatchApp } from '../watch/app.js';
import { wantsMono } from '../watch/palette.js';
import { Terminal } from '../watch/terminal.js';

export interface WatchCommandOptions extends GlobalOptions {
  color?: boolean;
  /** Start the dashboard's clock at this instant (it keeps ticking); for demos and tests. */
  at?: string;
}

function clockFrom(at: string | undefined): () => Date {
  if (at === undefined) return () => new Date();
  const start = new Date(at);
  if (Number.isNaN(start.getTime())) {
    throw new DashError('USAGE', `--at "${at}" is not a date-time`, { hint: 'use ISO 8601, e.g. --at 2026-11-20T15:30:00Z' });
  }
  const started = Date.now();
  return () => new Date(start.getTime() + (Date.now() - started));
}

/**
 * The session, on the persisted cache: the dashboard draws the cached week at once (stale until
 * the first sync, which is incremental) and saves back as it changes. `--at` (a moved clock)
 * neither reads nor writes the cache.
 */
async function open(options: WatchCommandOptions, now: () => Date): Promise<{ session: Session; cache?: CacheHandle }> {
  try {
    if (options.at !== undefined) return { session: await openSession({ ...options, now }) };
    const { session, cache, warning } = await openCachedSession({ ...options, now });
    if (warning) process.stderr.write(`dash-cli: warning: ${warning}\n`);
    return { session, cache };
  } catch (error) {
    if (isDashError(error) && error.code === 'CONFIG_NOT_FOUND') {
      throw new DashError('CONFIG_NOT_FOUND', error.message, {
        hint: 'create one with `dash-cli init` (or write ~/.config/dash/config.toml, see README), point to one with --config PATH, or try the demo: `dash-cli watch --demo`',
      });
    }
    throw error;
  }
}

/** `dash-cli watch`: the live dashboard, until q / Ctrl-C / SIGTERM. */
export async function runWatch(options: WatchCommandOptions): Promise<ExitCode> {
  const now = clockFrom(options.at);
  const { session, cache } = await open(options, now);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    await session.host.stop();
    await cache?.close();
    throw new DashError('USAGE', 'watch draws a full-screen dashboard and needs a terminal (stdin and stdout are not both a TTY)', {
      hint: 'for scripts and status bars use `dash-cli snapshot --json`',
    });
  }
  const terminal = new Terminal();
  let finish!: (code: ExitCode) => void;
  const done = new Promise<ExitCode>((resolve) => (finish = resolve));
  let quitting = false;
  const app = new WatchApp({
    session,
    terminal,
    now,
    mono: wantsMono(process.env, options.color),
    onQuit: (code) => quit(code as ExitCode),
  });

  function restore(): void {
    app.stop();
    terminal.destroy();
  }
  function quit(code: ExitCode): void {
    if (quitting) return;
    quitting = true;
    restore();
    finish(code);
  }
  const onSignal = () => quit(EXIT.interrupted);
  const onCrash = (error: unknown) => {
    restore();
    process.exitCode = reportError(error, { verbose: options.verbose === true, redactor: session.redactor });
    process.exit();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  try {
    app.start();
    await session.host.start();
    const code = await done;
    await session.host.stop();
    await cache?.close();
    return code;
  } finally {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    if (options.verbose && (terminal.startupNoise || terminal.terminfoError)) {
      process.stderr.write(`dash-cli: terminal setup: ${terminal.terminfoError ?? 'terminfo warnings suppressed'}\n`);
    }
  }
}
