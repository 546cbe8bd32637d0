/**
 * `watch --verbose` under tmux (TERM=tmux-256color) used to print a bare "terminal setup: Terminfo
 * not found" on exit. The cause: ncurses 6.1+ compiles tmux-256color (and xterm-256color,
 * screen-256color) in its 32-bit format, which blessed cannot read, so it falls back to its own
 * xterm entry. The line now says that (and that the fallback draws fine), naming the file; an
 * entry in the old 16-bit format (TERM=tmux) gives no line at all.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';
import { inherited } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { describeWith, TMUX } from './support/tools.js';

const home = mkdtempSync(join(tmpdir(), 'dash-terminfo-'));
const sessions: Tmux[] = [];
afterEach(() => sessions.splice(0).forEach((session) => session.kill()));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Where ncurses keeps TERM's entry on this machine, and whether it is in the 32-bit format. */
function entry(term: string): { file: string; wide: boolean } | undefined {
  for (const dir of ['/usr/share/terminfo', '/usr/lib/terminfo', '/lib/terminfo', '/etc/terminfo']) {
    try {
      const bytes = readFileSync(join(dir, term[0]!, term));
      return { file: join(dir, term[0]!, term), wide: bytes.readUInt16LE(0) === 0o1036 };
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

async function watchThenQuit(term: string): Promise<string> {
  const stderr = join(home, `${term}.stderr`);
  const env = { ...inherited(), HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), TZ: 'UTC', LANG: 'C.UTF-8', TERM: term };
  const command = `${process.execPath} ${CLI} watch --demo --verbose 2>${stderr}; echo "DASH-EXIT:$?"; exec sleep 60`;
  const tmux = Tmux.start({ width: 100, height: 30, env, command, cwd: home });
  sessions.push(tmux);
  await tmux.waitFor('q quit', { timeoutMs: 15_000 });
  tmux.send('q');
  await tmux.waitFor('DASH-EXIT:0', { timeoutMs: 10_000 });
  return readFileSync(stderr, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('dash-cli: terminal setup'))
    .join('\n');
}

describeWith([TMUX], 'watch --verbose: the terminal setup line', () => {
  it('TERM=tmux-256color in the 32-bit format: says why blessed cannot read it, and that it draws anyway', async () => {
    const found = entry('tmux-256color');
    if (!found?.wide) return; // an older ncurses: nothing to explain
    const line = await watchThenQuit('tmux-256color');
    expect(line).toBe(
      `dash-cli: terminal setup: the terminfo entry for TERM=tmux-256color (${found.file}) is in the 32-bit format of ncurses 6.1+, which blessed cannot read; ` +
        'blessed draws with its built-in xterm entry instead, which tmux and xterm-compatible terminals understand',
    );
    expect(line).not.toContain('Terminfo not found');
  });

  it('TERM=tmux (a 16-bit entry blessed reads): no terminal setup line', async () => {
    const found = entry('tmux');
    if (!found || found.wide) return;
    expect(await watchThenQuit('tmux')).toBe('');
  });
});

describe('the machine has what the tests above need', () => {
  it('an ncurses tmux-256color entry (ncurses-base)', () => {
    expect(entry('tmux-256color')).toBeDefined();
  });
});
