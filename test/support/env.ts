import { join } from 'node:path';

/**
 * The environment of a CLI under test, built from scratch (nothing inherited but PATH, so a
 * developer's DASH_CONFIG, TZ, LANG, NO_COLOR or XDG folders change nothing): HOME and the XDG
 * folders inside `dir`, so it never sees the user's real config, cache or tokens; TZ UTC; a
 * plain UTF-8 locale; no colors; `extra` on top.
 */
export function isolatedEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...inherited(),
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * The environment of a dashboard under test in a real terminal (tmux): HOME and the XDG folders
 * in `home`, the given zone, a 256-colour terminal, a UTF-8 locale, and colours on (no NO_COLOR:
 * these tests check them). Pass it through withOnlyEnv so the tmux server's own adds nothing.
 */
export function terminalEnv(home: string, timeZone: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_STATE_HOME: join(home, 'state'),
    TZ: timeZone,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...fakeClock(),
  };
}

/** libfaketime's variables (none of them read by Dash). */
const FAKE_CLOCK = /^(LD_PRELOAD|FAKETIME.*|DONT_FAKE_MONOTONIC)$/;

/**
 * What every environment under test takes from the runner's: PATH, and the suite's fake clock
 * when it runs under libfaketime (`npm run test:hostile`), so the CLI and the programs a test
 * starts (timew) live in the same faked time as the test that built their data.
 */
export function inherited(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...fakeClock() };
}

/**
 * The runner's environment without the fake clock: for a program that is not under test and
 * that libfaketime slows down or confuses (Chromium's timers: its pages took 15 s to load).
 */
export function realClockEnv(): Record<string, string> {
  return runnerEnv((key) => !FAKE_CLOCK.test(key));
}

function fakeClock(): Record<string, string> {
  return runnerEnv((key) => FAKE_CLOCK.test(key));
}

/** The runner's variables whose names `keep` accepts. */
function runnerEnv(keep: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => keep(entry[0]) && entry[1] !== undefined));
}

/**
 * A shell command line that runs `command` with exactly `env` (`env -i`): for a tmux pane,
 * which would otherwise inherit the tmux server's environment (the test runner's, with
 * whatever the developer's shell exported).
 */
export function withOnlyEnv(env: Record<string, string>, command: string): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const assignments = Object.entries(env).map(([key, value]) => quote(`${key}=${value}`));
  return `exec env -i ${assignments.join(' ')} /bin/sh -c ${quote(command)}`;
}

/** What Dash (or the libraries it uses) reads from the environment, besides PATH. */
const READ_BY_DASH = /^(DASH_.*|XDG_.*|HOME|TZ|LANG|LANGUAGE|LC_.*|NO_COLOR|FORCE_COLOR|TERM|COLORTERM)$/;

/**
 * For tests that run the CLI's code in the test process: replaces every variable Dash reads
 * with isolatedEnv's (a developer's DASH_CONFIG, TZ or LANG is gone) and returns how to put
 * the old ones back. The test runner's own variables stay.
 */
export function isolateProcessEnv(dir: string, extra: Record<string, string> = {}): () => void {
  const saved = Object.fromEntries(Object.entries(process.env).filter(([key]) => READ_BY_DASH.test(key)));
  const clear = () => {
    for (const key of Object.keys(process.env)) if (READ_BY_DASH.test(key)) delete process.env[key];
  };
  clear();
  const { PATH: _path, ...env } = isolatedEnv(dir, extra);
  Object.assign(process.env, env);
  return () => {
    clear();
    Object.assign(process.env, saved);
  };
}
