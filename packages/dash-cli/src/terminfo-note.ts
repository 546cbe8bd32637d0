import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Why blessed (the drawing library) reported "Terminfo not found." or "Terminfo parse error.", for
 * `watch --verbose`. Its cause is almost always the same: ncurses 6.1 and later compile entries
 * whose numbers do not fit 16 bits (xterm-256color's, tmux-256color's, screen-256color's:
 * pairs#0x10000) in a 32-bit format (magic 01036) that blessed predates. It then misreads the
 * entry and falls back to its own built-in xterm one, which draws fine in tmux and xterm-compatible
 * terminals (and Dash restores the 256 colors TERM promises). So: say that, not a bare error.
 */
export function terminfoNote(error: string, env: NodeJS.ProcessEnv = process.env): string {
  return explain(error, env).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'); // TERM is the environment's text: safe for a terminal
}

function explain(error: string, env: NodeJS.ProcessEnv): string {
  const term = env.TERM ?? 'xterm-256color';
  const file = terminfoFile(term, env);
  const fallback = "blessed draws with its built-in xterm entry instead, which tmux and xterm-compatible terminals understand";
  if (file === undefined) return `no terminfo entry for TERM=${term} was found; ${fallback}`;
  if (magic(file) === 0o1036) {
    return `the terminfo entry for TERM=${term} (${file}) is in the 32-bit format of ncurses 6.1+, which blessed cannot read; ${fallback}`;
  }
  return `blessed could not use the terminfo entry for TERM=${term} (${file}: ${error.replace(/\.$/, '')}); ${fallback}`;
}

/** Where an ncurses-style lookup finds TERM's entry (the folders blessed searches, in its order). */
function terminfoFile(term: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [
    env.TERMINFO,
    ...(env.TERMINFO_DIRS ?? '').split(':'),
    env.HOME && join(env.HOME, '.terminfo'),
    '/usr/share/terminfo',
    '/usr/share/lib/terminfo',
    '/usr/lib/terminfo',
    '/usr/local/share/terminfo',
    '/usr/local/lib/terminfo',
    '/lib/terminfo',
    '/etc/terminfo',
  ].filter((dir): dir is string => typeof dir === 'string' && dir !== '');
  for (const dir of dirs) {
    for (const sub of [term[0]!, term.charCodeAt(0).toString(16)]) {
      const file = join(dir, sub, term);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

function magic(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const bytes = Buffer.alloc(2);
    return readSync(fd, bytes, 0, 2, 0) === 2 ? bytes.readUInt16LE(0) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
