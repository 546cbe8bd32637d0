/**
 * The Upwork plugin's files on this machine: the desktop app's log found in its usual folders,
 * and the token file kept private (0600 in folders created 0700).
 */
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLogFolders, readDesktopLog } from '../src/desktop-log.js';
import { TokenFile, type StoredTokens } from '../src/token-store.js';

const NOW = Date.parse('2026-11-20T17:50:00Z') / 1000;
const ACTIVE = '[2026-11-20T17:49:00Z] TRACKER_UPLOAD_STARTED\n';
const OLD = '[2026-11-20T09:00:00Z] TRACKER_UPLOAD_STARTED\n';

let dir: string;
let home: string | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-files-'));
  home = process.env.HOME;
  process.env.HOME = dir; // os.homedir() follows HOME
});
afterEach(async () => {
  if (home === undefined) delete process.env.HOME;
  else process.env.HOME = home;
  await rm(dir, { recursive: true, force: true });
});

async function log(folder: string, name: string, text: string, mtime: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const file = join(folder, name);
  await writeFile(file, text);
  await utimes(file, new Date(mtime), new Date(mtime));
  return file;
}

describe('desktop app log', () => {
  it('looks in the app\'s folders on Linux (two), macOS and Windows, under the home folder', () => {
    expect(defaultLogFolders('/home/ana')).toEqual([
      '/home/ana/.Upwork/Upwork/Logs',
      '/home/ana/.config/Upwork/Logs',
      '/home/ana/Library/Application Support/Upwork/Upwork/Logs',
      '/home/ana/AppData/Roaming/Upwork/Logs',
    ]);
  });

  it('desktop_app_logs = true reads the newest .log of the first default folder that has one', async () => {
    await log(join(dir, '.config', 'Upwork', 'Logs'), 'older.log', OLD, '2026-11-20T09:00:00Z');
    const newest = await log(join(dir, '.config', 'Upwork', 'Logs'), 'newer.log', ACTIVE, '2026-11-20T17:49:00Z');
    await log(join(dir, '.config', 'Upwork', 'Logs'), 'notes.txt', ACTIVE, '2026-11-20T17:49:30Z');
    expect(await readDesktopLog(true, NOW)).toEqual({ file: newest, lastActivity: NOW - 60, sessionStart: undefined, tracking: true });
    // ~/.Upwork comes first.
    const first = await log(join(dir, '.Upwork', 'Upwork', 'Logs'), 'app.log', OLD, '2026-11-20T09:00:00Z');
    expect(await readDesktopLog(true, NOW)).toMatchObject({ file: first, tracking: false });
  });

  it('a "~/" setting is under the home folder; nothing there is no reading', async () => {
    expect(await readDesktopLog('~/logs', NOW)).toBeUndefined();
    const file = await log(join(dir, 'logs'), 'upwork.log', ACTIVE, '2026-11-20T17:49:00Z');
    expect(await readDesktopLog('~/logs', NOW)).toMatchObject({ file, tracking: true });
    expect(await readDesktopLog(true, NOW)).toBeUndefined();
  });
});

describe('token file', () => {
  it('is written 0600, in folders it creates 0700', async () => {
    const file = new TokenFile(join(dir, 'data', 'dash', 'upwork', 'upwork-token.json'));
    await file.write({ version: 1, access_token: 'a'.repeat(20), refresh_token: 'r'.repeat(20), token_type: 'Bearer', expires_at: '2026-11-21T17:50:00.000Z', obtained_at: '2026-11-20T17:50:00.000Z' } satisfies StoredTokens);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    for (const folder of ['data', 'data/dash', 'data/dash/upwork']) expect((await stat(join(dir, folder))).mode & 0o777, folder).toBe(0o700);
    expect(await file.read()).toMatchObject({ access_token: 'a'.repeat(20) });
  });
});
