import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig, demoPlugin, openSession, type Session } from 'dash-core/host';
import { WatchApp } from '../src/watch/app.js';
import { Terminal } from '../src/watch/terminal.js';
import { isolateProcessEnv } from '../../../test/support/env.js';

const AT = Date.parse('2026-11-20T15:30:00Z');
let home: string;
let restoreEnv: () => void;

function fakeTty(columns: number, rows: number) {
  const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(mode: boolean) { this.isRaw = mode; } });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns, rows });
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  // blessed writes runs of blanks as cursor moves: turn them back into spaces, drop the rest.
  const text = () => written.replace(/\x1b\[(\d+)C/g, (_, n: string) => ' '.repeat(Number(n))).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  return { input, output, written: text, raw: () => written, reset: () => (written = '') };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'dash-watch-app-'));
  restoreEnv = isolateProcessEnv(home);
});

afterAll(() => {
  restoreEnv();
  rmSync(home, { recursive: true, force: true });
});

describe('WatchApp with the demo backend', () => {
  it('draws on data, redraws only the timer each second, pages weeks and selects days by key (1-7, ↑, ↓), quits on q', async () => {
    const started = Date.now();
    const now = () => new Date(AT + (Date.now() - started));
    const loaded = checkConfig({ goals: { weekly: 40, weekly_billable: 30, daily: 8, daily_billable: 6 }, backends: [{ plugin: 'demo', id: 'demo' }] }, { dir: home });
    const session: Session = await openSession({ loaded, builtins: { demo: demoPlugin }, now });
    const tty = fakeTty(120, 40);
    const terminal = new Terminal({ input: tty.input, output: tty.output, terminal: 'xterm-256color' });
    const quits: number[] = [];
    const app = new WatchApp({ session, terminal, now, mono: false, onQuit: (code) => quits.push(code) });
    try {
      app.start();
      await session.host.start();
      await until(() => app.snapshot.clockedIn.length === 1);
      await until(() => tty.written().includes('Pairing on the API client'));
      expect(app.snapshot.week.start).toBe('2026-11-16');

      // At rest: the second tick writes the timer text only, no new frame.
      const frames = app.frames;
      tty.reset();
      // The next second's tick (polled: whatever it writes, it writes at once).
      await until(() => tty.written().replace(/\x1b[78]/g, '').trim() !== '');
      expect(app.frames).toBe(frames);
      // only the timer's changed digits are written (e.g. "0:47:01" → "0:47:02" writes "2")
      expect(tty.written().replace(/\x1b[78]/g, '').trim()).toMatch(/^\d{1,2}$/);
      expect(tty.raw().length).toBeLessThan(120);

      tty.input.write('\x1b[C'); // →
      await until(() => app.snapshot.week.start === '2026-11-23');
      await until(() => tty.written().includes('(next week)'));
      // paging holds that week in the host's fresh ranges: their run loops keep it and the current week fresh
      const current = session.host.currentWeek();
      expect(session.host.range.from.getTime()).toBe(current.from.getTime());
      expect(session.host.range.to.getTime()).toBe(Date.parse(app.snapshot.days[6]!.hours.at(-1)!.start) + 3_600_000);
      tty.input.write('\x1b[D'); // ←
      await until(() => app.snapshot.week.start === '2026-11-16');
      // back on the current week: the paged week is released
      expect(session.host.range).toEqual(current);
      tty.input.write('2');
      await until(() => tty.written().includes('▶2 Tue 17 Nov'));
      tty.input.write('\x1b[A'); // ↑
      await until(() => tty.written().includes('▶1 Mon 16 Nov'));
      tty.reset();
      tty.input.write('\x1b[B'); // ↓
      await until(() => tty.written().includes('▶2 Tue 17 Nov'));
      tty.reset();
      tty.input.write('\x1b[A\x1b[A'); // ↑ ↑ from Tuesday wraps to Sunday
      await until(() => tty.written().includes('▶7 Sun 22 Nov'));
      tty.reset();
      tty.input.write('\x1b[B'); // ↓ from Sunday wraps to Monday
      await until(() => tty.written().includes('▶1 Mon 16 Nov'));
      // r: sync now (the footer says so while it runs), then a fresh lastSyncAt
      const before = app.snapshot.sources[0]!.lastSyncAt;
      const pressed = Date.now();
      await until(() => Date.now() > pressed); // a later millisecond, so the new lastSyncAt differs
      tty.reset();
      tty.input.write('r');
      await until(() => tty.written().includes('syncing…'));
      await until(() => app.snapshot.sources[0]!.lastSyncAt !== before && app.snapshot.sources[0]!.status === 'ok');
      tty.input.write('q');
      await until(() => quits.length === 1);
      expect(quits).toEqual([0]);
    } finally {
      app.stop();
      terminal.destroy();
      await session.host.stop();
    }
  });
});
