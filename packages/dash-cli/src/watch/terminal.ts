import { createRequire } from 'node:module';
import { Canvas, type Cell, type Color } from './canvas.js';
import { colorIndex, says256Colors } from './color-index.js';

// Only the parts of blessed we use (its index loads all forty widgets: ~4 MB and 30 files more),
// with require, not import: blessed is CommonJS (see cli.ts on why that is faster).
const require = createRequire(import.meta.url);
const blessed = {
  program: require('blessed/lib/program') as (typeof import('blessed'))['program'],
  screen: require('blessed/lib/widgets/screen') as (typeof import('blessed'))['screen'],
};

/** A cell with the terminal's default colours. */
const BLANK_ATTR = (0x1ff << 9) | 0x1ff;

/**
 * Sets one cell of blessed's screen buffer in place: a frame allocates nothing per cell (blessed
 * copies what it drew into its own buffer, so the arrays are ours to reuse).
 */
function writeCell(line: [number, string][], x: number, attr: number, ch: string): void {
  const slot = line[x];
  if (slot) {
    slot[0] = attr;
    slot[1] = ch;
  } else line[x] = [attr, ch];
}

/** The part of blessed's screen we use (its typings don't cover `lines`/`draw`). */
interface BlessedScreen {
  width: number;
  height: number;
  lines: ([number, string][] & { dirty?: boolean })[];
  program: { tput: { colors: number; error?: Error }; isAlt: boolean };
  destroyed?: boolean;
  render(): void;
  draw(start: number, end: number): void;
  destroy(): void;
  on(event: string, listener: (...args: any[]) => void): void;
  off(event: string, listener: (...args: any[]) => void): void;
}

export interface KeyEvent {
  name: string;
  ch: string | undefined;
  ctrl: boolean;
}

export interface TerminalOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** terminfo name; default $TERM, else xterm-256color. */
  terminal?: string;
}

/**
 * The terminal: a blessed screen (alternate screen, raw keys, resize, blessed's diffing writer)
 * that shows our Canvas. No blessed widgets: each frame's cells are written straight into the
 * screen buffer, and blessed writes only the cells that changed.
 */
export class Terminal {
  readonly screen: BlessedScreen;
  /** Anything blessed printed while starting (terminfo noise), kept off the screen. */
  readonly startupNoise: string;
  /** A terminfo problem blessed recovered from by falling back to a bundled entry, if any. */
  readonly terminfoError: string | null;
  #frame: Canvas | null = null;
  readonly #colorCache = new Map<string, number>();
  #drawFrame: (width: number, height: number) => Canvas = (width, height) => this.#frame ?? new Canvas(width, height);

  constructor(options: TerminalOptions = {}) {
    const captured: string[] = [];
    const restore = captureStderr(captured);
    try {
      // `extended: false`: blessed does not parse the extended terminfo capabilities, among them
      // the Setulc that newer ncurses ships and blessed mis-compiles (a multi-line dump on stderr).
      const program = blessed.program({
        input: options.input ?? process.stdin,
        output: options.output ?? process.stdout,
        terminal: options.terminal ?? process.env.TERM ?? 'xterm-256color',
        extended: false,
        buffer: true,
        zero: true,
        resizeTimeout: 100,
      } as never);
      this.screen = blessed.screen({
        program,
        smartCSR: true,
        fullUnicode: false,
        forceUnicode: true,
        autoPadding: false,
        warnings: false,
        resizeTimeout: 100,
      } as never) as unknown as BlessedScreen;
    } finally {
      restore();
    }
    // Draw our UTF-8 glyphs as they are: blessed would swap some (·, ─) for the terminal's
    // line-drawing charset (ACS), which tmux and others show as "~" or "q".
    (this.screen.program.tput as { brokenACS?: boolean }).brokenACS = true;
    // blessed cannot parse current ncurses entries and silently falls back to a bundled one,
    // often with 8 colors: trust the environment when it says the terminal has more.
    const tput = this.screen.program.tput;
    if (tput.colors < 256 && says256Colors(process.env)) tput.colors = 256;
    this.startupNoise = captured.join('');
    this.terminfoError = this.screen.program.tput.error?.message ?? null;
    this.screen.on('prerender', () => this.#paint(this.#drawFrame(this.screen.width, this.screen.height)));
  }

  get width(): number {
    return this.screen.width;
  }

  get height(): number {
    return this.screen.height;
  }

  get colors(): number {
    return this.screen.program.tput.colors;
  }

  /** The function that gives the frame for a size; called on every render (and on resize). */
  setFrameSource(source: (width: number, height: number) => Canvas): void {
    this.#drawFrame = source;
  }

  /** Draws the current frame (blessed writes only what changed). */
  render(): void {
    if (!this.screen.destroyed) this.screen.render();
  }

  /** Redraws a few cells of a canvas already shown (the timers), without a full render. */
  patch(canvas: Canvas, spots: readonly { x: number; y: number; width: number }[]): void {
    if (this.screen.destroyed || spots.length === 0) return;
    let first = Infinity;
    let last = -1;
    for (const spot of spots) {
      const line = this.screen.lines[spot.y];
      if (!line) continue;
      for (let x = spot.x; x < spot.x + spot.width && x < line.length; x++) {
        const cell = canvas.cell(x, spot.y);
        if (cell) writeCell(line, x, this.#attr(cell), cell.ch);
      }
      line.dirty = true;
      first = Math.min(first, spot.y);
      last = Math.max(last, spot.y);
    }
    if (last >= 0) this.screen.draw(first, last);
  }

  /** Calls `listener` on every key; returns what stops it. */
  onKey(listener: (key: KeyEvent) => void): () => void {
    const onKeypress = (ch: string | undefined, key: { name?: string; ctrl?: boolean; full?: string } | undefined) => {
      listener({ name: key?.name ?? ch ?? '', ch, ctrl: key?.ctrl ?? false });
    };
    this.screen.on('keypress', onKeypress);
    return () => this.screen.off('keypress', onKeypress);
  }

  onResize(listener: () => void): void {
    this.screen.on('resize', listener);
  }

  /** Leaves the alternate screen and gives the terminal back as it was. Safe to call twice. */
  destroy(): void {
    if (!this.screen.destroyed) this.screen.destroy();
  }

  #color(color: Color): number {
    if (color === null) return 0x1ff;
    let index = this.#colorCache.get(color);
    if (index === undefined) {
      index = colorIndex(color);
      // Below 256 colors blessed folds the grey ramp into black: keep greys visible.
      if (this.colors < 256 && index >= 232) index = index < 244 ? 8 : 7;
      this.#colorCache.set(color, index);
    }
    return index;
  }

  #attr(cell: Cell): number {
    const flags = (cell.bold ? 1 : 0) | (cell.inverse ? 8 : 0);
    return (flags << 18) | (this.#color(cell.fg) << 9) | this.#color(cell.bg);
  }

  #paint(canvas: Canvas): void {
    this.#frame = canvas;
    const lines = this.screen.lines;
    for (let y = 0; y < lines.length; y++) {
      const line = lines[y]!;
      for (let x = 0; x < line.length; x++) {
        const cell = canvas.cell(x, y);
        writeCell(line, x, cell ? this.#attr(cell) : BLANK_ATTR, cell ? cell.ch : ' ');
      }
      line.dirty = true;
    }
  }
}

/** Collects what is written to stderr (and console.error) until the returned function is called. */
function captureStderr(into: string[]): () => void {
  const write = process.stderr.write;
  const consoleError = console.error;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => {
    into.push(`${args.map(String).join(' ')}\n`);
  };
  return () => {
    process.stderr.write = write;
    console.error = consoleError;
  };
}
