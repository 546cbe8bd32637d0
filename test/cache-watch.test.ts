/**
 * `dash-cli watch` on a warm cache, in a real terminal (tmux): the cached week is on screen at
 * once, marked stale, while the first sync is still in flight; that sync is incremental (the
 * backend got its cursor back from the cache); quitting saves the new cursor. A plugin file that
 * fetches from a loopback server which holds incremental requests until the test lets them go.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheFileFor, readCacheSync } from 'dash-core/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux } from './support/tmux.js';
import { isolatedEnv } from './support/env.js';
import { zoneWithRecentHoursInWeek } from './support/week-zone.js';
import { describeWith, TMUX } from './support/tools.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');

/** Fetches a full week first, then only changes since its cursor (like the Toggl plugin). */
const PLUGIN = resolve(import.meta.dirname, 'fixtures/incremental-http-plugin.mjs');

let root: string;
let config: string;
let env: Record<string, string>;
let server: Server;
const seen: string[] = [];
const held: ServerResponse[] = [];
/** The terminal of the running test (killed before the next starts, and at the end). */
let current: Tmux | undefined;

function answer(response: ServerResponse, since: string): void {
  const now = Math.floor(Date.now() / 1000);
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Ninety minutes, ending an hour ago: in the current week of the config's zone (see week-zone.ts).
  const entries = since ? [] : [{ id: 'e1', start: iso(now - 9000), end: iso(now - 3600), project: { key: 'p', name: 'Cached project' } }];
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ entries, cursor: `cursor-${seen.length}` }));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const since = new URL(request.url!, 'http://x').searchParams.get('since') ?? '';
    seen.push(since);
    if (since) held.push(response);
    else answer(response, since);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  root = mkdtempSync(join(tmpdir(), 'dash-cache-watch-'));
  config = join(root, 'dash.toml');
  copyFileSync(PLUGIN, join(root, 'plugin.mjs'));
  writeFileSync(config, `timezone = "${zoneWithRecentHoursInWeek()}"\n\n[[backends]]\nplugin = "./plugin.mjs"\nid = "fake"\nurl = "http://127.0.0.1:${(server.address() as AddressInfo).port}"\n`);
  env = isolatedEnv(root);
});

afterAll(async () => {
  current?.kill();
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
  rmSync(root, { recursive: true, force: true });
});

/** `dash-cli watch` on the test's config in a fresh 120×40 terminal; "DASH-EXIT:n" when it ends. */
function startWatch(extraEnv: Record<string, string> = {}): Tmux {
  current?.kill();
  current = Tmux.start({
    width: 120,
    height: 40,
    cwd: root,
    // Exactly this environment in the pane, not the tmux server's; our TERM, not tmux's.
    env: { ...env, TERM: 'xterm-256color', ...extraEnv },
    command: `${process.execPath} ${CLI} watch --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60`,
  });
  return current;
}

/**
 * A line of `capture-pane -e` as its cells, each "SGR state|character": tmux writes the same cells
 * with different escape sequences depending on what came before, so the state is replayed.
 */
function styledCells(line: string): string[] {
  const cells: string[] = [];
  let state = new Map<string, string>();
  for (const [, codes, text] of line.matchAll(/(?:\x1b\[([\d;]*)m)?([^\x1b]*)/g)) {
    if (codes !== undefined) {
      const parts = codes === '' ? ['0'] : codes.split(';');
      for (let index = 0; index < parts.length; index++) {
        const code = parts[index]!;
        if (code === '0') state = new Map();
        else if (code === '38' || code === '48') {
          state.set(code, parts.slice(index, index + 3).join(';'));
          index += 2;
        } else if (code === '39') state.delete('38');
        else if (code === '49') state.delete('48');
        else if (/^(?:3|9)[0-7]$/.test(code)) state.set('38', code);
        else if (/^(?:4|10)[0-7]$/.test(code)) state.set('48', code);
        else state.set(code, code);
      }
    }
    const style = [...state.values()].sort().join(',');
    for (const char of text ?? '') cells.push(`${style}|${char}`);
  }
  while (cells.at(-1) === '| ') cells.pop();
  return cells;
}

/** The cursor in the cache, warming it first (a snapshot) when there is none: no test needs another's leftovers. */
async function cachedCursor(): Promise<string> {
  let read = readCacheSync(cacheFileFor(config, env));
  if (read.status !== 'ok') {
    await promisify(execFile)(process.execPath, [CLI, 'snapshot', '--json', '--config', config], { env });
    read = readCacheSync(cacheFileFor(config, env));
  }
  if (read.status !== 'ok') throw new Error(`no cache after a snapshot: ${read.status}`);
  return String(read.cache.store.sources[0]!.cursor);
}

describeWith([TMUX], 'watch on a warm cache', () => {
  it('shows the cached week at once (stale), syncs incrementally, saves the new cursor on quit', async () => {
    // Asynchronously: the server answering it lives in this process.
    const warm = await promisify(execFile)(process.execPath, [CLI, 'snapshot', '--json', '--config', config], { env });
    expect(seen).toEqual(['']);
    expect(JSON.parse(warm.stdout).week.totalSeconds).toBe(5400);

    const tmux = startWatch();
    // The first sync is held by the server: what is on screen can only come from the cache.
    const stale = await tmux.waitFor((screen) => /stale since/.test(screen) && /1h 30m/.test(screen));
    expect(stale).toContain('Cached project');
    // The screen may come before the sync's request arrives: wait for it (polled).
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['', 'cursor-1']);

    // Then the trend's history (the trend is on screen): one ranged sync, from the new cursor.
    await expect
      .poll(() => {
        for (const response of held.splice(0)) answer(response, 'cursor-1');
        return seen;
      }, { timeout: 10_000 })
      .toEqual(['', 'cursor-1', 'cursor-2']);
    await expect
      .poll(() => {
        for (const response of held.splice(0)) answer(response, 'cursor-2');
        return tmux.capture();
      }, { timeout: 10_000 })
      .toMatch(/ok · synced/);
    expect(tmux.capture()).toContain('1h 30m');

    tmux.send('q');
    await tmux.waitFor(/DASH-EXIT:0/);
    expect(seen).toEqual(['', 'cursor-1', 'cursor-2']);
    const read = readCacheSync(cacheFileFor(config, env));
    expect(read.status === 'ok' && read.cache.store.sources[0]!.cursor).toBe('cursor-3');
  });

  it('draws the cached week before the config is validated or any plugin has loaded', async () => {
    const cursor = await cachedCursor();
    const requestsBefore = seen.length;
    const gate = join(root, 'plugin-may-load');
    const tmux = startWatch({ PLUGIN_LOAD_GATE: gate, NO_COLOR: '' });
    // The plugin cannot finish loading until the gate file exists: the cached week is drawn anyway.
    expect(await tmux.waitFor((screen) => /stale since/.test(screen) && /1h 30m/.test(screen))).toContain('Cached project');
    const early = tmux.capture({ colors: true });
    expect(seen.length).toBe(requestsBefore);
    writeFileSync(gate, '');

    // Then the plugin loads and syncs from the saved cursor, and the same dashboard carries on.
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(requestsBefore + 1);
    expect(seen.at(-1)).toBe(cursor);
    // The live dashboard (blessed) is on screen, its sync held: the same week, cell for cell and
    // color for color, as the executable's first frame drew it (watch/ansi-frame.ts): the rows
    // above the panels below the day (the entries and the trend say "loading…" until the store is
    // open), left of those beside it, but for the source's state and the footer (it syncs now).
    await tmux.waitFor(/syncing/);
    const live = tmux.capture({ colors: true });
    const week = (screen: string) => {
      const lines = screen.split('\n');
      const cells = lines.map((line) => styledCells(line).slice(0, 64));
      const panelBelow = cells.findIndex((row) => /Entries|Trend/.test(row.map((cell) => cell.slice(cell.indexOf('|') + 1)).join('')));
      return cells.slice(0, panelBelow).filter((_, y) => !/stale since|syncing/.test(lines[y]!));
    };
    expect(week(live)).toEqual(week(early));
    expect(week(early).flat().filter((cell) => /38;5;\d+|\b3[0-7]\b/.test(cell)).length).toBeGreaterThan(100);
    // In colour the trend is on screen: its history sync (after this one) is held too.
    await expect
      .poll(() => {
        for (const response of held.splice(0)) answer(response, cursor);
        return tmux.capture();
      }, { timeout: 10_000 })
      .toMatch(/ok · synced/);
    tmux.send('q');
    await tmux.waitFor(/DASH-EXIT:0/);
  });

  it('q quits while a plugin is still loading (the early frame does not hold the terminal)', async () => {
    await cachedCursor();
    const tmux = startWatch({ PLUGIN_LOAD_GATE: join(root, 'never-opened') });
    await tmux.waitFor((screen) => /stale since/.test(screen) && /1h 30m/.test(screen));
    tmux.send('q');
    await tmux.waitFor(/DASH-EXIT:0/);
    expect(tmux.pane('alternate_on')).toBe('0');
  });

  it('a plugin gone since the last run: the cached frame, then the terminal back and the error (exit 2)', async () => {
    await cachedCursor();
    renameSync(join(root, 'plugin.mjs'), join(root, 'plugin.mjs.gone'));
    try {
      const tmux = startWatch();
      const screen = await tmux.waitFor(/DASH-EXIT:2/);
      expect(screen).toMatch(/backends\[0\]\.plugin: .*plugin\.mjs/);
      expect(screen).not.toContain('Cached project'); // the dashboard is gone from the screen
      expect(tmux.pane('alternate_on')).toBe('0');
    } finally {
      renameSync(join(root, 'plugin.mjs.gone'), join(root, 'plugin.mjs'));
    }
  });
});
