import type { CacheHandle } from 'dash-core/host';
import { parseInstant } from 'dash-core/snapshot';
import { cachedSnapshot } from '../snapshot/cached-week.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { GlobalOptions, Session } from '../setup.js';
import { wantsMono } from '../watch/palette.js';
import { renderDashboard } from '../watch/render.js';
import { Terminal } from '../watch/terminal.js';
import { todayIndex } from '../watch/view.js';

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
 * The first frame, before anything heavy is loaded (zod, the config's validation, plugins): the
 * cached week, every source stale, drawn from the record the last full run saved next to the
 * cache (see snapshot/cached-week.ts). Until the live dashboard takes over (`handOver`), q and Ctrl-C
 * quit at once: a plugin that is slow to load must not hold the user's terminal. Undefined when
 * there is no such record or no terminal; the dashboard then draws once the session is open.
 */
function drawFromCache(options: WatchCommandOptions): { terminal: Terminal; handOver: () => void } | undefined {
  if (options.demo || options.at !== undefined || !process.stdout.isTTY || !process.stdin.isTTY) return undefined;
  const cached = cachedSnapshot({ configFlag: options.config, now: new Date(), maxAgeMs: 0, offline: true });
  if (!cached) return undefined;
  const { snapshot } = cached;
  const mono = wantsMono(process.env, options.color);
  const terminal = new Terminal();
  terminal.setFrameSource(
    (width, height) => renderDashboard({ snapshot, now: new Date(), selectedDay: todayIndex(snapshot), weekOffset: 0, help: false, mono, notice: null }, width, height).canvas,
  );
  const stopKeys = terminal.onKey((key) => {
    if (!(key.ctrl && key.name === 'c') && key.name !== 'q') return;
    terminal.destroy();
    process.exit(key.ctrl ? EXIT.interrupted : EXIT.ok);
  });
  // Whatever else ends the process before the hand-over gives the terminal back too.
  const restore = () => terminal.destroy();
  process.on('exit', restore);
  terminal.render();
  return {
    terminal,
    handOver: () => {
      stopKeys();
      process.off('exit', restore);
    },
  };
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

/** `dash-cli watch`: the live dashboard, until q / Ctrl-C / SIGTERM. */
export async function runWatch(options: WatchCommandOptions): Promise<ExitCode> {
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
  const early = drawFromCache(options);
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(options, now);
  } catch (error) {
    early?.handOver();
    early?.terminal.destroy();
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
  early?.handOver();
  const terminal = early?.terminal ?? new Terminal();
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
