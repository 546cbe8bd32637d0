import { Store, type DashConfig } from 'dash-core/host';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../src/setup.js';
import { REFRESH_COOLDOWN_MS, WatchApp } from '../src/watch/app.js';
import type { Canvas } from '../src/watch/canvas.js';
import type { KeyEvent, Terminal } from '../src/watch/terminal.js';

/** A host whose syncs end when the test says so, counting every request to sync. */
function fakeHost() {
  const pending: (() => void)[] = [];
  return {
    calls: 0,
    pending,
    requestSync() {
      this.calls++;
      return new Promise<never[]>((resolve) => pending.push(() => resolve([])));
    },
    finish() {
      for (const end of pending.splice(0)) end();
    },
    /** The trend's one history sync at start (not a manual refresh). */
    historySyncs: 0,
    syncOnce() {
      this.historySyncs++;
      return Promise.resolve([]);
    },
  };
}

function fakeTerminal() {
  let frame: ((width: number, height: number) => Canvas) | undefined;
  let keys: ((key: KeyEvent) => void) | undefined;
  const terminal = {
    setFrameSource: (source: typeof frame) => (frame = source),
    onKey: (listener: typeof keys) => ((keys = listener), () => {}),
    render: () => {},
    patch: () => {},
  };
  return {
    terminal: terminal as unknown as Terminal,
    press: (ch: string) => keys!({ name: ch, ch, ctrl: false }),
    screen: () => frame!(120, 40).text(),
  };
}

const config: DashConfig = {
  file: undefined,
  dir: '/',
  timezone: 'UTC',
  weekStart: 'monday',
  workdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  goals: {},
  colors: {},
  backends: [],
  secrets: [],
} as unknown as DashConfig;

let app: WatchApp | undefined;
afterEach(() => app?.stop());

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('watch: r (sync now) is debounced', () => {
  it('fifteen presses send one sync; while it runs and for 5 s after, r only says "wait"', async () => {
    let clock = Date.parse('2026-11-20T15:30:00Z');
    const host = fakeHost();
    const session = { config, store: new Store(), host } as unknown as Session;
    const tty = fakeTerminal();
    app = new WatchApp({ session, terminal: tty.terminal, now: () => new Date(clock), mono: true, onQuit: () => {} });
    app.start();

    for (let press = 0; press < 15; press++) tty.press('r');
    expect(host.calls).toBe(1);
    expect(app.refreshes).toEqual({ sent: 1, ignored: 14 });
    expect(tty.screen()).toContain('syncing… — wait');

    clock += 700;
    host.finish();
    await settle();
    expect(tty.screen()).not.toContain('syncing');

    clock += 3_000;
    tty.press('r');
    expect(host.calls).toBe(1);
    expect(tty.screen()).toContain('synced 3s ago — wait');

    clock += REFRESH_COOLDOWN_MS - 3_000;
    tty.press('r');
    expect(host.calls).toBe(2);
    expect(tty.screen()).toContain('syncing…');
    expect(app.refreshes).toEqual({ sent: 2, ignored: 15 });
  });
});
