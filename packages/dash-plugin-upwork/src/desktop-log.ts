import { open, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The Upwork desktop app's own logs: the only near-real-time "tracker is on" signal known
 * (reference/upwork-api.md §4.2). Undocumented and unversioned, so this reads them defensively
 * and returns undefined whenever it recognises nothing; the work diary is the fallback.
 */

/** The tracker uploads a segment about every 10 minutes; 12 minutes of silence means stopped. */
export const DESKTOP_LOG_FRESH_SECONDS = 12 * 60;

/** Where the app keeps its logs (Linux, macOS, Windows; reference §4.2). */
export function defaultLogFolders(home = homedir()): string[] {
  return [
    join(home, '.Upwork', 'Upwork', 'Logs'),
    join(home, '.config', 'Upwork', 'Logs'),
    join(home, 'Library', 'Application Support', 'Upwork', 'Upwork', 'Logs'),
    join(home, 'AppData', 'Roaming', 'Upwork', 'Logs'),
  ];
}

export interface DesktopLogReading {
  file: string;
  /** Epoch seconds of the newest tracker activity (upload, screenshot, lastTimeWorked). */
  lastActivity: number;
  /** Epoch seconds the current session started, when the log says (current_session_mins). */
  sessionStart: number | undefined;
  /** Whether the log shows the tracker working now. */
  tracking: boolean;
}

const ACTIVITY = /TRACKER_UPLOAD_STARTED|TRACKER_SAVE_USER_ACTIVITY|Screensnap succeeded/i;
const STOPPED = /TRACKER_STOP|tracking stopped|stopTracking|"isTracking"\s*:\s*false/i;
const STAMP = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?/;
const LAST_WORKED = /"?lastTimeWorked"?\s*[:=]\s*"?(\d{9,13})/;
const SESSION = /"?current_session_mins"?\s*[:=]\s*"?(\d+)/;

/** Epoch seconds of a log line's time stamp; a stamp without a zone is the machine's local time. */
function stampOf(line: string): number | undefined {
  const match = STAMP.exec(line);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T${match[2]}${match[3] ?? ''}`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

async function newestLog(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isFile()) return path;
  const names = await readdir(path).catch(() => [] as string[]);
  let best: { file: string; mtime: number } | undefined;
  for (const name of names.filter((item) => item.endsWith('.log'))) {
    const file = join(path, name);
    const fileInfo = await stat(file).catch(() => undefined);
    if (fileInfo?.isFile() && (!best || fileInfo.mtimeMs > best.mtime)) best = { file, mtime: fileInfo.mtimeMs };
  }
  return best?.file;
}

async function tail(file: string, bytes = 256 * 1024): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads the text of a log (exported for tests of the parser). */
export function parseDesktopLog(text: string, nowSeconds: number): Omit<DesktopLogReading, 'file'> | undefined {
  let lastActivity: number | undefined;
  let lastStop: number | undefined;
  let sessionStart: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const at = stampOf(line);
    const worked = LAST_WORKED.exec(line);
    if (worked) {
      const value = Number(worked[1]);
      const seconds = value > 1e11 ? Math.floor(value / 1000) : value;
      if (lastActivity === undefined || seconds > lastActivity) lastActivity = seconds;
    }
    if (at === undefined) continue;
    if (ACTIVITY.test(line) && (lastActivity === undefined || at > lastActivity)) lastActivity = at;
    if (STOPPED.test(line) && (lastStop === undefined || at > lastStop)) lastStop = at;
    const session = SESSION.exec(line);
    // Whole minutes: the count is in minutes, so the start is only known to the minute.
    if (session) sessionStart = Math.floor((at - Number(session[1]) * 60) / 60) * 60;
  }
  if (lastActivity === undefined) return undefined;
  const stopped = lastStop !== undefined && lastStop >= lastActivity;
  const tracking = !stopped && lastActivity <= nowSeconds + 60 && nowSeconds - lastActivity <= DESKTOP_LOG_FRESH_SECONDS;
  return { lastActivity, sessionStart: tracking ? sessionStart : undefined, tracking };
}

/** The newest log in `setting` (true: the app's usual folders; a string: that folder or file). */
export async function readDesktopLog(setting: true | string, nowSeconds: number): Promise<DesktopLogReading | undefined> {
  const places = setting === true ? defaultLogFolders() : [setting.startsWith('~/') ? join(homedir(), setting.slice(2)) : setting];
  for (const place of places) {
    const file = await newestLog(place);
    if (!file) continue;
    const text = await tail(file).catch(() => undefined);
    if (text === undefined) continue;
    const reading = parseDesktopLog(text, nowSeconds);
    if (reading) return { file, ...reading };
  }
  return undefined;
}
