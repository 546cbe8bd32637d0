/**
 * A real terminal for end-to-end tests: a detached tmux server on its own socket (-L), one pane of
 * a fixed size running a command. Read the screen with capture-pane (-e keeps the colors), type
 * with send-keys, wait by polling the screen (never fixed sleeps), kill the server when done.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { withOnlyEnv } from './env.js';

export interface TmuxOptions {
  width: number;
  height: number;
  /** A shell command line run in the pane (by /bin/sh). */
  command: string;
  /** The pane's whole environment (withOnlyEnv: nothing of the tmux server's or the test runner's). */
  env?: Record<string, string>;
  cwd?: string;
}

export class Tmux {
  readonly socket: string;
  #socketPath: string | undefined;
  #panePid = 0;
  #killed = false;

  private constructor(socket: string) {
    this.socket = socket;
  }

  static start(options: TmuxOptions): Tmux {
    const tmux = new Tmux(`dash-e2e-${process.pid}-${randomBytes(4).toString('hex')}`);
    const command = options.env ? withOnlyEnv(options.env, options.command) : options.command;
    // -f /dev/null: no user config. The pane stays after the command ends, to read what it left.
    tmux.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'e2e', '-x', String(options.width), '-y', String(options.height), ...(options.cwd ? ['-c', options.cwd] : []), command]);
    tmux.run(['set-option', '-t', 'e2e', 'remain-on-exit', 'on']);
    tmux.#socketPath = tmux.run(['display-message', '-p', '#{socket_path}']).trim();
    tmux.#panePid = Number(tmux.pane('pane_pid'));
    return tmux;
  }

  run(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The visible screen as text (with SGR escapes when `colors`). */
  capture(options: { colors?: boolean } = {}): string {
    return this.run(['capture-pane', '-p', ...(options.colors ? ['-e'] : []), '-t', 'e2e']);
  }

  /** A tmux format variable of the pane, e.g. "alternate_on", "pane_dead", "pane_dead_status". */
  pane(variable: string): string {
    return this.run(['display-message', '-p', '-t', 'e2e', `#{${variable}}`]).trim();
  }

  /** Sends keys by tmux name ("Right", "q", "C-c"). */
  send(...keys: string[]): void {
    this.run(['send-keys', '-t', 'e2e', ...keys]);
  }

  /** Types text literally (no key-name lookup). */
  type(text: string): void {
    this.run(['send-keys', '-t', 'e2e', '-l', text]);
  }

  resize(width: number, height: number): void {
    this.run(['resize-window', '-t', 'e2e', '-x', String(width), '-y', String(height)]);
  }

  /**
   * Polls the screen until `check` passes on a settled frame; returns that screen, or throws with
   * the last one. Settled: the same screen twice, 50 ms apart. A capture can land while the program
   * is halfway through writing a frame (top rows new, bottom rows old); a busy machine makes that
   * likely, and asserting on such a torn frame fails for nothing.
   */
  async waitFor(check: string | RegExp | ((screen: string) => boolean), options: { timeoutMs?: number; colors?: boolean } = {}): Promise<string> {
    const test = typeof check === 'function' ? check : (screen: string) => (typeof check === 'string' ? screen.includes(check) : check.test(screen));
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let previous: string | undefined;
    for (;;) {
      const screen = this.capture({ colors: options.colors });
      const passes = test(screen);
      if (passes && screen === previous) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(check)}; screen was:\n${screen}`);
      previous = passes ? screen : undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Polls a pane variable until it has a value. */
  async waitForPane(variable: string, value: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pane(variable) !== value) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${variable}=${value}; screen was:\n${this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Kills the server and waits (up to 5 s) until every process of the pane has exited: a dashboard
   * that gets SIGHUP still saves its cache on the way out, and a test must not remove the folder
   * it is writing to under it.
   */
  kill(): void {
    if (this.#killed) return;
    this.#killed = true;
    try {
      this.run(['kill-server']);
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind
    if (this.#socketPath) rmSync(this.#socketPath, { force: true });
    if (this.#panePid > 0) waitForProcessGroupExit(this.#panePid, 5_000);
  }
}

/** tmux starts each pane's command as a session (and process group) leader. */
function waitForProcessGroupExit(groupId: number, timeoutMs: number): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-groupId, 0);
    } catch {
      return; // ESRCH: no process left in the group
    }
    Atomics.wait(sleeper, 0, 0, 25);
  }
}
