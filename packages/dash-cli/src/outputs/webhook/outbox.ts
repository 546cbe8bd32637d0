import { createHash } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from 'dash-core';
import { processAlive } from 'dash-core/host';

/** One event waiting to be delivered: `outbox/<id>.json`. */
export interface OutboxRecord {
  id: string;
  type: string;
  /** The exact body every attempt sends (the signature is over it). */
  body: string;
  /** ms since the epoch it was first written; the order of delivery, and its age for the 24 h limit. */
  queuedAt: number;
  /** Breaks ties between events queued in the same millisecond (their order in the process that queued them). */
  seq: number;
  attempts: number;
  /** ms since the epoch of the next attempt (0: at once). */
  nextAttemptAt: number;
  /** ms since the epoch of the first failed attempt, null while none failed. */
  failingSince: number | null;
  /** ms since the epoch of the last attempt (absent before the first). */
  lastAttemptAt?: number;
  lastError: { code: string; message: string } | null;
}

/** `state.json`: what outlives a process besides the queue. */
export interface OutboxState {
  /** Set when the receiver answered 410 Gone: no more deliveries until a test delivery succeeds. */
  disabled: { at: string; reason: string } | null;
  /** ISO instant a test delivery enabled it again (a host disabled earlier than this takes it up). */
  enabledAt?: string;
}

/** A claim on one record, held while an attempt is in flight. */
export interface Claim {
  release(): Promise<void>;
}

/** A claim older than this is taken over even when its process seems alive (the pid was reused). */
export const STALE_CLAIM_MS = 60_000;
/** Delivered ids are remembered this long, so a second Dash process does not send them again. */
export const DELIVERED_RETENTION_MS = 7 * 24 * 60 * 60_000;

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** An event id as a file name: as it is when it is one already (evt_ + hex), else a digest of it. */
function fileKey(id: string): string {
  return SAFE_ID.test(id) ? id : `id_${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The durable outbox of one webhook output, in its dataDir (shared by every Dash process of the
 * user): an event is written (atomically) before any attempt and removed only after a 2xx.
 *   outbox/<id>.json     the event and its retry state
 *   outbox/<id>.lock     the claim of the process attempting it now ({pid, at}; exclusive create)
 *   delivered/<id>       ids delivered in the last 7 days (the same event seen by another process is not sent again)
 *   state.json           disabled (410) or not
 */
export class Outbox {
  readonly #dir: string;
  readonly #records: string;
  readonly #delivered: string;
  #seq = 0;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.#records = join(dataDir, 'outbox');
    this.#delivered = join(dataDir, 'delivered');
  }

  async ensure(): Promise<void> {
    await mkdir(this.#records, { recursive: true, mode: 0o700 });
    await mkdir(this.#delivered, { recursive: true, mode: 0o700 });
  }

  #recordFile(id: string): string {
    return join(this.#records, `${fileKey(id)}.json`);
  }

  #lockFile(id: string): string {
    return join(this.#records, `${fileKey(id)}.lock`);
  }

  #deliveredFile(id: string): string {
    return join(this.#delivered, fileKey(id));
  }

  /**
   * Queues an event unless it is queued or was delivered already (by this or another process).
   * Resolves once the record is on disk. Returns whether it was added.
   */
  async add(event: { id: string; type: string; body: string }, now: number): Promise<boolean> {
    if ((await this.wasDelivered(event.id)) || (await this.read(event.id))) return false;
    const record: OutboxRecord = {
      id: event.id,
      type: event.type,
      body: event.body,
      queuedAt: now,
      seq: this.#seq++,
      attempts: 0,
      nextAttemptAt: 0,
      failingSince: null,
      lastError: null,
    };
    await writeFileAtomic(this.#recordFile(event.id), JSON.stringify(record));
    return true;
  }

  async read(id: string): Promise<OutboxRecord | undefined> {
    return this.#readRecord(this.#recordFile(id));
  }

  async #readRecord(file: string): Promise<OutboxRecord | undefined> {
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as OutboxRecord;
      return typeof value?.id === 'string' && typeof value.body === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every queued record, oldest first. */
  async list(): Promise<OutboxRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.#records);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const records = await Promise.all(names.filter((name) => name.endsWith('.json')).map((name) => this.#readRecord(join(this.#records, name))));
    return records
      .filter((record): record is OutboxRecord => record !== undefined)
      .sort((a, b) => a.queuedAt - b.queuedAt || a.seq - b.seq || (a.id < b.id ? -1 : 1));
  }

  async update(record: OutboxRecord): Promise<void> {
    await writeFileAtomic(this.#recordFile(record.id), JSON.stringify(record));
  }

  async remove(id: string): Promise<void> {
    await unlink(this.#recordFile(id)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  /** Remembers that `id` was delivered (before its record is removed), then removes the record. */
  async delivered(id: string): Promise<void> {
    const handle = await open(this.#deliveredFile(id), 'w', 0o600);
    await handle.close();
    await this.remove(id);
  }

  async wasDelivered(id: string): Promise<boolean> {
    try {
      await stat(this.#deliveredFile(id));
      return true;
    } catch {
      return false;
    }
  }

  /** How many ids were delivered in the retention window (by any process). */
  async deliveredCount(): Promise<number> {
    try {
      return (await readdir(this.#delivered)).length;
    } catch {
      return 0;
    }
  }

  /** Forgets delivered ids older than the retention window. */
  async prune(now: number): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.#delivered);
    } catch {
      return;
    }
    await Promise.all(
      names.map(async (name) => {
        const file = join(this.#delivered, name);
        try {
          if (now - (await stat(file)).mtimeMs > DELIVERED_RETENTION_MS) await unlink(file);
        } catch {
          // Another process pruned it first.
        }
      }),
    );
  }

  /**
   * Claims `id` for one attempt: an exclusive create of its lock file. A lock whose process is gone,
   * or older than STALE_CLAIM_MS, is taken over (renamed aside, then checked to be the one seen, so
   * two processes taking over at once do not both win). Undefined: another process holds it.
   */
  async claim(id: string, now: number = Date.now()): Promise<Claim | undefined> {
    const file = this.#lockFile(id);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify({ pid: process.pid, at: now }));
        } finally {
          await handle.close();
        }
        return { release: () => unlink(file).catch(() => undefined) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await readFile(file, 'utf8').catch(() => undefined);
      if (seen === undefined) continue;
      // Empty: its owner is between creating and writing it (or died there, long ago).
      const age = seen === '' ? now - ((await stat(file).catch(() => undefined))?.mtimeMs ?? now) : 0;
      if (seen === '' ? age <= STALE_CLAIM_MS : !isStale(seen, now)) return undefined;
      const aside = `${file}.stale-${process.pid}`;
      try {
        await rename(file, aside);
      } catch {
        continue;
      }
      const taken = await readFile(aside, 'utf8').catch(() => undefined);
      if (taken !== seen) {
        // Another process re-claimed it between our read and our rename: give its claim back.
        await link(aside, file).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        return undefined;
      }
      await unlink(aside).catch(() => undefined);
    }
    return undefined;
  }

  async readState(): Promise<OutboxState> {
    try {
      const value = JSON.parse(await readFile(join(this.#dir, 'state.json'), 'utf8')) as Partial<OutboxState>;
      return { disabled: value.disabled ?? null, ...(typeof value.enabledAt === 'string' ? { enabledAt: value.enabledAt } : {}) };
    } catch {
      return { disabled: null };
    }
  }

  async writeState(state: OutboxState): Promise<void> {
    await writeFileAtomic(join(this.#dir, 'state.json'), JSON.stringify(state));
  }
}

function isStale(text: string, now: number): boolean {
  try {
    const { pid, at } = JSON.parse(text) as { pid?: unknown; at?: unknown };
    if (typeof pid !== 'number' || typeof at !== 'number') return true;
    return !processAlive(pid) || now - at > STALE_CLAIM_MS;
  } catch {
    return true;
  }
}
