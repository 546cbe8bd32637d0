import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Canvas } from '../src/watch/canvas.js';
import { hexTo256 } from '../src/watch/color-index.js';
import { Terminal } from '../src/watch/terminal.js';

/** A fake TTY pair of a fixed size; everything written is kept. */
function fakeTty(columns: number, rows: number) {
  const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(mode: boolean) { this.isRaw = mode; } });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns, rows });
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  return { input, output, written: () => written, reset: () => (written = '') };
}

/** Whether the terminfo database has `name` (what blessed would read). */
function hasTerminfo(name: string): boolean {
  try {
    execFileSync('infocmp', ['-x', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

let terminal: Terminal | undefined;
afterEach(() => {
  terminal?.destroy();
  terminal = undefined;
});

describe('hexTo256', () => {
  it('maps to the nearest of the color cube and the grey ramp', () => {
    expect(hexTo256('#06aaf5')).toBe(39);
    expect(hexTo256('#e36a00')).toBe(166);
    expect(hexTo256('#3a3a3a')).toBe(237);
    expect(hexTo256('#585858')).toBe(240);
    expect(hexTo256('#ffffff')).toBe(231);
    expect(hexTo256('#000000')).toBe(16);
  });
});

describe('Terminal (blessed on a fake TTY)', () => {
  it('draws a canvas: characters, 256-color fg/bg, bold; then only what changed', async () => {
    const tty = fakeTty(40, 10);
    terminal = new Terminal({ input: tty.input, output: tty.output, terminal: 'xterm-256color' });
    expect(terminal.width).toBe(40);
    expect(terminal.height).toBe(10);
    const canvas = new Canvas(40, 10);
    canvas.put(2, 3, 'Hello', { fg: '#06aaf5', bold: true });
    canvas.put(2, 4, '▀', { fg: '#e36a00', bg: '#3a3a3a' });
    terminal.setFrameSource(() => canvas);
    terminal.render();
    await flush();
    const out = tty.written();
    expect(out).toContain('\x1b[?1049h'); // alternate screen
    expect(out).toContain('Hello');
    expect(out).toContain('1;38;5;39m'); // #06aaf5, bold
    expect(out).toContain('48;5;237;38;5;166m'); // ▀ on #3a3a3a (grey 237, not black) in #e36a00
    expect(out).not.toContain('Error on');
    // nothing changed: blessed writes nothing
    tty.reset();
    terminal.render();
    await flush();
    expect(tty.written().replace(/\x1b\[\?25[lh]/g, '')).toBe('');
    // a patch writes only its row
    tty.reset();
    canvas.put(2, 3, 'Howdy', { fg: '#06aaf5', bold: true });
    terminal.patch(canvas, [{ x: 2, y: 3, width: 5 }]);
    await flush();
    expect(tty.written()).toContain('owdy');
    expect(tty.written()).not.toContain('▀');
  });

  it('restores the terminal on destroy: leaves the alternate screen, shows the cursor', async () => {
    const tty = fakeTty(40, 10);
    terminal = new Terminal({ input: tty.input, output: tty.output, terminal: 'xterm-256color' });
    terminal.setFrameSource(() => new Canvas(40, 10));
    terminal.render();
    await flush();
    tty.reset();
    terminal.destroy();
    await flush();
    expect(tty.written()).toContain('\x1b[?1049l');
    expect(tty.written()).toContain('\x1b[?25h');
    expect(tty.input.isRaw).toBe(false);
  });

  it('keeps blessed terminfo noise off stderr while starting', ({ skip }) => {
    // Without the entry blessed falls back quietly and the test would pass for nothing.
    if (!hasTerminfo('tmux-256color')) skip('no tmux-256color terminfo entry on this machine (ncurses-term)');
    const writes: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const tty = fakeTty(40, 10);
      // tmux-256color from ncurses 6.4 has a plab_norm blessed cannot compile: it dumps "Error on …".
      terminal = new Terminal({ input: tty.input, output: tty.output, terminal: 'tmux-256color' });
    } finally {
      process.stderr.write = original;
    }
    expect(writes.join('')).toBe('');
  });
});
