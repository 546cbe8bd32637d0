import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDashError, type Output, type OutputContext, type OutputState, type TimeEntry } from 'dash-core';
import { takeSyncTurn } from 'dash-core/host';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { createInfluxClient, InfluxRequestError, REQUEST_TIMEOUT_MS, type InfluxClient } from './client.js';
import type { InfluxOptions } from './options.js';
import { enqueue, planChanges, type PlanMemo, type PlanOptions } from './plan.js';
import { loadRecord, RECORD_FILE, saveRecord, type PendingOp, type WriteRecord } from './record.js';

/** Knobs the tests turn (the defaults are the product's). */
export interface InfluxTuning {
  backoff?: BackoffOptions;
  timeoutMs?: number;
  resendWindowMs?: number;
}

/**
 * A write acknowledged this long before the database stopped answering is sent again:
 * VictoriaMetrics answers 204 while the data is still in memory (flushed about every second),
 * so a killed VictoriaMetrics loses the last acknowledged batches. Re-sending is harmless:
 * InfluxDB overwrites the same point; VictoriaMetrics run with -dedup.minScrapeInterval keeps one.
 */
export const RESEND_WINDOW_MS = 10_000;

type Outcome = { kind: 'empty' } | { kind: 'sent'; count: number } | { kind: 'failed'; error: unknown };

/**
 * The InfluxDB output: `entries()` diffs the store against the record (plan.ts), adds the
 * changes to the durable pending queue and returns; a background loop sends the queue in
 * batches of `batch_size` lines, oldest first, and drops what the database acknowledged.
 * Retryable failures (network, timeout, 429, 5xx) wait with backoff and try again, for as long
 * as it takes; any other 4xx stops the loop with the error in state() until the next change or
 * restart (sending the same batch again would get the same answer).
 *
 * The record is shared by every Dash process of the user (the data dir is): each change to it
 * (planning, sending a batch and dropping it) reads it, changes it and writes it back holding
 * the data dir's lock (dash-core's takeSyncTurn, broken when its holder dies), so two processes
 * never send the same batch or overwrite each other's record.
 */
export async function createInfluxOutput(options: InfluxOptions, context: OutputContext, tuning: InfluxTuning = {}): Promise<Output> {
  if (options.password) context.secret(options.password);
  if (options.token) context.secret(options.token);
  const log = context.log;
  const backoff = tuning.backoff ?? DEFAULT_BACKOFF;
  const resendWindow = tuning.resendWindowMs ?? RESEND_WINDOW_MS;
  const timeoutMs = tuning.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const client: InfluxClient = createInfluxClient(options, timeoutMs);
  const plan: PlanOptions = {
    measurement: options.measurement,
    instance: context.instance,
    remove: options.server === 'victoriametrics' ? 'delete-series' : 'tombstone',
  };
  // The record names its target: the write URL, the measurement, the removal rule and the instance.
  const target = `${client.target} ${options.measurement} ${plan.remove} ${context.instance}`;
  const recordFile = join(context.dataDir, RECORD_FILE);
  const memo: PlanMemo = new WeakMap();

  const stopper = new AbortController();
  const signal = AbortSignal.any([stopper.signal, context.signal]);
  let delivered = 0;
  let failingSince: string | null = null;
  let lastError: OutputState['lastError'] = null;
  let halted = false;
  /** Pending operations as of the last look at the record. */
  let queued = 0;
  let warned = false;

  /**
   * The record as this process last read or wrote it, and the file's identity then (inode, size,
   * mtime: every save renames a new file in). Read again only when another process wrote it.
   */
  let cached: { record: WriteRecord; file: string } | null = null;
  const identity = async () => {
    try {
      const info = await stat(recordFile);
      return `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return 'none';
    }
  };
  const save = async (record: WriteRecord) => {
    await saveRecord(context.dataDir, record);
    cached = { record, file: await identity() };
  };

  /**
   * Runs `change` on the record as it is on disk, holding the lock; `change` saves what it changed.
   * Sending a batch holds it too (that is what keeps two processes from sending the same batch),
   * so a store change may wait for a request in flight: at most its 15 s timeout.
   */
  async function withRecord<T>(change: (record: WriteRecord) => Promise<T>): Promise<T> {
    for (;;) {
      const turn = await takeSyncTurn(recordFile, { holdMs: timeoutMs * 2 + 10_000 });
      if (turn.kind !== 'sync') continue; // another holder let go: take our own turn
      try {
        const file = await identity();
        let record: WriteRecord;
        if (cached && cached.file === file) record = cached.record;
        else {
          const loaded = await loadRecord(context.dataDir, target);
          if (loaded.problem && !warned) log.warn(loaded.problem);
          warned ||= loaded.problem !== null;
          record = loaded.record;
          cached = { record, file };
        }
        try {
          const result = await change(record);
          queued = record.pending.length;
          return result;
        } catch (error) {
          cached = null; // the copy in memory may be ahead of the file: read the file next time
          throw error;
        }
      } finally {
        turn.lock.release();
      }
    }
  }

  let flushing: Promise<void> | null = null;
  let wake: AbortController | null = null;
  const kick = () => {
    halted = false;
    wake?.abort();
    if (!flushing && !signal.aborted) {
      flushing = flush()
        .catch((error: unknown) => {
          // The record could not be read or saved: stop until the next change, with the reason in state().
          failingSince ??= context.now().toISOString();
          lastError = { code: 'OUTPUT_STATE', message: `stopped sending: ${(error as Error).message}` };
          log.error(lastError.message);
        })
        .finally(() => (flushing = null));
    }
  };

  /** Sends the head of the queue once; drops it when acknowledged. */
  function sendOnce(): Promise<Outcome> {
    return withRecord(async (record): Promise<Outcome> => {
      if (record.pending.length === 0) return { kind: 'empty' };
      const batch = takeBatch(record.pending, options.batch_size);
      try {
        if (batch[0]!.kind === 'delete') await client.deleteSeries(batch[0]!.match, signal);
        else await client.write(batch.map((op) => (op as Extract<PendingOp, { kind: 'write' }>).line), signal);
      } catch (error) {
        // The database went away: what it acknowledged just before may not have reached its disk.
        if (!failingSince && error instanceof InfluxRequestError && error.code === 'NETWORK') {
          const since = context.now().getTime() - resendWindow;
          const recent = record.recent.filter((item) => item.at > since).map((item) => item.op);
          if (recent.length > 0) {
            log.info(`the database stopped answering: sending the ${recent.length} operation(s) it acknowledged in the last ${resendWindow / 1000} s again`);
            record.pending = [...recent, ...record.pending];
            record.recent = [];
            await save(record);
          }
        }
        return { kind: 'failed', error };
      }
      const sent = new Set(batch);
      record.pending = record.pending.filter((op) => !sent.has(op));
      const at = context.now().getTime();
      record.recent = [...record.recent.filter((item) => item.at > at - resendWindow), ...batch.map((op) => ({ at, op }))];
      await save(record);
      return { kind: 'sent', count: batch.length };
    });
  }

  async function flush(): Promise<void> {
    let attempt = 0;
    while (!signal.aborted && !halted) {
      const outcome = await sendOnce();
      if (outcome.kind === 'empty') return;
      if (outcome.kind === 'sent') {
        attempt = 0;
        failingSince = null;
        lastError = null;
        delivered += outcome.count;
        continue;
      }
      if (signal.aborted) return;
      const failure = outcome.error instanceof InfluxRequestError ? outcome.error : null;
      failingSince ??= context.now().toISOString();
      lastError = { code: isDashError(outcome.error) ? outcome.error.code : 'INTERNAL', message: (outcome.error as Error).message };
      if (!failure?.retryable) {
        log.error(`${lastError.message}; ${queued} waiting, tried again on the next change or restart${failure?.hint ? ` (${failure.hint})` : ''}`);
        halted = true;
        return;
      }
      const delay = backoffDelay(attempt++, backoff, failure.retryAfterSeconds);
      log.warn(`${lastError.message}; ${queued} waiting, retrying in ${Math.ceil(delay / 1000)} s`);
      wake = new AbortController();
      // Woken early by a change or by stopping (the abort is the wake-up, not an error); the timer keeps no process alive.
      await sleep(delay, undefined, { signal: AbortSignal.any([signal, wake.signal]), ref: false }).catch(() => undefined);
      wake = null;
    }
  }

  // A restart resumes what was pending (another process may be sending it already: the lock says).
  await withRecord(async (record) => record.pending.length);
  if (queued > 0) kick();

  let updating: Promise<void> = Promise.resolve();
  return {
    async test(testSignal: AbortSignal) {
      try {
        await client.probe(AbortSignal.any([testSignal, signal]));
        return { ok: true, message: `${new URL(options.url).host} accepted an empty write to ${options.database ?? options.bucket}` };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
    entries(entries: readonly TimeEntry[]) {
      const run = updating.then(async () => {
        if (signal.aborted) return;
        await withRecord(async (record) => {
          const changes = planChanges(entries, record.written, plan, memo);
          if (changes.ops.length === 0) return; // (no op: nothing in `written` changed either)
          record.written = changes.written;
          enqueue(record, changes.ops);
          const since = context.now().getTime() - resendWindow;
          record.recent = record.recent.filter((item) => item.at > since);
          if (changes.ops.length > 0) log.debug(`${changes.writes} point(s) to write, ${changes.removals} to remove`);
          // Durable before anything is sent: a crash from here on loses nothing.
          await save(record);
        });
        kick();
      }).catch((error: unknown) => {
        // Not thrown at the host: the error is this output's state (and the log).
        failingSince ??= context.now().toISOString();
        lastError = { code: isDashError(error) ? error.code : 'OUTPUT_STATE', message: `cannot update ${recordFile}: ${(error as Error).message}` };
        log.error(lastError.message);
      });
      updating = run;
      return run;
    },
    state(): OutputState {
      const status = lastError ? 'failing' : queued > 0 ? 'queued' : 'ok';
      return { status, queued, delivered, failingSince, lastError };
    },
    async dispose() {
      // Abort first: a request in flight holds the record's lock. A change not planned yet is
      // planned again from the store on the next start; what is queued stays queued.
      stopper.abort();
      await updating;
      await flushing;
    },
  };
}

/** The first op if it is a delete, else the leading run of writes, at most `size`. */
function takeBatch(pending: readonly PendingOp[], size: number): PendingOp[] {
  if (pending[0]!.kind === 'delete') return [pending[0]!];
  const batch: PendingOp[] = [];
  for (const op of pending) {
    if (op.kind !== 'write' || batch.length >= size) break;
    batch.push(op);
  }
  return batch;
}
