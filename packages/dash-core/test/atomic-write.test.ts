/**
 * writeFileAtomic, deterministically: a writer that fails halfway (a full disk, through a
 * wrapped node:fs/promises, which dash-core loads through builtins.ts) and the rename that
 * replaces the file instead of overwriting it.
 */
import { link, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../src/atomic-write.js';

/** When set, any file written (through open() or writeFile()) takes half the data, then the disk is full. */
const sabotage = vi.hoisted(() => ({ halfway: false }));

vi.mock('../src/builtins.js', async (importOriginal) => {
  const builtins = await importOriginal<typeof import('../src/builtins.js')>();
  const fs = builtins.fsPromises();
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const writeFile = (async (path: Parameters<typeof fs.writeFile>[0], data: string, options?: Parameters<typeof fs.writeFile>[2]) => {
    if (!sabotage.halfway) return fs.writeFile(path, data, options);
    await fs.writeFile(path, data.slice(0, Math.floor(data.length / 2)), options);
    throw full();
  }) as typeof fs.writeFile;
  const open: typeof fs.open = async (path, flags, mode) => {
    const handle = await fs.open(path, flags, mode);
    if (!sabotage.halfway || flags === undefined || flags === 'r') return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'writeFile') {
          return async (data: string) => {
            await target.writeFile(data.slice(0, Math.floor(data.length / 2)), 'utf8');
            throw full();
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as FileHandle;
  };
  return { ...builtins, fsPromises: () => ({ ...fs, open, writeFile }) };
});

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-atomic-'));
  file = join(dir, 'store.json');
});
afterEach(async () => {
  sabotage.halfway = false;
  await rm(dir, { recursive: true, force: true });
});

const OLD = `${JSON.stringify({ version: 'old', padding: 'x'.repeat(4096) })}\n`;
const NEW = `${JSON.stringify({ version: 'new', padding: 'y'.repeat(8192) })}\n`;

describe('writeFileAtomic', () => {
  it('a writer that fails halfway leaves the previous file whole and no temp file', async () => {
    await writeFileAtomic(file, OLD);
    sabotage.halfway = true;
    await expect(writeFileAtomic(file, NEW)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(file, 'utf8')).toBe(OLD);
    expect(await readdir(dir)).toEqual(['store.json']);
  });

  it('a first write that fails halfway leaves no file at all', async () => {
    sabotage.halfway = true;
    await expect(writeFileAtomic(file, NEW)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces the file by a rename (a new inode), never overwriting the one a reader has', async () => {
    await writeFileAtomic(file, OLD);
    const before = await stat(file);
    // A reader that opened the old file (here: a hard link to it) keeps reading the old content whole.
    await link(file, join(dir, 'reader'));
    await writeFileAtomic(file, NEW);
    const after = await stat(file);
    expect(after.ino).not.toBe(before.ino);
    expect(await readFile(file, 'utf8')).toBe(NEW);
    expect(await readFile(join(dir, 'reader'), 'utf8')).toBe(OLD);
    expect((await readdir(dir)).sort()).toEqual(['reader', 'store.json']);
  });

  it('creates the file with mode 0600 by default, or the mode asked for', async () => {
    await writeFileAtomic(file, OLD);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(join(dir, 'other'), '');
    await writeFileAtomic(join(dir, 'other'), OLD, { mode: 0o644 });
    expect((await stat(join(dir, 'other'))).mode & 0o777).toBe(0o644);
  });
});
