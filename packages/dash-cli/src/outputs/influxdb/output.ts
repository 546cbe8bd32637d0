import { isDashError, type Output, type OutputContext, type OutputState, type TimeEntry } from 'dash-core';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './backoff.js';
import { createInfluxClient, InfluxRequestError, REQUEST_TIMEOUT_MS, type InfluxClient } from './client.js';
import type { InfluxOptions } from './options.js';
import { enqueue, planChanges, type PlanOptions } from './plan.js';
import { loadRecord, saveRecord, type PendingOp, type WriteRecord } from './record.js';

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

/**
 * The InfluxDB output: `entries()` diffs the store against the record (plan.ts), adds the
 * changes to the durable pending queue and returns; a background loop sends the queue in
 * batches of `batch_size` lines, oldest first, and drops what the database acknowledged.
 * Retryable failures (network, timeout, 429, 5xx) wait with backoff and try again, for as long
 * as it takes; any other 4xx stops the loop with the error in state() until the next change or
 * restart (sending the same batch again would get the same answer).
 */
export async function createInfluxOutput(options: InfluxOptions, context: OutputContext, tuning: InfluxTuning = {}): Promise<Output> {
  if (options.password) context.secret(options.password);
  if (options.token) context.secret(options.token);
  const log = context.log;
  const backoff = tuning.backoff ?? DEFAULT_BACKOFF;
  const resendWindow = tuning.resendWindowMs ?? RESEND_WINDOW_MS;
  const client: InfluxClient = createInfluxClient(options, tuning.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const plan: PlanOptions = {
    measurement: options.measurement,
    instance: context.instance,
    remove: options.server === 'victoriametrics' ? 'delete-series' : 'tombstone',
  };
  // The record names its target: the write URL, the measurement and the removal rule.
  const target = `${client.target} ${options.measurement} ${plan.remove} ${context.instance}`;
  const loaded = await loadRecord(context.dataDir, target);
  if (loaded.problem) log.warn(loaded.problem);
  const record: WriteRecord = loaded.record;

  const stopper = new AbortController();
  const signal = AbortSignal.any([stopper.signal, context.signal]);
  let delivered = 0;
  let failingSince: string | null = null;
  let lastError: OutputState['lastError'] = null;
  let halted = false;

  // Saves are serialized; each writes the record as it is when its turn comes.
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.then(() => saveRecord(context.dataDir, record)).catch((error: unknown) => {
      log.error(`cannot save the record in ${context.dataDir}: ${(error as Error).message}`);
    });
    return saving;
  };

  let flushing: Promise<void> | null = null;
  let wake: AbortController | null = null;
  const kick = () => {
    halted = false;
    wake?.abort();
    if (!flushing && !signal.aborted) flushing = flush().finally(() => (flushing = null));
  };

  async function flush(): Promise<void> {
    let attempt = 0;
    while (!signal.aborted && !halted && record.pending.length > 0) {
      const batch = takeBatch(record.pending, options.batch_size);
      try {
        if (batch[0]!.kind === 'delete') await client.deleteSeries(batch[0]!.match, signal);
        else await client.write(batch.map((op) => (op as Extract<PendingOp, { kind: 'write' }>).line), signal);
      } catch (error) {
        if (signal.aborted) return;
        const failure = error instanceof InfluxRequestError ? error : null;
        const firstFailure = !failingSince;
        if (!failingSince) failingSince = context.now().toISOString();
        if (firstFailure && failure?.code === 'NETWORK') await resendRecent();
        lastError = { code: isDashError(error) ? error.code : 'INTERNAL', message: (error as Error).message };
        if (!failure?.retryable) {
          log.error(`${lastError.message}; ${record.pending.length} waiting, tried again on the next change or restart${failure?.hint ? ` (${failure.hint})` : ''}`);
          halted = true;
          return;
        }
        const delay = backoffDelay(attempt++, backoff, failure.retryAfterSeconds);
        log.warn(`${lastError.message}; ${record.pending.length} waiting, retrying in ${Math.ceil(delay / 1000)} s`);
        wake = new AbortController();
        await sleep(delay, AbortSignal.any([signal, wake.signal]));
        wake = null;
        continue;
      }
      attempt = 0;
      failingSince = null;
      lastError = null;
      const sent = new Set(batch);
      record.pending = record.pending.filter((op) => !sent.has(op));
      const at = context.now().getTime();
      record.recent = [...record.recent.filter((item) => item.at > at - resendWindow), ...batch.map((op) => ({ at, op }))];
      delivered += batch.length;
      await save();
    }
  }

  /** The database went away: what it acknowledged just before may not have reached its disk. */
  async function resendRecent(): Promise<void> {
    const since = context.now().getTime() - resendWindow;
    const recent = record.recent.filter((item) => item.at > since).map((item) => item.op);
    record.recent = [];
    if (recent.length === 0) return;
    log.info(`the database stopped answering: sending the ${recent.length} operation(s) it acknowledged in the last ${resendWindow / 1000} s again`);
    record.pending = [...recent, ...record.pending];
    await save();
  }

  // A restart resumes what was pending.
  if (record.pending.length > 0) kick();

  let updating: Promise<void> = Promise.resolve();
  return {
    entries(entries: readonly TimeEntry[]) {
      updating = updating.then(async () => {
        if (signal.aborted) return;
        const changes = planChanges(entries, record.written, plan);
        record.written = changes.written;
        enqueue(record, changes.ops);
        if (changes.ops.length > 0) log.debug(`${changes.writes} point(s) to write, ${changes.removals} to remove`);
        // Durable before anything is sent: a crash from here on loses nothing.
        if (changes.ops.length > 0 || halted) await save();
        kick();
      });
      return updating;
    },
    state(): OutputState {
      const queued = record.pending.length;
      const status = lastError ? 'failing' : queued > 0 ? 'queued' : 'ok';
      return { status, queued, delivered, failingSince, lastError };
    },
    async dispose() {
      await updating.catch(() => undefined);
      stopper.abort();
      await flushing;
      await saving;
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
