import type { CacheHandle } from 'dash-core/host';
import { parseInstant } from 'dash-core/snapshot';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { GlobalOptions, Session } from '../setup.js';
import { wantsMono } from '../watch/palette.js';
import type { FirstFrame } from '../watch/first-frame.js';
import { Terminal } from '../watch/terminal.js';

export interface WatchCommandOptions extends GlobalOptions {
  color?: boolean;
  /** Start the dashboard's clock at this instant (it keeps ticking); for demos and tests. */
  at?: string;
}

async function clockFrom(at: string | undefined): Promise<() => Date> {
  if (at === undefined) return () => new Date();
  const start = parseInstant(at) ?? (await import('../option-values.js')).parseAtOption(at)!;
  const started = Date.now();
  return () => new Date(start.getTime() + (Date.now() - started));
}

/**
 * The session, on the persisted cache: the dashboard draws the cached week at once (stale until
 * the first sync, which is incremental) and saves back as it changes. `--at` (a moved clock)
 * neither reads nor writes the cache.
 */
async function open(options: WatchCommandOptions, now: () => Date): Promise<{ session: Session; cache?: CacheHandle }> {
  const [{ DashError, isDashError }, { openCliSession }] = await Promise.all([import('dash-core'), import('../setup.js')]);
  try {
    const session = await openCliSession({ ...options, now, outputs: true, ...(options.at === undefined ? { cache: {} } : {}) });
    if (session.cacheWarning) process.stderr.write(`dash-cli: warning: ${session.cacheWarning}\n`);
    return { session, ...(session.cache ? { cache: session.cache } : {}) };
  } catch (error) {
    if (isDashError(error) && error.code === 'CONFIG_NOT_FOUND') {
      throw new DashError('CONFIG_NOT_FOUND', error.message, {
        hint: 'create one with `dash-cli init` (or write ~/.config/dash/config.toml, see README), point to one with --config PATH, or try the demo: `dash-cli watch --demo`',
      });
    }
    throw error;
  }
}

/**
 * `dash-cli watch`: the live dashboard, until q / Ctrl-C / SIGTERM. `firstFrame`: the cached week
 * the executable already drew (watch/first-frame.ts), shown until the dashboard takes over.
 */
export async function runWatch(options: WatchCommandOptions, firstFrame?: FirstFrame): Promise<ExitCode> {
  // TERM=dumb: a terminal without cursor movement (an editor's shell buffer, some CI logs).
  if (process.env.TERM === 'dumb') {
    const { DashError } = await import('dash-core');
    throw new DashError('USAGE', 'watch draws a full-screen dashboard, and TERM=dumb says this terminal cannot show one', {
      hint: 'run it in a full terminal, or use `dash-cli snapshot` for a plain summary (`--json` for scripts)',
    });
  }
  const clock = await clockFrom(options.at);
  // The demo outside working hours shows a working afternoon ("demo time" in the title): see demo-clock.ts.
  let shiftMs = 0;
  const now = () => (shiftMs === 0 ? clock() : new Date(clock().getTime() + shiftMs));
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(options, now);
  } catch (error) {
    firstFrame?.leave();
    throw error;
  }
  const { session, cache } = opened;
  let clockNote: string | null = null;
  if (options.demo && options.at === undefined) {
    const { demoClock } = await import('../watch/demo-clock.js');
    const shown = demoClock(clock().getTime(), session.config.timezone, session.config.workdays);
    if (shown !== null) {
      shiftMs = shown - clock().getTime();
      clockNote = 'demo time';
    }
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    await session.host.stop();
    await cache?.close();
    const { DashError } = await import('dash-core');
    throw new DashError('USAGE', 'watch draws a full-screen dashboard and needs a terminal (stdin and stdout are not both a TTY)', {
      hint: 'for scripts and status bars use `dash-cli snapshot --json`',
    });
  }
  const [{ WatchApp }, { beforeFatal }, { startOutputs }] = await Promise.all([import('../watch/app.js'), import('../crash.js'), import('../outputs/host.js')]);
  firstFrame?.handOver();
  const terminal = new Terminal();
  let finish!: (code: ExitCode) => void;
  const done = new Promise<ExitCode>((resolve) => (finish = resolve));
  let quitting = false;
  const app = new WatchApp({
    session,
    terminal,
    now,
    mono: wantsMono(process.env, options.color),
    clockNote,
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
  // A signal while shutting down (the backends get a few seconds to stop) ends it at once: the
  // terminal is already restored.
  const onSignal = () => (quitting ? process.exit(EXIT.interrupted) : quit(EXIT.interrupted));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  // A backend's crash becomes its error on the dashboard (crash.ts); Dash's own gives the terminal back first.
  const undoFatal = beforeFatal(restore);
  // Their warnings would draw over the dashboard: only --verbose (stderr redirected) shows them;
  // `dash-cli outputs` tells how they are doing.
  const outputs = startOutputs(session, now, options.verbose ? {} : { log: (await import('dash-core/host')).silentLogger });
  try {
    app.start();
    // q during a slow createBackend quits without waiting for it.
    await Promise.race([session.host.start(), done]);
    const code = await done;
    await outputs?.stop();
    await session.host.stop();
    await cache?.close();
    return code;
  } finally {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
    undoFatal();
    if (options.verbose && (terminal.startupNoise || terminal.terminfoError)) {
      // blessed's own words ("Terminfo not found.") explain nothing: say why, and that it is harmless.
      const note = terminal.terminfoError ? (await import('../terminfo-note.js')).terminfoNote(terminal.terminfoError) : 'terminfo warnings suppressed';
      process.stderr.write(`dash-cli: terminal setup: ${note}\n`);
    }
  }
}
