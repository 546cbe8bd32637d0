/** Where the example finds Timewarrior's database when the config does not say (as timew does). */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateDatabase } from '../src/database.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'dash-timew-db-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('locateDatabase', () => {
  it('the option first: absolute, ~/ under HOME, else relative to the config\'s folder', () => {
    const env = { HOME: home, TIMEWARRIORDB: '/elsewhere' };
    expect(locateDatabase('/abs/timew', '/cfg', env)).toBe('/abs/timew');
    expect(locateDatabase('~/tw', '/cfg', env)).toBe(join(home, 'tw'));
    expect(locateDatabase('~', '/cfg', env)).toBe(home);
    expect(locateDatabase('tw', '/cfg', env)).toBe('/cfg/tw');
  });

  it('then $TIMEWARRIORDB, even when ~/.timewarrior exists', () => {
    mkdirSync(join(home, '.timewarrior'));
    expect(locateDatabase(undefined, '/cfg', { HOME: home, TIMEWARRIORDB: join(home, 'db') })).toBe(join(home, 'db'));
  });

  it('then ~/.timewarrior if it exists, before the XDG folder', () => {
    mkdirSync(join(home, '.timewarrior'));
    mkdirSync(join(home, '.local', 'share', 'timewarrior'), { recursive: true });
    expect(locateDatabase(undefined, '/cfg', { HOME: home })).toBe(join(home, '.timewarrior'));
  });

  it('then $XDG_DATA_HOME/timewarrior, or ~/.local/share/timewarrior without XDG_DATA_HOME, if it exists', () => {
    mkdirSync(join(home, '.local', 'share', 'timewarrior'), { recursive: true });
    expect(locateDatabase(undefined, '/cfg', { HOME: home })).toBe(join(home, '.local', 'share', 'timewarrior'));
    mkdirSync(join(home, 'xdg', 'timewarrior'), { recursive: true });
    expect(locateDatabase(undefined, '/cfg', { HOME: home, XDG_DATA_HOME: join(home, 'xdg') })).toBe(join(home, 'xdg', 'timewarrior'));
  });

  it('else ~/.timewarrior (Timewarrior 1.4\'s default) when none exists', () => {
    expect(locateDatabase(undefined, '/cfg', { HOME: home, XDG_DATA_HOME: join(home, 'xdg') })).toBe(join(home, '.timewarrior'));
  });
});
