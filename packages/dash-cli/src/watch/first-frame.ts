import { parseArgs } from 'node:util';
import { cachedSnapshot } from '../snapshot/cached-week.js';
import { EXIT } from '../exit-codes.js';
import { ansiFrame } from './ansi-frame.js';
import { says256Colors } from './color-index.js';
import { wantsMono } from './palette.js';
import { renderDashboard } from './render.js';
import { todayIndex } from './view.js';

/** What the live dashboard takes over from the first frame. */
export interface FirstFrame {
  /** Stops the first frame's keys and resize: the live dashboard's terminal draws from now on. */
  handOver(): void;
  /** Gives the terminal back (the main screen, the cursor, cooked input): the full CLI failed. */
  leave(): void;
}

/** `watch`'s options that the first frame reads; any other one, and the full CLI alone decides. */
const WATCH_OPTIONS = {
  config: { type: 'string', short: 'c' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';

/**
 * watch's first frame, drawn by the executable (bin.cjs) before the full CLI, blessed, zod, the
 * config's validation or any plugin has loaded: the cached week (every source stale), from the
 * record the last full run saved next to the cache (snapshot/cached-week.ts), rendered as the
 * dashboard renders it and written with plain escape sequences (ansi-frame.ts). Until the live
 * dashboard takes over, q and Ctrl-C quit at once and a resize redraws: a plugin that is slow to
 * load must not hold the user's terminal.
 *
 * Undefined, having written nothing, when it cannot draw exactly what the dashboard would: no
 * terminal, TERM=dumb, a terminal not known to show 256 colors, --demo or --at (their clock and
 * data are not the cache's), an option it does not know, no cache that answers as is.
 */
export function drawFirstFrame(argv: readonly string[]): FirstFrame | undefined {
  const input = process.stdin;
  const output = process.stdout;
  // TERM=dumb (no cursor movement) is one of the terminals not known to show 256 colors.
  if (!output.isTTY || !input.isTTY || !says256Colors(process.env)) return undefined;
  let values;
  try {
    let positionals;
    ({ values, positionals } = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: WATCH_OPTIONS }));
    if (positionals.length !== 1 || positionals[0] !== 'watch') return undefined;
  } catch {
    return undefined;
  }
  const cached = cachedSnapshot({ configFlag: values.config, now: new Date(), maxAgeMs: 0, offline: true });
  if (!cached) return undefined;
  const { snapshot } = cached;
  const mono = wantsMono(process.env, values['no-color'] === true ? false : undefined);
  const frame = () => {
    const view = { snapshot, now: new Date(), selectedDay: todayIndex(snapshot), weekOffset: 0, help: false, mono, notice: null };
    return ansiFrame(renderDashboard(view, output.columns, output.rows).canvas);
  };
  // Drawn before the terminal is touched: a frame that cannot be drawn leaves it as it was.
  const first = frame();
  const draw = () => output.write(frame());
  const onKey = (chunk: Buffer) => {
    const text = chunk.toString('latin1');
    if (text.includes('\x03')) quit(EXIT.interrupted);
    else if (text.includes('q') && !text.includes('\x1b')) quit(EXIT.ok);
  };
  const stop = () => {
    input.off('data', onKey);
    output.off('resize', draw);
    process.off('exit', leave);
  };
  // Input as it was before (blessed, taking over, turns raw mode on and reads the keys itself).
  const release = () => {
    stop();
    input.setRawMode(false);
    input.pause();
  };
  const leave = () => {
    release();
    output.write(LEAVE);
  };
  const quit = (code: number) => {
    leave();
    process.exit(code);
  };
  input.setRawMode(true);
  input.on('data', onKey);
  output.on('resize', draw);
  // Whatever else ends the process before the hand-over gives the terminal back too.
  process.on('exit', leave);
  output.write(ENTER + first);
  return { handOver: release, leave };
}
