import { dirname } from 'node:path';
import { fsPromises } from './builtins.js';
import { sweepTemps, tempNameFor } from './temp-files.js';

/**
 * Writes a file so that readers only ever see the old or the new content, whole: a temp file in
 * the same folder (created with `mode`), fsync, rename over the target, fsync of the folder. A
 * crash or a full disk leaves the previous file untouched and at worst a `*.tmp` file beside it,
 * named with the writer's pid: the next write of the same file removes it once that process is
 * gone (or after ten minutes; see temp-files.ts; `sweep: false` skips that).
 * Used for the cache and for plugins' token files (a lost refresh token means signing in again).
 */
export async function writeFileAtomic(file: string, data: string, options: { mode?: number; sweep?: boolean } = {}): Promise<void> {
  const { mkdir, open, rename, unlink } = fsPromises();
  const mode = options.mode ?? 0o600;
  const folder = dirname(file);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if (options.sweep !== false) sweepTemps(file);
  const temp = tempNameFor(file);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data, 'utf8');
      // The umask can narrow `mode` but an odd file system might ignore it: make sure.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a folder (Windows); the rename itself is still atomic.
  }
}
