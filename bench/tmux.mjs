// A private tmux server (its own socket) for the terminal benchmarks; killed at the end.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export class Tmux {
  constructor(socket = `dash-bench-${process.pid}`) {
    this.socket = socket;
  }

  static available() {
    return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
  }

  run(...args) {
    const result = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tmux ${args[0]}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Starts `argv` (exec'd, so the pane's pid is the program's) in a detached session. */
  start(name, argv, env, { width, height }) {
    const assignments = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`);
    const command = `exec env -i ${assignments.join(' ')} ${argv.map(shellQuote).join(' ')}`;
    this.run('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), command);
    return Number(this.run('list-panes', '-t', name, '-F', '#{pane_pid}').trim());
  }

  capture(name) {
    return this.run('capture-pane', '-p', '-t', name);
  }

  kill(name) {
    try {
      this.run('kill-session', '-t', name);
    } catch {
      // already gone
    }
  }

  /** Stops this bench's own tmux server (never another one). */
  stop() {
    const path = spawnSync('tmux', ['-L', this.socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout?.trim();
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    if (path) rmSync(path, { force: true });
  }
}

function shellQuote(value) {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / clockTicks();
}

let ticksPerSecond;
export function clockTicks() {
  if (ticksPerSecond === undefined) {
    const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(result.stdout.trim()) || 100;
  }
  return ticksPerSecond;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
